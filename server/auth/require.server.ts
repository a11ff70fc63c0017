/**
 * Guards for UI routes and server functions. `require*` throws a Response (Remix renders or follows it);
 * `get*` returns null. Roles are checked here, on the server, never only in the page.
 */
import { getSession, type CurrentSession, type SessionUser } from "./session.server";

export const isAdmin = (user: Pick<SessionUser, "role">) => user.role === "owner" || user.role === "admin";

export async function requireSession(request: Request): Promise<CurrentSession> {
  const current = await getSession(request);
  if (!current) {
    const url = new URL(request.url);
    const next = url.pathname + url.search;
    throw new Response(null, {
      status: 302,
      headers: { Location: next === "/" ? "/signin" : `/signin?next=${encodeURIComponent(next)}` },
    });
  }
  return current;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  return (await requireSession(request)).user;
}

export async function requireAdmin(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!isAdmin(user)) throw new Response("Only owners and admins can open this page.", { status: 403 });
  return user;
}
