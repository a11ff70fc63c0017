/**
 * The tRPC context of one HTTP request: the session's user (roles are read from the database on every request,
 * so a role change or a disabled account takes effect at once), the audit actor, and the CSRF verdict.
 */
import type { Actor } from "../audit/audit.server";
import { isSameOriginRequest } from "../auth/csrf";
import { clientIp, getSession, type SessionUser } from "../auth/session.server";
import { getEnv } from "../env.server";
import type { TrpcContext } from "./init";

export function actorFor(user: SessionUser, request: Request | null): Actor {
  return {
    id: user.id,
    label: user.email,
    role: user.role,
    ip: request ? clientIp(request) : null,
    userAgent: request?.headers.get("user-agent") ?? null,
  };
}

export async function createContext({ req, resHeaders }: { req: Request; resHeaders?: Headers }): Promise<TrpcContext> {
  const current = await getSession(req);
  // Sliding expiry: a session extended by this request gets its longer cookie back.
  if (current?.setCookie) resHeaders?.append("Set-Cookie", current.setCookie);
  const user = current?.user ?? null;
  return {
    user,
    actor: user ? actorFor(user, req) : null,
    sameOrigin: isSameOriginRequest(req, getEnv().PUBLIC_URL),
  };
}
