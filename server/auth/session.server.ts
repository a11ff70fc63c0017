/**
 * Sessions, in this one module (lucia 3 is no longer developed upstream, so everything that
 * touches it lives here and can be swapped for a small hand-written store). HttpOnly cookie, Secure when the
 * hub is served over https, SameSite=Lax, sliding expiry (lucia extends a session past half its life).
 */
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { eq } from "drizzle-orm";
import { Lucia, TimeSpan, type Session } from "lucia";
import { sessions, users } from "../../drizzle/schema";
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

/** Start a session for a user (sign-in, setup): a fresh id every time, so sign-in rotates the session. */
export async function createUserSession(userId: string, request: Request): Promise<string> {
  const lucia = await getLucia();
  const session = await lucia.createSession(userId, {
    ip: clientIp(request),
    userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null,
  });
  const { db } = await getDatabase();
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, userId));
  return lucia.createSessionCookie(session.id).serialize();
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
  const sessionId = lucia.readSessionCookie(request.headers.get("cookie") ?? "");
  if (!sessionId) return null;
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session || !user) return null;
  if (user.status !== "active") {
    await lucia.invalidateUserSessions(user.id);
    return null;
  }
  return {
    session,
    user: user as unknown as SessionUser,
    setCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : undefined,
  };
}

/** Sign out this browser: returns the Set-Cookie that clears the cookie. */
export async function endSession(request: Request): Promise<{ userId: string | null; setCookie: string }> {
  const lucia = await getLucia();
  const sessionId = lucia.readSessionCookie(request.headers.get("cookie") ?? "");
  let userId: string | null = null;
  if (sessionId) {
    const { session } = await lucia.validateSession(sessionId);
    userId = session?.userId ?? null;
    await lucia.invalidateSession(sessionId);
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
