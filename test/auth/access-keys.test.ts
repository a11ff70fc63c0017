/**
 * The access-key service: create (validated), list with usage, revoke, rotate, all audited; and the gateway's
 * `authenticate` refusing a revoked or expired key on the very next request although it had just cached it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessKeys, auditLog, modelCalls } from "@drizzle/schema";
import { listAccessKeys } from "@server/access-keys/owner-list.server";
import { createAccessKey, revokeAccessKey, rotateAccessKey } from "@server/access-keys/manage.server";
import { createUser } from "@server/auth/users.server";
import { CLI_ACTOR, type Actor } from "@server/audit/audit.server";
import { subscribe } from "@server/cache/invalidation.server";
import { newId, sha256Hex } from "@server/crypto/tokens";
import { HubError } from "@server/errors";
import { authenticate } from "@server/gateway/authenticate.server";
import { setLogLevel, setLogSink } from "@server/log.server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let ada: { id: string; email: string };
let bob: { id: string; email: string };
let actor: Actor;
const logLines: string[] = [];

beforeAll(async () => {
  hub = await createTempHub();
  // Every log line of this file is captured: no key may ever appear in one.
  setLogLevel("debug");
  setLogSink((line) => logLines.push(line));
  ada = await createUser({ email: "ada@example.com", name: "Ada" }, CLI_ACTOR);
  bob = await createUser({ email: "bob@example.com", name: "Bob" }, CLI_ACTOR);
  actor = { id: ada.id, label: ada.email, ip: "127.0.0.1" };
});
afterAll(async () => {
  await hub.cleanup();
});

const bearer = (key: string) =>
  new Request("http://hub.test/api/v2/models", { headers: { authorization: `Bearer ${key}` } });
const refusal = (key: string) =>
  authenticate(bearer(key)).then(
    () => null,
    (e: HubError) => e,
  );
const audits = (targetId: string) => hub.database.db.select().from(auditLog).where(eq(auditLog.targetId, targetId));
const keysMentioned: string[] = [];

describe("creating keys", () => {
  it("makes a hub-sk- key of 32 random bytes, stores only its hash and prefix, and audits it", async () => {
    const { key, record } = await createAccessKey(
      {
        userId: ada.id,
        name: " laptop ",
        appName: "cli",
        allowedModels: ["mock/mock-chat"],
        limits: { requestsPerMinute: 60 },
      },
      actor,
    );
    keysMentioned.push(key);
    expect(key).toMatch(/^hub-sk-[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({
      name: "laptop",
      appName: "cli",
      prefix: key.slice(0, 13),
      keyHash: sha256Hex(key),
      status: "active",
    });
    expect(record.allowedModels).toEqual(["mock/mock-chat"]);
    expect(record.limits).toEqual({ requestsPerMinute: 60 });
    const [row] = await hub.database.db.select().from(accessKeys).where(eq(accessKeys.id, record.id));
    expect(JSON.stringify(row)).not.toContain(key.slice(13));

    const [audit] = await audits(record.id);
    expect(audit).toMatchObject({ action: "key.create", actorId: ada.id, ip: "127.0.0.1" });
    expect(JSON.stringify(audit)).not.toContain(key.slice(13));

    const principal = await authenticate(bearer(key));
    expect(principal).toMatchObject({
      userId: ada.id,
      keyId: record.id,
      appName: "cli",
      allowedModels: ["mock/mock-chat"],
      limits: { requestsPerMinute: 60 },
    });
  });

  it.each([
    [{ name: "" }, "name"],
    [{ name: "x".repeat(101) }, "name"],
    [{ name: "ok", expiresAt: new Date(Date.now() - 1000) }, "expiresAt"],
    [{ name: "ok", allowedModels: ["gpt-4o"] }, "allowedModels.0"],
    [{ name: "ok", limits: { requestsPerMinute: 0 } }, "limits.requestsPerMinute"],
    [{ name: "ok", limits: { concurrency: 1.5 } }, "limits.concurrency"],
    [{ name: "ok", limits: { bogus: 1 } as never }, "limits"],
  ])("refuses %j (param %s)", async (input, param) => {
    const error = await createAccessKey({ userId: ada.id, ...input }, actor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ kind: "invalid_input", status: 400, param });
  });
});

describe("listing keys", () => {
  it("shows the owner's keys only, with calls and tokens per key from model_calls, and derived status", async () => {
    const { record: used } = await createAccessKey({ userId: bob.id, name: "used" }, CLI_ACTOR);
    const { record: soon } = await createAccessKey(
      { userId: bob.id, name: "soon", expiresAt: new Date(Date.now() + 150) },
      CLI_ACTOR,
    );
    await createAccessKey({ userId: ada.id, name: "not bob's" }, CLI_ACTOR);
    const call = (keyId: string, input: number | null, output: number | null) => ({
      id: newId("call"),
      requestId: newId("req"),
      userId: bob.id,
      accessKeyId: keyId,
      type: "chat",
      endpoint: "/api/v2/chat/completions",
      status: "success" as const,
      inputTokens: input,
      outputTokens: output,
    });
    await hub.database.db
      .insert(modelCalls)
      .values([call(used.id, 10, 5), call(used.id, 7, null), call(used.id, null, null)]);
    await new Promise((r) => setTimeout(r, 200));

    const list = await listAccessKeys(bob.id);
    expect(list.map((k) => k.name)).toEqual(["used", "soon"]); // usable first
    expect(list[0]).toMatchObject({
      status: "active",
      usage: { calls: 3, tokens: 22 },
      lastUsedAt: null,
      expiresAt: null,
    });
    expect(list[1]).toMatchObject({ id: soon.id, status: "expired", usage: { calls: 0, tokens: 0 } });
    expect(JSON.stringify(list)).not.toMatch(/keyHash|key_hash/);
  });
});

describe("revoking and rotating", () => {
  it("refuses a revoked key on its next request, though authenticate had just cached it", async () => {
    const published: Array<string | undefined> = [];
    const unsubscribe = subscribe("access-keys", (detail) => published.push(detail));
    const { key, record } = await createAccessKey({ userId: ada.id, name: "to revoke" }, actor);
    keysMentioned.push(key);
    await authenticate(bearer(key)); // now cached for a few seconds

    await expect(revokeAccessKey(record.id, bob.id, actor)).rejects.toMatchObject({ kind: "not_found" }); // not Bob's
    const revoked = await revokeAccessKey(record.id, ada.id, actor);
    expect(revoked).toMatchObject({ status: "revoked" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(published).toEqual([record.id]);
    expect(await refusal(key)).toMatchObject({ status: 401, message: "This API key has been revoked." });
    await expect(revokeAccessKey(record.id, ada.id, actor)).rejects.toMatchObject({ kind: "conflict" });
    expect((await audits(record.id)).map((a) => a.action).sort()).toEqual(["key.create", "key.revoke"]);
    unsubscribe();
  });

  it("refuses an expired key from the moment it expires", async () => {
    const { key } = await createAccessKey(
      { userId: ada.id, name: "short", expiresAt: new Date(Date.now() + 300) },
      actor,
    );
    keysMentioned.push(key);
    await expect(authenticate(bearer(key))).resolves.toMatchObject({ userId: ada.id });
    await new Promise((r) => setTimeout(r, 350));
    expect(await refusal(key)).toMatchObject({ status: 401, code: "expired_api_key" });
  });

  it("rotates: a new key with the same settings, the old one refused at once, both linked and audited", async () => {
    const expiresAt = new Date(Date.now() + 86_400_000);
    const { key: oldKey, record: old } = await createAccessKey(
      {
        userId: ada.id,
        name: "service",
        appName: "billing",
        expiresAt,
        allowedModels: ["mock/mock-chat"],
        limits: { concurrency: 2 },
      },
      actor,
    );
    keysMentioned.push(oldKey);
    await authenticate(bearer(oldKey));
    const { key: newKey, record } = await rotateAccessKey(old.id, ada.id, actor);
    keysMentioned.push(newKey);
    expect(newKey).not.toBe(oldKey);
    expect(record).toMatchObject({
      name: "service",
      appName: "billing",
      allowedModels: ["mock/mock-chat"],
      limits: { concurrency: 2 },
      rotatedFromId: old.id,
      status: "active",
    });
    expect(record.expiresAt?.getTime()).toBe(expiresAt.getTime());
    expect(await refusal(oldKey)).toMatchObject({ status: 401 });
    await expect(authenticate(bearer(newKey))).resolves.toMatchObject({ keyId: record.id });

    const [rotation] = await audits(record.id);
    expect(rotation).toMatchObject({ action: "key.rotate", before: { id: old.id, prefix: old.prefix } });
    await expect(rotateAccessKey(old.id, ada.id, actor)).rejects.toMatchObject({ kind: "conflict" });
    await expect(rotateAccessKey(record.id, bob.id, actor)).rejects.toMatchObject({ kind: "not_found" });
  });

  it("does not rotate an expired key (its settings would carry an expiry in the past)", async () => {
    const { record } = await createAccessKey(
      { userId: ada.id, name: "old", expiresAt: new Date(Date.now() + 100) },
      actor,
    );
    await new Promise((r) => setTimeout(r, 150));
    await expect(rotateAccessKey(record.id, ada.id, actor)).rejects.toMatchObject({
      kind: "conflict",
      message: /expired/,
    });
  });

  it("never wrote a key into a log line", () => {
    expect(keysMentioned.length).toBeGreaterThan(3);
    const all = logLines.join("\n");
    for (const key of keysMentioned) expect(all).not.toContain(key.slice(13));
  });
});
