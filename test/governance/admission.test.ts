/**
 * IP rules and quotas enforced by the gateway, through real HTTP with the real `openai` SDK against the mock
 * provider: a denied address gets 403 (and a rule for another key does not touch this one), requests per minute,
 * concurrency and tokens per day answer 429 with Retry-After, a refused call reaches no provider and leaves no
 * call record, and the window's counters free up as calls end.
 */
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ipRules, modelCalls, quotas } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { publish } from "@server/cache/invalidation.server";
import { resetAdmissionCaches } from "@server/governance/admission.server";
import { addIpRule } from "@server/governance/ip-rules.server";
import { setQuota } from "@server/governance/quotas.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let alice: { key: string; keyId: string; userId: string };
let bob: { key: string; keyId: string; userId: string };

const client = (key: string) => new OpenAI({ apiKey: key, baseURL: `${api.url}/api/v2`, maxRetries: 0 });

async function chat(key: string, content = "Hello there") {
  return fetch(`${api.url}/api/v2/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "mock/mock-chat", messages: [{ role: "user", content }] }),
  });
}

async function recordedCalls(userId: string): Promise<number> {
  await callRecorder.flush();
  return (await hub.database.db.select({ id: modelCalls.id }).from(modelCalls).where(eq(modelCalls.userId, userId)))
    .length;
}

beforeAll(async () => {
  hub = await createTempHub();
  await seedProvider({ kind: "mock", name: "mock" });
  const a = await seedUserWithKey("alice@example.com", { appName: "alice-app" });
  const b = await seedUserWithKey("bob@example.com");
  alice = { key: a.key, keyId: a.keyRecord.id, userId: a.user.id };
  bob = { key: b.key, keyId: b.keyRecord.id, userId: b.user.id };
  api = await startApiServer();
});

afterAll(async () => {
  await api?.close();
  await hub?.cleanup();
});

beforeEach(async () => {
  await hub.database.db.delete(ipRules);
  await hub.database.db.delete(quotas);
  publish("governance");
  resetAdmissionCaches();
});

describe("IP rules", () => {
  it("refuse a denied address with 403 in the OpenAI shape, before any provider call", async () => {
    await addIpRule({ action: "deny", cidr: "127.0.0.0/8" }, CLI_ACTOR);
    const before = await recordedCalls(alice.userId);
    const res = await chat(alice.key);
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body.error).toMatchObject({ type: "permission_error", code: "ip_not_allowed", param: null });
    expect(body.error.message).toContain("127.0.0.1");
    expect(await recordedCalls(alice.userId)).toBe(before);
  });

  it("scope a rule to one key: the other key still passes", async () => {
    await addIpRule({ action: "deny", cidr: "127.0.0.1", accessKeyId: alice.keyId }, CLI_ACTOR);
    expect((await chat(alice.key)).status).toBe(403);
    expect((await chat(bob.key)).status).toBe(200);
  });

  it("an allow list lets in only its ranges", async () => {
    await addIpRule({ action: "allow", cidr: "10.0.0.0/8" }, CLI_ACTOR);
    const refused = await chat(bob.key);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/not in the allowed IP ranges/);
    await addIpRule({ action: "allow", cidr: "127.0.0.1/32" }, CLI_ACTOR);
    expect((await chat(bob.key)).status).toBe(200);
  });
});

describe("admission from the caches", () => {
  it("a key admitted without waiting (everything cached) is refused as soon as a rule or quota applies", async () => {
    // Warm: the key's lookup, the IP rules and the quotas are cached, so these calls take the path that does not wait.
    for (let i = 0; i < 3; i++) expect((await chat(bob.key)).status).toBe(200);
    const rule = await addIpRule({ action: "deny", cidr: "127.0.0.1", accessKeyId: bob.keyId }, CLI_ACTOR);
    expect((await chat(bob.key)).status).toBe(403);
    await hub.database.db.delete(ipRules).where(eq(ipRules.id, rule.id));
    publish("governance");
    expect((await chat(bob.key)).status).toBe(200);
    await setQuota({ scope: "key", scopeId: bob.keyId, requestsPerMinute: 1 }, CLI_ACTOR);
    expect((await chat(bob.key)).status).toBe(200);
    expect((await chat(bob.key)).status).toBe(429);
    // A key that is not cached as valid goes the whole way, and is refused there.
    expect((await chat("hub-sk-not-a-key")).status).toBe(401);
  });
});

describe("quotas", () => {
  it("requests per minute: the call over the limit gets 429 with Retry-After, through the openai SDK too", async () => {
    await setQuota({ scope: "key", scopeId: alice.keyId, requestsPerMinute: 2 }, CLI_ACTOR);
    const before = await recordedCalls(alice.userId);
    expect((await chat(alice.key)).status).toBe(200);
    expect((await chat(alice.key)).status).toBe(200);
    const refused = await chat(alice.key);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    const body = await refused.json();
    expect(body.error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    expect(body.error.message).toContain("2 requests per minute for this key");
    // Two calls reached the provider and were recorded; the refused one was not.
    expect(await recordedCalls(alice.userId)).toBe(before + 2);

    const error = await client(alice.key)
      .chat.completions.create({ model: "mock/mock-chat", messages: [{ role: "user", content: "again" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    // Another key of the hub is not affected by this key's quota.
    expect((await chat(bob.key)).status).toBe(200);
  });

  it("an app quota counts the app's calls, a user quota the user's", async () => {
    await setQuota({ scope: "app", scopeId: "alice-app", requestsPerMinute: 1 }, CLI_ACTOR);
    await setQuota({ scope: "user", scopeId: bob.userId, requestsPerMinute: 1 }, CLI_ACTOR);
    expect((await chat(alice.key)).status).toBe(200);
    expect((await chat(alice.key)).status).toBe(429);
    expect((await chat(bob.key)).status).toBe(200);
    expect((await chat(bob.key)).status).toBe(429);
  });

  it("concurrency: a second call while a stream is open gets 429; once it ends the next call passes", async () => {
    await setQuota({ scope: "user", scopeId: bob.userId, concurrency: 1 }, CLI_ACTOR);
    const stream = await client(bob.key).chat.completions.create({
      model: "mock/mock-chat",
      messages: [{ role: "user", content: "[[delay=40]] one two three four five six" }],
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next(); // the stream is open and holds the slot
    const refused = await chat(bob.key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await refused.json()).error.message).toContain("1 concurrent requests for your account");
    let text = "";
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      text += next.value.choices[0]?.delta?.content ?? "";
    expect(text).toContain("six");
    // The slot is released when the call is finished; that happens as the stream ends.
    await expect.poll(async () => (await chat(bob.key)).status, { timeout: 5_000 }).toBe(200);
  });

  it("tokens per day: once the day's tokens reach the limit, calls are refused until midnight UTC", async () => {
    await setQuota({ scope: "user", scopeId: alice.userId, tokensPerDay: 5 }, CLI_ACTOR);
    resetAdmissionCaches();
    // Tokens used earlier today (the rollups hold them) count: the limit is already reached by the calls above.
    await callRecorder.flush();
    const refused = await chat(alice.key);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    const now = Date.now();
    const midnight = Date.UTC(
      new Date(now).getUTCFullYear(),
      new Date(now).getUTCMonth(),
      new Date(now).getUTCDate() + 1,
    );
    expect(Math.abs(retryAfter - (midnight - now) / 1000)).toBeLessThan(5);
    expect((await refused.json()).error.message).toContain("5 tokens per day for your account");
  });

  it("tokens per day for a fresh scope: the first call passes, its tokens then close the day", async () => {
    const carol = await seedUserWithKey("carol@example.com");
    await setQuota({ scope: "key", scopeId: carol.keyRecord.id, tokensPerDay: 3 }, CLI_ACTOR);
    expect((await chat(carol.key, "a question long enough to use more than three tokens")).status).toBe(200);
    // Counted in this process as the call finished, before the rollups are even read again.
    expect((await chat(carol.key)).status).toBe(429);
    // And from the database for a process that did not see the call (another instance, or after a restart).
    await callRecorder.flush();
    resetAdmissionCaches();
    expect((await chat(carol.key)).status).toBe(429);
  });

  it("tokens per minute: refused once the window's tokens reach the limit", async () => {
    const dave = await seedUserWithKey("dave@example.com");
    await setQuota({ scope: "key", scopeId: dave.keyRecord.id, tokensPerMinute: 4 }, CLI_ACTOR);
    expect((await chat(dave.key, "this prompt has clearly more than four tokens in it")).status).toBe(200);
    const refused = await chat(dave.key);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
