/**
 * The browser side of the connect flow: the pages where a signed-in person sees which app asks for a key and
 * approves or denies. One view model for AIGNE's page (/.well-known/service/gen-simple-access-key) and RFC 8628's
 * /device page. Signing in is required (requireUser redirects to /signin?next=<this page with its query>).
 */
import { HubError } from "../../errors";
import type { Actor } from "../../audit/audit.server";
import { requireSameOrigin } from "../same-origin.server";
import { requireUser } from "../require.server";
import { clientIp, type SessionUser } from "../session.server";
import { decodeApprovalToken } from "./aigne.server";
import { approveConnectSession, denyConnectSession } from "./approve.server";
import { checkLimit, connectLimits } from "./limits.server";
import {
  cleanAppLogo,
  cleanAppName,
  findAigneSession,
  findDeviceSessionByUserCode,
  isExpired,
  type ConnectSession,
} from "./sessions.server";
import { normalizeUserCode } from "./user-code";

export type ApprovalState = "pending" | "approved" | "denied" | "expired" | "unknown";

export interface ApprovalView {
  state: ApprovalState;
  appName: string;
  appLogo: string | null;
  account: { name: string; email: string };
  expiresAt: string | null;
}

export type AnswerResult = { ok: true; answer: "approved" | "denied" } | { ok: false; error: string };

function stateOf(row: ConnectSession | null): ApprovalState {
  if (!row) return "unknown";
  if (row.status === "approved" || row.status === "consumed") return "approved";
  if (row.status === "denied") return "denied";
  return row.status === "expired" || isExpired(row) ? "expired" : "pending";
}

function toView(
  row: ConnectSession | null,
  user: SessionUser,
  app: { name?: string | null; logo?: string | null } = {},
): ApprovalView {
  return {
    state: stateOf(row),
    // Before approval the AIGNE session knows no app: the page's query names it (the CLI puts it there).
    appName:
      (row?.status === "pending" ? cleanAppName(app.name) : null) ?? row?.appName ?? cleanAppName(app.name) ?? "An app",
    appLogo: (row?.status === "pending" ? cleanAppLogo(app.logo) : null) ?? row?.appLogo ?? null,
    account: { name: user.name, email: user.email },
    expiresAt: row ? row.expiresAt.toISOString() : null,
  };
}

const actorOf = (user: SessionUser, request: Request): Actor => ({
  id: user.id,
  label: user.email,
  ip: clientIp(request),
  userAgent: request.headers.get("user-agent"),
});

async function answer(
  row: ConnectSession | null,
  request: Request,
  user: SessionUser,
  intent: string,
  app?: { name: string; logo: string },
): Promise<AnswerResult> {
  if (!row || stateOf(row) !== "pending")
    return { ok: false, error: "This request was already answered, or it has expired. Start again from the app." };
  try {
    if (intent === "approve") {
      await approveConnectSession(row, user, actorOf(user, request), app);
      return { ok: true, answer: "approved" };
    }
    if (intent === "deny") {
      await denyConnectSession(row, user, actorOf(user, request));
      return { ok: true, answer: "denied" };
    }
    return { ok: false, error: "Choose Approve or Deny." };
  } catch (error) {
    if (error instanceof HubError) return { ok: false, error: error.message };
    throw error;
  }
}

/** AIGNE's approval page: `?__token__=<base64url session id>&appName=...&appLogo=...&closeOnSuccess=true`. */
export async function getAigneApproval(request: Request) {
  const user = await requireUser(request);
  const q = new URL(request.url).searchParams;
  const id = decodeApprovalToken(q.get("__token__"));
  const row = id ? await findAigneSession(id) : null;
  return {
    view: toView(row, user, { name: q.get("appName"), logo: q.get("appLogo") }),
    token: q.get("__token__") ?? "",
    source: cleanAppName(q.get("source")),
    closeOnSuccess: q.get("closeOnSuccess") === "true",
  };
}

export async function answerAigneApproval(request: Request): Promise<AnswerResult> {
  await requireSameOrigin(request);
  const user = await requireUser(request);
  const form = await request.formData();
  const id = decodeApprovalToken(String(form.get("token") ?? ""));
  const row = id ? await findAigneSession(id) : null;
  // The app name the person saw on the page is the one the key is bound to.
  return answer(row, request, user, String(form.get("intent") ?? ""), {
    name: String(form.get("appName") ?? ""),
    logo: String(form.get("appLogo") ?? ""),
  });
}

/** Looks a typed code up, counting every lookup against the person's window (guessing protection). */
async function lookupUserCode(
  user: SessionUser,
  raw: string,
): Promise<{ row: ConnectSession | null; code: string | null; error: string | null }> {
  const code = normalizeUserCode(raw);
  if (!code) return { row: null, code: null, error: "That is not a code from an app: codes look like WDJB-MJHT." };
  const { ok, retryAfterSeconds } = await checkLimit(connectLimits.lookup, user.id);
  if (!ok)
    return {
      row: null,
      code,
      error: `Too many codes tried. Wait ${Math.ceil(retryAfterSeconds / 60)} min and try again.`,
    };
  const row = await findDeviceSessionByUserCode(code);
  return {
    row,
    code,
    error: row ? null : "No request has this code. Check the code your app shows, or start again there.",
  };
}

/** RFC 8628's /device page: `?user_code=` prefilled from verification_uri_complete. */
export async function getDeviceApproval(request: Request) {
  const user = await requireUser(request);
  const raw = new URL(request.url).searchParams.get("user_code")?.trim() ?? "";
  if (!raw) return { userCode: "", view: null, error: null };
  const { row, code, error } = await lookupUserCode(user, raw);
  return { userCode: code ?? raw.slice(0, 20), view: row ? toView(row, user) : null, error };
}

export async function answerDeviceApproval(request: Request): Promise<AnswerResult> {
  await requireSameOrigin(request);
  const user = await requireUser(request);
  const form = await request.formData();
  const { row, error } = await lookupUserCode(user, String(form.get("userCode") ?? ""));
  if (error) return { ok: false, error };
  return answer(row, request, user, String(form.get("intent") ?? ""));
}
