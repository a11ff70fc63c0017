/**
 * Drives the sign-in routes' server functions the way a browser would: GET /auth/<id> (keep the flow cookie,
 * follow nothing), then GET /auth/<id>/callback with the cookie, state and code. Also reads the audit rows.
 */
import { desc, eq } from "drizzle-orm";
import { auditLog } from "@drizzle/schema";
import { finishSignIn } from "@server/auth/oauth/finish-sign-in.server";
import { startSignIn } from "@server/auth/oauth/start-sign-in.server";
import type { FetchLike } from "@server/auth/oauth/types";
import { getDb } from "@server/db/client.server";

export const HUB = "http://localhost:3999";
export const CLIENT_IP = "203.0.113.7";

export interface StartedFlow {
  response: Response;
  authorizationUrl: URL;
  /** "hub_oauth_flow=<sealed>", as the browser would send it back. */
  cookie: string;
  setCookie: string;
  state: string;
}

export async function beginFlow(provider: string, fetchImpl: FetchLike, next?: string): Promise<StartedFlow> {
  const url = `${HUB}/auth/${provider}${next ? `?next=${encodeURIComponent(next)}` : ""}`;
  const response = await startSignIn(new Request(url, { headers: { "x-hub-client-ip": CLIENT_IP } }), provider, {
    fetch: fetchImpl,
  });
  const setCookie = response.headers.get("set-cookie") ?? "";
  const location = response.headers.get("location") ?? "";
  const authorizationUrl = new URL(location, HUB);
  return {
    response,
    authorizationUrl,
    setCookie,
    cookie: setCookie.split(";")[0]!,
    state: authorizationUrl.searchParams.get("state") ?? "",
  };
}

export async function callback(
  provider: string,
  fetchImpl: FetchLike,
  query: Record<string, string>,
  cookie: string | null,
  now?: () => number,
): Promise<{ response: Response; location: string; cookies: string[] }> {
  const headers: Record<string, string> = { "x-hub-client-ip": CLIENT_IP, "user-agent": "vitest" };
  if (cookie) headers.cookie = cookie;
  const request = new Request(`${HUB}/auth/${provider}/callback?${new URLSearchParams(query)}`, { headers });
  const response = await finishSignIn(request, provider, { fetch: fetchImpl, now });
  return { response, location: response.headers.get("location") ?? "", cookies: response.headers.getSetCookie() };
}

/** Start and finish one sign-in with the given code. */
export async function signIn(provider: string, fetchImpl: FetchLike, code = "code-1") {
  const flow = await beginFlow(provider, fetchImpl);
  return { flow, ...(await callback(provider, fetchImpl, { code, state: flow.state }, flow.cookie)) };
}

export async function auditRows(action: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.createdAt));
}

/** The session cookie ("hub_session=...") among Set-Cookie headers, as a Cookie header value. */
export function sessionCookieOf(cookies: string[]): string | null {
  const c = cookies.find((v) => v.startsWith("hub_session=") && !v.startsWith("hub_session=;"));
  return c ? c.split(";")[0]! : null;
}
