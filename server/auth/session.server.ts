/**
 * Sessions, in this one module (lucia 3 is no longer developed upstream, so everything that
 * touches it lives here and can be swapped for a small hand-written store). HttpOnly cookie, Secure when the
 * hub is served over https, SameSite=Lax, sliding expiry (lucia extends a session past half its life).
 *
 * The cookie holds a random token; the database holds only its SHA-256 as the session's id (lucia 3 lets the
 * caller choose the id). Whoever reads the database (a backup, a leaked copy) learns no usable session, and a
 * value copied from the id column is hashed again on the way in, so it matches nothing. docs/decisions/010-web-security.md.
 */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { eq } from "drizzle-orm";
import { Lucia, TimeSpan, type Session } from "lucia";
import { sessions, users } from "../../drizzle/schema";
import { randomToken, sha256Hex } from "../crypto/tokens";
import { getDatabase, type Db } from "../db/client.server";
import { getEnv } from "../env.server";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "owner" | "admin" | "member";
  status: "active" | "disabled";
  avatarUrl: string | null;
}

function createLucia(db: Db, secure: boolean) {
  return new Lucia(new DrizzleSQLiteAdapter(db, sessions, users), {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: { name: "hub_session", attributes: { secure, sameSite: "lax" } },
    getUserAttributes: (u) => ({
      email: u.email,
      name: u.name,
      role: u.role,
      status: u.status,
      avatarUrl: u.avatarUrl,
    }),
  });
}

type HubLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: HubLucia;
    DatabaseUserAttributes: {
      email: string;
      name: string;
      role: SessionUser["role"];
      status: SessionUser["status"];
      avatarUrl: string | null;
    };
    DatabaseSessionAttributes: { ip: string | null; userAgent: string | null };
  }
}

let instance: { db: Db; lucia: HubLucia } | undefined;

async function getLucia(): Promise<HubLucia> {
  const { db } = await getDatabase();
  if (instance?.db !== db) instance = { db, lucia: createLucia(db, getEnv().PUBLIC_URL.startsWith("https:")) };
  return instance.lucia;
}

export function clientIp(request: Request): string | null {
  return request.headers.get("x-hub-client-ip");
}

/** The stored id of the session a cookie's token opens. */
const sessionIdOf = (token: string) => sha256Hex(token);

/** The token in the request's session cookie, if any. */
async function cookieToken(lucia: HubLucia, request: Request): Promise<string | null> {
  return lucia.readSessionCookie(request.headers.get("cookie") ?? "");
}

/** Start a session for a user (sign-in, setup): a fresh token every time, so sign-in rotates the session. */
export async function createUserSession(userId: string, request: Request): Promise<string> {
  const lucia = await getLucia();
  const token = randomToken(32);
  await lucia.createSession(
    userId,
    { ip: clientIp(request), userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null },
    { sessionId: sessionIdOf(token) },
  );
  const { db } = await getDatabase();
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, userId));
  return lucia.createSessionCookie(token).serialize();
}

export interface CurrentSession {
  user: SessionUser;
  session: Session;
  /** Set when the session was extended (sliding expiry) and the cookie must be re-sent. */
  setCookie?: string;
}

/** The signed-in user of a request, or null. A disabled user has no session. */
export async function getSession(request: Request): Promise<CurrentSession | null> {
  const lucia = await getLucia();
  const token = await cookieToken(lucia, request);
  if (!token) return null;
  const { session, user } = await lucia.validateSession(sessionIdOf(token));
  if (!session || !user) return null;
  if (user.status !== "active") {
    await lucia.invalidateUserSessions(user.id);
    return null;
  }
  return {
    session,
    user: user,
    setCookie: session.fresh ? lucia.createSessionCookie(token).serialize() : undefined,
  };
}

/** Sign out this browser: returns the Set-Cookie that clears the cookie. */
export async function endSession(request: Request): Promise<{ userId: string | null; setCookie: string }> {
  const lucia = await getLucia();
  const token = await cookieToken(lucia, request);
  let userId: string | null = null;
  if (token) {
    const { session } = await lucia.validateSession(sessionIdOf(token));
    userId = session?.userId ?? null;
    await lucia.invalidateSession(sessionIdOf(token));
  }
  return { userId, setCookie: lucia.createBlankSessionCookie().serialize() };
}

/** The Set-Cookie that removes the session cookie from this browser. */
export async function blankSessionCookie(): Promise<string> {
  return (await getLucia()).createBlankSessionCookie().serialize();
}

/** Sign a user out everywhere (sign out everywhere, disabled user). */
export async function endAllSessions(userId: string): Promise<void> {
  const lucia = await getLucia();
  await lucia.invalidateUserSessions(userId);
}
