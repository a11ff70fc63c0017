/**
 * "Sign out everywhere": end every session of the signed-in user (other browsers, a lost laptop), audited. A form
 * post, so it is checked against cross-site requests first; returns the Set-Cookie that clears this browser's cookie.
 */
import { recordAudit } from "../audit/audit.server";
import { getDb } from "../db/client.server";
import { requireUser } from "./require.server";
import { requireSameOrigin } from "./same-origin.server";
import { blankSessionCookie, clientIp, endAllSessions } from "./session.server";

export async function signOutEverywhere(request: Request): Promise<string> {
  await requireSameOrigin(request);
  const user = await requireUser(request);
  await endAllSessions(user.id);
  await recordAudit(
    await getDb(),
    { id: user.id, label: user.email, ip: clientIp(request), userAgent: request.headers.get("user-agent") },
    {
      action: "auth.sign_out_everywhere",
      targetType: "user",
      targetId: user.id,
    },
  );
  return blankSessionCookie();
}
