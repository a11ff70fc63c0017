/**
 * RFC 8628 device flow over HTTP (pending, slow_down, approved, consumed, expired, denied, bad requests, rate
 * limits) and the approval pages' server functions (sign-in redirect, code lookup, answers, guessing limit).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectSessions } from "@drizzle/schema";
import {
  answerAigneApproval,
  answerDeviceApproval,
  getAigneApproval,
  getDeviceApproval,
} from "@server/auth/connect/approval-page.server";
import { approveConnectSession, denyConnectSession } from "@server/auth/connect/approve.server";
import { resetConnectLimitsForTests } from "@server/auth/connect/limits.server";
import { exchangeDeviceCode } from "@server/auth/connect/collect.server";
import {
  findDeviceSessionByUserCode,
  startAigneSession,
  startDeviceSession,
} from "@server/auth/connect/sessions.server";
import { createUserSession } from "@server/auth/session.server";
import { createUser } from "@server/auth/users.server";
import { CLI_ACTOR, type Actor } from "@server/audit/audit.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { deviceFlowStart, deviceTokenRequest } from "@test/helpers/connect-clients";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let user: { id: string; email: string; name: string };
let actor: Actor;
let cookie: string;

beforeAll(async () => {
  hub = await createTempHub();
  user = await createUser({ email: "dev@example.com", name: "Dev" }, CLI_ACTOR);
  actor = { id: user.id, label: user.email };
  cookie = (await createUserSession(user.id, new Request("http://hub.test/"))).split(";")[0]!;
  api = await startApiServer();
});
afterAll(async () => {
  await api.close();
  await hub.cleanup();
});
beforeEach(() => resetConnectLimitsForTests());

/** Rate-limit windows are aligned to the clock; a burst straddling an edge is counted slightly differently. */
async function clearOfWindowEdge(windowMs = 60_000) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < 3_000) await new Promise((r) => setTimeout(r, left + 50));
}

const token = async (deviceCode: string) => {
  const response = await deviceTokenRequest(api.url, deviceCode);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, string>,
  };
};
const sessionFor = async (userCode: string) => (await findDeviceSessionByUserCode(userCode))!;

describe("RFC 8628 over HTTP", () => {
  it("issues codes (form or JSON body) as §3.2 describes", async () => {
    const response = await fetch(`${api.url}/api/device/code`, {
      method: "POST",
      body: new URLSearchParams({ client_id: "my-tool" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({
      device_code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user_code: expect.stringMatching(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/),
      verification_uri: "http://localhost:3999/device",
      verification_uri_complete: `http://localhost:3999/device?user_code=${body.user_code}`,
      expires_in: 600,
      interval: 5,
    });
    const row = await sessionFor(body.user_code);
    expect(row).toMatchObject({ appName: "my-tool", status: "pending" });
    expect(row.deviceCodeHash).not.toBe(body.device_code); // only its hash is stored

    const json = await fetch(`${api.url}/api/device/code`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: "x", app_name: "Editor plugin" }),
    });
    expect((await sessionFor((await json.json()).user_code)).appName).toBe("Editor plugin");
  });

  it("pending → slow_down when polled too fast → approved → the key once → invalid_grant", async () => {
    const start = await deviceFlowStart(api.url, "poller");
    const first = await token(start.device_code);
    expect(first).toMatchObject({ status: 400, body: { error: "authorization_pending" } });
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect((await token(start.device_code)).body.error).toBe("slow_down");

    await approveConnectSession(await sessionFor(start.user_code), user, actor);
    const granted = await token(start.device_code);
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({ access_token: expect.stringMatching(/^hub-sk-/), token_type: "Bearer" });
    expect((await sessionFor(start.user_code)).sealedKey).toBeNull();

    const me = await fetch(`${api.url}/api/v2/me`, {
      headers: { authorization: `Bearer ${granted.body.access_token}` },
    });
    expect(await me.json()).toMatchObject({ id: user.id, key: { appName: "poller" } });
    expect((await token(start.device_code)).body.error).toBe("invalid_grant");
  });

  it("counts the interval from the last poll: on time is pending, early is slow_down (clock injected)", async () => {
    const { row, deviceCode } = await startDeviceSession("patient");
    const t0 = Date.now();
    expect(await exchangeDeviceCode(deviceCode, t0)).toMatchObject({ ok: false, error: "authorization_pending" });
    expect(await exchangeDeviceCode(deviceCode, t0 + 5_000)).toMatchObject({
      ok: false,
      error: "authorization_pending",
    });
    expect(await exchangeDeviceCode(deviceCode, t0 + 9_000)).toMatchObject({ ok: false, error: "slow_down" }); // 4 s after the last
    expect(await exchangeDeviceCode(deviceCode, t0 + 19_000)).toMatchObject({
      ok: false,
      error: "authorization_pending",
    });
    await approveConnectSession(row, user, actor);
    // Once approved the token is handed over whatever the pace.
    expect(await exchangeDeviceCode(deviceCode, t0 + 19_500)).toMatchObject({
      ok: true,
      accessToken: expect.stringMatching(/^hub-sk-/),
    });
  });

  it("denied → access_denied; expired → expired_token; bad requests → RFC 6749 errors", async () => {
    const denied = await deviceFlowStart(api.url, "denied-tool");
    await denyConnectSession(await sessionFor(denied.user_code), user, actor);
    expect((await token(denied.device_code)).body.error).toBe("access_denied");

    const expired = await deviceFlowStart(api.url, "slow-tool");
    await hub.database.db
      .update(connectSessions)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(connectSessions.userCode, expired.user_code));
    expect((await token(expired.device_code)).body.error).toBe("expired_token");
    expect((await token(expired.device_code)).body.error).toBe("expired_token");

    expect((await token("not-a-code")).body.error).toBe("invalid_grant");
    const wrongGrant = await fetch(`${api.url}/api/device/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", device_code: "x" }),
    });
    expect(await wrongGrant.json()).toMatchObject({ error: "unsupported_grant_type" });
    const missing = await fetch(`${api.url}/api/device/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:device_code" }),
    });
    expect(await missing.json()).toMatchObject({ error: "invalid_request" });
  });

  it("rate-limits device codes and token polls per address", async () => {
    await clearOfWindowEdge();
    for (let i = 0; i < 10; i++) await deviceFlowStart(api.url, "flood");
    const limited = await fetch(`${api.url}/api/device/code`, {
      method: "POST",
      body: new URLSearchParams({ client_id: "flood" }),
    });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: "slow_down" });
    for (let i = 0; i < 120; i++) await deviceTokenRequest(api.url, "x");
    expect((await token("x")).status).toBe(429);
  });
});

describe("approval pages (server functions)", () => {
  const page = (path: string, init: RequestInit = {}) => new Request(`http://localhost:3999${path}`, init);
  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    page(path, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { cookie, "sec-fetch-site": "same-origin", ...headers },
    });

  it("sends signed-out people to sign in, coming back to the same page", async () => {
    const thrown = await getDeviceApproval(page("/device?user_code=WDJB-MJHT")).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).headers.get("location")).toBe(
      `/signin?next=${encodeURIComponent("/device?user_code=WDJB-MJHT")}`,
    );
  });

  it("/device: looks the typed code up, shows the app and account, and records the answer", async () => {
    const start = await deviceFlowStart(api.url, "Terminal tool");
    const loaded = await getDeviceApproval(
      page(`/device?user_code=${start.user_code.toLowerCase().replace("-", " ")}`, { headers: { cookie } }),
    );
    expect(loaded).toMatchObject({
      userCode: start.user_code,
      error: null,
      view: { state: "pending", appName: "Terminal tool", account: { email: "dev@example.com" } },
    });

    expect(await answerDeviceApproval(post("/device", { userCode: start.user_code, intent: "approve" }))).toEqual({
      ok: true,
      answer: "approved",
    });
    expect(await answerDeviceApproval(post("/device", { userCode: start.user_code, intent: "deny" }))).toMatchObject({
      ok: false,
    });
    expect(
      (await getDeviceApproval(page(`/device?user_code=${start.user_code}`, { headers: { cookie } }))).view?.state,
    ).toBe("approved");

    const cross = await answerDeviceApproval(
      post("/device", { userCode: start.user_code, intent: "approve" }, { "sec-fetch-site": "cross-site" }),
    ).catch((e: unknown) => e);
    expect((cross as Response).status).toBe(403);
  });

  it("/device: unknown and malformed codes are explained, and guessing is cut off", async () => {
    await clearOfWindowEdge(10 * 60_000);
    const bad = await getDeviceApproval(page("/device?user_code=hello", { headers: { cookie } }));
    expect(bad).toMatchObject({ view: null, error: expect.stringMatching(/codes look like/) });
    for (let i = 0; i < 20; i++) {
      const miss = await getDeviceApproval(page("/device?user_code=BBBB-BBBB", { headers: { cookie } }));
      expect(miss.error).toMatch(/No request has this code/);
    }
    expect((await getDeviceApproval(page("/device?user_code=BBBB-BBBB", { headers: { cookie } }))).error).toMatch(
      /Too many codes/,
    );
  });

  it("AIGNE's page: decodes __token__, names the app from the query, binds the key to what was shown", async () => {
    const session = await startAigneSession();
    const token = Buffer.from(session.id).toString("base64url");
    const query = new URLSearchParams({
      __token__: token,
      appName: " AIGNE CLI",
      appLogo: "javascript:alert(1)",
      closeOnSuccess: "true",
    });
    const loaded = await getAigneApproval(
      page(`/.well-known/service/gen-simple-access-key?${query}`, { headers: { cookie } }),
    );
    expect(loaded).toMatchObject({
      token,
      closeOnSuccess: true,
      view: { state: "pending", appName: "AIGNE CLI", appLogo: null },
    });

    const answered = await answerAigneApproval(
      post("/.well-known/service/gen-simple-access-key", {
        token,
        intent: "approve",
        appName: "AIGNE CLI",
        appLogo: "",
      }),
    );
    expect(answered).toEqual({ ok: true, answer: "approved" });
    const row = (await hub.database.db.select().from(connectSessions).where(eq(connectSessions.id, session.id)))[0]!;
    expect(row).toMatchObject({ status: "approved", userId: user.id, appName: "AIGNE CLI" });

    const unknown = await getAigneApproval(
      page("/.well-known/service/gen-simple-access-key?__token__=bm9wZQ", { headers: { cookie } }),
    );
    expect(unknown.view.state).toBe("unknown");
  });
});
