/**
 * GET /auth/<provider>/callback: check the flow (cookie present, sealed, unexpired, same provider, state equal,
 * not finished before), exchange the code, verify the identity, find or create the user, and start a new session
 * (a new session id: rotation on sign-in). Every refusal goes through `refuseSignIn` (audited, explained).
 */
import { recordAudit } from "../../audit/audit.server";
import { safeEqual } from "../../crypto/tokens";
import { getDb } from "../../db/client.server";
import { safeNextPath } from "../safe-next-path";
import { clientIp, createUserSession, endSession } from "../session.server";
import { consumeFlow } from "./consumed-flows.server";
import { createProvider } from "./create-provider.server";
import { clearFlowCookie, readFlowCookie } from "./flow-cookie.server";
import { grantFirstSignInCredit } from "./new-user-grant.server";
import { getOAuthClient } from "./provider-config.server";
import { resolveSignInUser } from "./resolve-user.server";
import { refuseSignIn } from "./sign-in-failure.server";
import { SignInError } from "./sign-in-errors";
import type { SignInDeps } from "./start-sign-in.server";

export async function finishSignIn(
  request: Request,
  providerId: string | undefined,
  deps: SignInDeps = {},
): Promise<Response> {
  const provider = providerId ?? "";
  const now = deps.now ?? Date.now;
  try {
    const config = await getOAuthClient(provider);
    if (!config) throw new SignInError("provider_not_configured", `no client for "${provider.slice(0, 20)}"`);
    const params = new URL(request.url).searchParams;
    const flow = readFlowCookie(request, now());
    if (flow.provider !== config.id || !safeEqual(params.get("state") ?? "", flow.state)) {
      throw new SignInError(
        "state_mismatch",
        flow.provider !== config.id ? "flow started for another provider" : "state differs",
      );
    }
    // The provider sends the person back with ?error= when they cancel or it refuses (RFC 6749 §4.1.2.1).
    const providerError = params.get("error");
    if (providerError) throw new SignInError("provider_denied", providerError.slice(0, 60));
    const code = params.get("code");
    if (!code) throw new SignInError("code_rejected", "no code in the callback");
    if (!(await consumeFlow(flow.state, flow.expiresAt, now())))
      throw new SignInError("flow_reused", "this flow already finished");

    const profile = await createProvider(config, deps.fetch ?? fetch, now).fetchProfile(code, flow);
    const ip = clientIp(request);
    const userAgent = request.headers.get("user-agent");
    const { user, method } = await resolveSignInUser(profile, { ip, userAgent });
    const firstSignIn = user.lastSignInAt === null;
    // Rotation: a session this browser already had (perhaps someone else's) ends; the new one gets a new id.
    await endSession(request);
    const sessionCookie = await createUserSession(user.id, request);
    const grantedMicro = firstSignIn ? await grantFirstSignInCredit(user.id) : 0;
    await recordAudit(
      await getDb(),
      { id: user.id, label: user.email, ip, userAgent },
      {
        action: "auth.sign_in",
        targetType: "user",
        targetId: user.id,
        after: { provider: config.id, method, ...(grantedMicro ? { grantedMicro } : {}) },
      },
    );

    // The flow cookie is sealed by us, but the path is checked again: one rule for every redirect after sign-in.
    const headers = new Headers({ Location: safeNextPath(flow.next), "Cache-Control": "no-store" });
    headers.append("Set-Cookie", clearFlowCookie());
    headers.append("Set-Cookie", sessionCookie);
    return new Response(null, { status: 302, headers });
  } catch (error) {
    return refuseSignIn(request, provider.slice(0, 20), error);
  }
}
