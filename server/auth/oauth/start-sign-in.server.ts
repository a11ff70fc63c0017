/**
 * GET /auth/<provider>: a fresh state, PKCE verifier and nonce, sealed into the flow cookie, then off to the
 * provider's authorization page. `next` (where to land afterwards) must be a path on this hub, never another site.
 */
import { generateCodeVerifier, generateState } from "arctic";
import { safeNextPath } from "../safe-next-path";
import { createProvider } from "./create-provider.server";
import { FLOW_TTL_MS, serializeFlowCookie } from "./flow-cookie.server";
import { getOAuthClient } from "./provider-config.server";
import { refuseSignIn } from "./sign-in-failure.server";
import type { FetchLike } from "./types";

export interface SignInDeps {
  fetch?: FetchLike;
  now?: () => number;
}

export async function startSignIn(
  request: Request,
  providerId: string | undefined,
  deps: SignInDeps = {},
): Promise<Response> {
  const config = await getOAuthClient(providerId ?? "");
  // An unknown or unconfigured id is not an attempt worth an audit row (bots probe URLs): just explain.
  if (!config)
    return new Response(null, { status: 302, headers: { Location: "/signin?error=provider_not_configured" } });
  const now = deps.now ?? Date.now;
  try {
    const provider = createProvider(config, deps.fetch ?? fetch, now);
    const flow = { state: generateState(), codeVerifier: generateCodeVerifier(), nonce: generateState() };
    const url = await provider.createAuthorizationURL(flow);
    const next = safeNextPath(new URL(request.url).searchParams.get("next"));
    const cookie = serializeFlowCookie({ ...flow, provider: config.id, next, expiresAt: now() + FLOW_TTL_MS });
    return new Response(null, {
      status: 302,
      headers: { Location: url.toString(), "Set-Cookie": cookie, "Cache-Control": "no-store" },
    });
  } catch (error) {
    return refuseSignIn(request, config.id, error);
  }
}
