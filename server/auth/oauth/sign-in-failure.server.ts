/**
 * A refused sign-in: audited as `auth.sign_in_failed` (reason, provider, the person when known, IP), logged without
 * secrets, and answered with a redirect to the sign-in page, which explains the reason. Unexpected errors count as
 * `provider_unavailable` so the page still says something useful, and are logged in full (redacted) for the owner.
 */
import { recordAudit } from "../../audit/audit.server";
import { getDb } from "../../db/client.server";
import { log } from "../../log.server";
import { clientIp } from "../session.server";
import { SignInError } from "./sign-in-errors";
import { clearFlowCookie } from "./flow-cookie.server";

function toSignInError(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  log.error("sign-in failed unexpectedly", { error });
  return new SignInError("provider_unavailable", `unexpected ${(error as Error)?.name ?? "error"}`);
}

export async function refuseSignIn(request: Request, provider: string, error: unknown): Promise<Response> {
  const refusal = toSignInError(error);
  const ip = clientIp(request);
  const subject = refusal.subject ?? {};
  log.warn("sign-in refused", { provider, reason: refusal.code, detail: refusal.detail, ip });
  const db = await getDb();
  await recordAudit(
    db,
    {
      id: subject.userId ?? null,
      label: subject.email ?? "anonymous",
      ip,
      userAgent: request.headers.get("user-agent"),
    },
    {
      action: "auth.sign_in_failed",
      targetType: subject.userId ? "user" : undefined,
      targetId: subject.userId ?? null,
      after: { provider, reason: refusal.code, ...(refusal.detail ? { detail: refusal.detail } : {}) },
    },
  );
  const headers = new Headers({ Location: `/signin?error=${refusal.code}` });
  headers.append("Set-Cookie", clearFlowCookie());
  return new Response(null, { status: 302, headers });
}
