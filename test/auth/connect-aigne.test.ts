/**
 * AIGNE's connect flow (docs/aigne-protocol.md, "The CLI's connect flow"): the session life cycle at the server-function level, then over HTTP
 * the way @aigne/cli 1.59 drives it, decrypting the key with the real crypto-js and using it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accessKeys, auditLog, connectSessions } from "@drizzle/schema";
import { approveConnectSession, denyConnectSession } from "@server/auth/connect/approve.server";
import { endAigneSession, readAigneSession } from "@server/auth/connect/collect.server";
import { resetConnectLimitsForTests } from "@server/auth/connect/limits.server";
import { purgeConnectSessions, startAigneSession } from "@server/auth/connect/sessions.server";
import { createUser } from "@server/auth/users.server";
import { CLI_ACTOR, type Actor } from "@server/audit/audit.server";
import { authenticate } from "@server/gateway/authenticate.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { aigneCliCollect, aigneCliDecrypt, aigneCliStart } from "@test/helpers/connect-clients";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let user: { id: string; email: string };
let actor: Actor;
const SESSION = "/.well-known/service/api/access-key/session";

beforeAll(async () => {
  hub = await createTempHub();
  user = await createUser({ email: "cli@example.com", name: "Cli User" }, CLI_ACTOR);
  actor = { id: user.id, label: user.email, ip: "127.0.0.1" };
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

const sessionRow = async (id: string) =>
  (await hub.database.db.select().from(connectSessions).where(eq(connectSessions.id, id)))[0]!;
const expireNow = (id: string) =>
  hub.database.db
    .update(connectSessions)
    .set({ expiresAt: new Date(Date.now() - 1) })
    .where(eq(connectSessions.id, id));
const bearer = (key: string) => new Request("http://hub.test/", { headers: { authorization: `Bearer ${key}` } });

describe("AIGNE sessions, server functions", () => {
  it("pending → approved (key bound to the app, sealed) → read → read again → ended", async () => {
    const session = await startAigneSession();
    expect(session.id).toMatch(/^cs_[A-Za-z0-9_-]{32}$/);
    expect(await readAigneSession(session.id)).toEqual({ state: "pending", id: session.id });

    const record = await approveConnectSession(session, user, actor, {
      name: " AIGNE CLI",
      logo: "https://example.com/logo.png",
    });
    expect(record).toMatchObject({ userId: user.id, appName: "AIGNE CLI", name: "AIGNE CLI (connected)" });
    const approved = await sessionRow(session.id);
    expect(approved).toMatchObject({
      status: "approved",
      userId: user.id,
      accessKeyId: record.id,
      appLogo: "https://example.com/logo.png",
    });
    expect(approved.sealedKey).toMatch(/^v1\./);
    const actions = (await hub.database.db.select().from(auditLog).where(eq(auditLog.actorId, user.id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["key.create", "connect.approve"]));

    const first = await readAigneSession(session.id);
    if (first.state !== "approved") throw new Error(`expected approved, got ${first.state}`);
    const key = aigneCliDecrypt(first.accessKeySecret, first.accessKeyId, first.challenge);
    expect(key).toMatch(/^hub-sk-/);
    expect(await authenticate(bearer(key))).toMatchObject({ userId: user.id, appName: "AIGNE CLI", keyId: record.id });
    const consumed = await sessionRow(session.id);
    expect(consumed.status).toBe("consumed");
    expect(consumed.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30_000);

    // The CLI's confirming read gets the same key, freshly encrypted.
    const second = await readAigneSession(session.id);
    if (second.state !== "approved") throw new Error("expected the confirming read to succeed");
    expect(second.accessKeySecret).not.toBe(first.accessKeySecret);
    expect(aigneCliDecrypt(second.accessKeySecret, second.accessKeyId, second.challenge)).toBe(key);

    expect(await endAigneSession(session.id)).toEqual({ id: session.id, status: "consumed" });
    expect((await sessionRow(session.id)).sealedKey).toBeNull();
    expect(await readAigneSession(session.id)).toEqual({ state: "consumed" });
    await expect(approveConnectSession(session, user, actor)).rejects.toMatchObject({ kind: "conflict" });
  });

  it("nothing is handed out after the short confirmation window either", async () => {
    const session = await startAigneSession();
    await approveConnectSession(session, user, actor);
    expect((await readAigneSession(session.id)).state).toBe("approved");
    expect((await readAigneSession(session.id, Date.now() + 31_000)).state).toBe("consumed");
    expect((await sessionRow(session.id)).sealedKey).toBeNull();
  });

  it("denied sessions say so and cannot be approved later", async () => {
    const session = await startAigneSession();
    await denyConnectSession(session, user, actor);
    expect(await readAigneSession(session.id)).toEqual({ state: "denied" });
    await expect(approveConnectSession(session, user, actor)).rejects.toMatchObject({ kind: "conflict" });
  });

  it("expired sessions cannot be approved, and a key nobody collected is revoked when its session ends", async () => {
    const stale = await startAigneSession();
    await expireNow(stale.id);
    await expect(approveConnectSession(stale, user, actor)).rejects.toMatchObject({ kind: "conflict" });
    expect(await readAigneSession(stale.id)).toEqual({ state: "expired" });

    const uncollected = await startAigneSession();
    const record = await approveConnectSession(uncollected, user, actor);
    await expireNow(uncollected.id);
    expect((await purgeConnectSessions()).ended).toBeGreaterThanOrEqual(1);
    expect(await sessionRow(uncollected.id)).toMatchObject({ status: "expired", sealedKey: null });
    const [key] = await hub.database.db.select().from(accessKeys).where(eq(accessKeys.id, record.id));
    expect(key!.status).toBe("revoked");
    expect(await readAigneSession(uncollected.id)).toEqual({ state: "expired" });

    // A day after they end, rows are deleted.
    expect((await purgeConnectSessions(Date.now() + 25 * 60 * 60_000)).deleted).toBeGreaterThanOrEqual(2);
    expect(await readAigneSession(uncollected.id)).toEqual({ state: "not_found" });
  });
});

describe("AIGNE sessions over HTTP, as @aigne/cli drives them", () => {
  it("start → pending → approve → the CLI's poll, confirming read and DELETE → a working key, then nothing", async () => {
    const started = await fetch(api.url + SESSION, { method: "POST" });
    expect(started.status).toBe(200);
    const body = await started.json();
    expect(body).toMatchObject({ id: expect.stringMatching(/^cs_/), challenge: expect.any(String), status: "pending" });

    const pending = await fetch(`${api.url}${SESSION}?sid=${body.id}`, { headers: { "X-Request-Count": "0" } });
    expect(pending.status).toBe(200);
    expect(await pending.json()).toEqual({ id: body.id, status: "pending" });

    const collecting = aigneCliCollect(api.url, body.id, { intervalMs: 100 });
    await new Promise((r) => setTimeout(r, 250));
    const session = (await hub.database.db.select().from(connectSessions).where(eq(connectSessions.id, body.id)))[0]!;
    await approveConnectSession(session, user, actor, { name: " AIGNE CLI" });
    const { apiKey, accessKeyId, challenge, polls } = await collecting;
    expect(polls).toBeGreaterThan(1);
    expect(challenge).toBe(body.challenge);

    const me = await fetch(`${api.url}/api/v2/me`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      id: user.id,
      email: "cli@example.com",
      key: { id: accessKeyId, appName: "AIGNE CLI" },
    });

    const after = await fetch(`${api.url}${SESSION}?sid=${body.id}`);
    expect(after.status).toBe(410);
    expect(await after.json()).toMatchObject({ error: { code: "session_consumed" } });
  });

  it("answers unknown, expired and denied sessions with JSON errors", async () => {
    const unknown = await fetch(`${api.url}${SESSION}?sid=cs_nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "session_not_found" } });
    expect((await fetch(api.url + SESSION)).status).toBe(400); // no sid

    const { id: expiredId } = await aigneCliStart(api.url);
    await expireNow(expiredId);
    const expired = await fetch(`${api.url}${SESSION}?sid=${expiredId}`);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ error: { code: "session_expired" } });

    const { id: deniedId } = await aigneCliStart(api.url);
    await denyConnectSession(await sessionRow(deniedId), user, actor);
    const denied = await fetch(`${api.url}${SESSION}?sid=${deniedId}`);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { code: "access_denied" } });
    expect((await fetch(`${api.url}${SESSION}?sid=cs_nope`, { method: "DELETE" })).status).toBe(404);
  });

  it("rate-limits starting sessions and polling per address, and refuses cross-site posts", async () => {
    await clearOfWindowEdge();
    for (let i = 0; i < 10; i++) expect((await fetch(api.url + SESSION, { method: "POST" })).status).toBe(200);
    const limited = await fetch(api.url + SESSION, { method: "POST" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    const { id } = await startAigneSession();
    for (let i = 0; i < 120; i++) await fetch(`${api.url}${SESSION}?sid=${id}`);
    expect((await fetch(`${api.url}${SESSION}?sid=${id}`)).status).toBe(429);

    const crossSite = await fetch(api.url + SESSION, {
      method: "POST",
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
  });
});
