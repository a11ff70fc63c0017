/**
 * The playground's caller: the signed-in browser session instead of an access key. Its calls take the same
 * gateway path as an app's (IP rules, quotas, credit, call records) with app name "playground" and no key, so
 * they show up in usage and count against the person's limits. Cookie-authenticated writes must come from our
 * own origin (CSRF), which is checked here rather than in each route.
 */
import { isSameOriginRequest } from "../auth/csrf";
import { getSession } from "../auth/session.server";
import { getEnv } from "../env.server";
import { HubError } from "../errors";
import type { Principal } from "./authenticate.server";

const PLAYGROUND_APP = "playground";

export async function sessionPrincipal(request: Request): Promise<Principal> {
  if (!isSameOriginRequest(request, getEnv().PUBLIC_URL)) {
    throw new HubError("forbidden", "The playground only answers requests from its own pages.", null, {
      code: "cross_site_request",
    });
  }
  const current = await getSession(request);
  if (!current)
    throw new HubError("unauthorized", "Your session has ended. Sign in again to use the playground.", null, {
      code: "session_expired",
    });
  const { user } = current;
  return {
    userId: user.id,
    role: user.role,
    email: user.email,
    keyId: null,
    appName: PLAYGROUND_APP,
    allowedModels: null,
    limits: null,
  };
}
