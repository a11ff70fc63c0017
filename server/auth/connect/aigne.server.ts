/**
 * AIGNE's access-key session API, exactly where AIGNE's tools call it (docs/aigne-protocol.md, "The CLI's connect flow"):
 *   POST   /.well-known/service/api/access-key/session          → { id, challenge, ... }
 *   GET    /.well-known/service/api/access-key/session?sid=<id> → { id, status: "pending" } until approved, then
 *          { accessKeyId, accessKeySecret, challenge } (the key encrypted crypto-js style, see crypto-js-aes.ts)
 *   DELETE /.well-known/service/api/access-key/session?sid=<id> → ends the session
 * The person approves at /.well-known/service/gen-simple-access-key?__token__=<base64url id>.
 * Pending answers are 200 because the CLI's fetch throws on anything else; ended or unknown sessions are JSON
 * errors, which stop the CLI's polling with a message instead of letting it wait for its timeout.
 */
import { getEnv } from "../../env.server";
import { errorResponse, HubError } from "../../errors";
import { noteAuthFailure } from "../../governance/auth-throttle.server";
import { assertSameOrigin } from "../csrf";
import { endAigneSession, readAigneSession, type Ended } from "./collect.server";
import { addressOf, connectLimits, enforce } from "./limits.server";
import { startAigneSession } from "./sessions.server";

const NO_STORE = { "cache-control": "no-store" };

const ENDED: Record<Ended, HubError> = {
  not_found: new HubError("not_found", "No such access-key session.", "sid", { code: "session_not_found" }),
  expired: new HubError("not_found", "This access-key session has expired. Start again.", "sid", {
    status: 410,
    code: "session_expired",
  }),
  consumed: new HubError("not_found", "This access-key session was already used.", "sid", {
    status: 410,
    code: "session_consumed",
  }),
  denied: new HubError("forbidden", "The request for an access key was denied.", "sid", { code: "access_denied" }),
};

function sessionId(request: Request): string {
  const sid = new URL(request.url).searchParams.get("sid");
  if (!sid) throw new HubError("invalid_input", "Pass the session id as ?sid=.", "sid");
  return sid;
}

/** GET: poll. */
export async function handleAigneSessionRead(request: Request): Promise<Response> {
  try {
    await enforce(connectLimits.poll, addressOf(request), "polls from this address");
    const read = await readAigneSession(sessionId(request));
    // An unknown session id is a failed authentication (the id is what hands out the key): guessing is throttled.
    if (read.state === "not_found") await noteAuthFailure(request);
    if (read.state === "pending") return Response.json({ id: read.id, status: "pending" }, { headers: NO_STORE });
    if (read.state === "approved") {
      const { accessKeyId, accessKeySecret, challenge } = read;
      return Response.json({ accessKeyId, accessKeySecret, challenge }, { headers: NO_STORE });
    }
    throw ENDED[read.state];
  } catch (error) {
    return errorResponse(error, NO_STORE);
  }
}

/** POST starts a session, DELETE ends one. */
export async function handleAigneSessionWrite(request: Request): Promise<Response> {
  assertSameOrigin(request, getEnv().PUBLIC_URL);
  try {
    if (request.method === "POST") {
      await enforce(connectLimits.start, addressOf(request), "connect sessions from this address");
      const row = await startAigneSession();
      return Response.json(
        { id: row.id, challenge: row.challenge, status: row.status, expiresAt: row.expiresAt.toISOString() },
        { headers: NO_STORE },
      );
    }
    if (request.method === "DELETE") {
      const ended = await endAigneSession(sessionId(request));
      if (!ended) {
        await noteAuthFailure(request);
        throw ENDED.not_found;
      }
      return Response.json(ended, { headers: NO_STORE });
    }
    throw new HubError("method_not_allowed", `${request.method} is not allowed here.`);
  } catch (error) {
    return errorResponse(error, NO_STORE);
  }
}

/** The approval page's `__token__`: the session id as base64url without padding (how the CLI encodes it). */
export function decodeApprovalToken(token: string | null): string | null {
  if (!token || token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const id = Buffer.from(token, "base64url").toString("utf8");
  return /^[\x21-\x7e]+$/.test(id) ? id : null;
}
