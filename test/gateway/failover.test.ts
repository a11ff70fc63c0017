/**
 * Failover through real HTTP with the real `openai` SDK (no client retries): a failing credential is retried on
 * the next one before any byte reaches the client, a credential that keeps failing is skipped while its circuit
 * is open, a 429's Retry-After reaches the client, a model whose credentials all fail is served by its fallback
 * model, and weights spread calls between healthy credentials.
 */
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { credentials, modelCalls, models } from "@drizzle/schema";
import { breaker, writeHealth } from "@server/gateway/credential-health.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import { startFakeUpstream, type FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { addCredential, setFallbackModels } from "@test/helpers/routing";
import { seededRandom } from "@test/helpers/seeded-random";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let good: FakeUpstream;
let client: OpenAI;
const fakes: FakeUpstream[] = [];

/** An OpenAI-style upstream that always answers `status`. */
async function failing(status: number, headers: Record<string, string> = {}): Promise<FakeUpstream> {
  const fake = await startFakeUpstream((_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify({ error: { message: `fake ${status}`, type: "server_error", param: null, code: null } }));
  });
  fakes.push(fake);
  return fake;
}

/** A provider whose first credential (weight 1, tried first) points at `firstUrl` and a second (weight 0, failover only) at the healthy fake. */
async function providerWithBackup(name: string, firstUrl: string) {
  const { provider, credential } = await seedProvider(
    { kind: "openai", name, baseUrl: firstUrl, apiKey: "sk-test", weight: 1 },
    [{ model: "gpt-4o-mini" }],
  );
  const backupId = await addCredential(provider.id, {
    name: "backup",
    secret: "sk-test",
    baseUrl: `${good.url}/v1`,
    weight: 0,
  });
  return { firstId: credential!.id, backupId };
}

async function chat(model: string, content = "hello") {
  const { data, response } = await client.chat.completions
    .create({ model, messages: [{ role: "user", content }] })
    .withResponse();
  return { data, requestId: response.headers.get("x-request-id")! };
}

async function record(requestId: string) {
  await callRecorder.flush();
  const [row] = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.requestId, requestId));
  return row!;
}

beforeAll(async () => {
  hub = await createTempHub();
  good = await startFakeOpenAI({ reply: "Served by the healthy upstream." });
  fakes.push(good);
  const { key } = await seedUserWithKey("failover@example.com");
  api = await startApiServer();
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await api.close();
  await Promise.all(fakes.map((f) => f.close()));
  await hub.cleanup();
});

describe("failover between credentials", () => {
  it.each([
    ["500", (f: FakeUpstream) => `${f.url}/v1`, 500],
    ["503", (f: FakeUpstream) => `${f.url}/v1`, 503],
    ["refused", () => "http://127.0.0.1:1/v1", 0],
  ] as const)("a %s from the first credential is retried on the next one", async (label, url, status) => {
    const bad = status ? await failing(status) : null;
    const { backupId } = await providerWithBackup(`retry-${label}`, url(bad!));
    const before = good.requests.length;
    const { data, requestId } = await chat(`retry-${label}/gpt-4o-mini`);
    expect(data.choices[0]!.message.content).toBe("Served by the healthy upstream.");
    if (bad) expect(bad.requests).toHaveLength(1);
    expect(good.requests.length - before).toBe(1);
    expect(await record(requestId)).toMatchObject({
      status: "success",
      attempts: 2,
      credentialId: backupId,
      providerName: `retry-${label}`,
      model: "gpt-4o-mini",
      httpStatus: 200,
    });

    // The same before the first byte of a stream.
    const { data: stream, response } = await client.chat.completions
      .create({ model: `retry-${label}/gpt-4o-mini`, messages: [{ role: "user", content: "stream" }], stream: true })
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("Served by the healthy upstream.");
    if (bad) expect(bad.requests).toHaveLength(2);
    expect(await record(response.headers.get("x-request-id")!)).toMatchObject({
      status: "success",
      stream: true,
      attempts: 2,
      credentialId: backupId,
    });
  });

  it("skips a credential after 3 failures: it gets no more requests during the cooldown", async () => {
    const bad = await failing(500);
    const { firstId, backupId } = await providerWithBackup("breaker", `${bad.url}/v1`);
    for (let i = 0; i < 3; i++) {
      const { requestId } = await chat("breaker/gpt-4o-mini", `call ${i}`);
      expect(await record(requestId)).toMatchObject({ status: "success", attempts: 2, credentialId: backupId });
    }
    expect(bad.requests).toHaveLength(3);
    const openUntil = breaker.openUntil(firstId)!;
    expect(openUntil - Date.now()).toBeGreaterThan(25_000);
    expect(openUntil - Date.now()).toBeLessThanOrEqual(30_000);

    for (let i = 0; i < 5; i++) {
      const { data, requestId } = await chat("breaker/gpt-4o-mini", `later ${i}`);
      expect(data.choices[0]!.message.content).toBe("Served by the healthy upstream.");
      expect(await record(requestId)).toMatchObject({ status: "success", attempts: 1, credentialId: backupId });
    }
    expect(bad.requests).toHaveLength(3);

    // The admin view learns it too.
    await writeHealth();
    const [row] = await hub.database.db.select().from(credentials).where(eq(credentials.id, firstId));
    expect(row).toMatchObject({ health: "unhealthy", consecutiveFailures: 3 });
    expect(row!.lastError).toMatch(/^500 /);
    expect(row!.cooldownUntil!.getTime()).toBe(openUntil);
  });

  it("answers an upstream 429 from the only credential with 429 and its Retry-After", async () => {
    const limited = await failing(429, { "retry-after": "7" });
    const { credential } = await seedProvider(
      { kind: "openai", name: "limited", baseUrl: `${limited.url}/v1`, apiKey: "sk-test" },
      [{ model: "gpt-4o-mini" }],
    );
    const error = await client.chat.completions
      .create({ model: "limited/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const e = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.headers.get("retry-after")).toBe("7");
    expect(e.error).toMatchObject({ message: "fake 429" });
    expect(limited.requests).toHaveLength(1);
    // That credential's circuit is open for exactly the Retry-After.
    const left = breaker.openUntil(credential!.id)! - Date.now();
    expect(left).toBeGreaterThan(5_000);
    expect(left).toBeLessThanOrEqual(7_000);
    await callRecorder.flush();
    const rows = await hub.database.db
      .select()
      .from(modelCalls)
      .where(eq(modelCalls.requestedModel, "limited/gpt-4o-mini"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed", httpStatus: 429 });
  });

  it("serves a model whose credentials all fail with its fallback model, recorded under the fallback's provider", async () => {
    const bad = await failing(503);
    const { provider } = await seedProvider(
      { kind: "openai", name: "flaky", baseUrl: `${bad.url}/v1`, apiKey: "sk-test" },
      [{ model: "gpt-4o" }],
    );
    await addCredential(provider.id, { name: "second", secret: "sk-other", baseUrl: `${bad.url}/v1` });
    const { provider: steady } = await seedProvider(
      { kind: "openai", name: "steady", baseUrl: `${good.url}/v1`, apiKey: "sk-test" },
      [{ model: "gpt-4o-mini" }],
    );
    const [modelA] = await hub.database.db.select().from(models).where(eq(models.providerId, provider.id));
    await setFallbackModels(modelA!.id, ["steady/gpt-4o-mini"]);

    const { data, requestId } = await chat("flaky/gpt-4o", "fall back please");
    expect(data.choices[0]!.message.content).toBe("Served by the healthy upstream.");
    expect(bad.requests).toHaveLength(2);
    expect(JSON.parse(good.requests.at(-1)!.body).model).toBe("gpt-4o-mini");
    expect(await record(requestId)).toMatchObject({
      status: "success",
      requestedModel: "flaky/gpt-4o",
      providerId: steady.id,
      providerName: "steady",
      model: "gpt-4o-mini",
      attempts: 3,
    });
  });
});

describe("weights", () => {
  it("splits calls 3:1 between two healthy credentials (±7 points over 400 calls)", async () => {
    const heavy = await startFakeOpenAI({ reply: "heavy" });
    const light = await startFakeOpenAI({ reply: "light" });
    fakes.push(heavy, light);
    const { provider } = await seedProvider(
      { kind: "openai", name: "weighted", baseUrl: `${heavy.url}/v1`, apiKey: "sk-test", weight: 3 },
      [{ model: "gpt-4o-mini" }],
    );
    await addCredential(provider.id, { name: "light", secret: "sk-test", baseUrl: `${light.url}/v1`, weight: 1 });
    // The hub runs in this process: a seeded Math.random makes the draw sequence, and so the test, repeatable.
    const random = vi.spyOn(Math, "random").mockImplementation(seededRandom(2024));
    const replies = { heavy: 0, light: 0 };
    try {
      const total = 400;
      for (let batch = 0; batch < total / 20; batch++) {
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) => chat("weighted/gpt-4o-mini", `call ${batch}-${i}`)),
        );
        for (const a of answers) replies[a.data.choices[0]!.message.content as "heavy" | "light"]++;
      }
      expect(heavy.requests.length + light.requests.length).toBe(total);
      expect(replies).toEqual({ heavy: heavy.requests.length, light: light.requests.length });
      expect(Math.abs(heavy.requests.length / total - 0.75)).toBeLessThanOrEqual(0.07);
      expect(Math.abs(light.requests.length / total - 0.25)).toBeLessThanOrEqual(0.07);
    } finally {
      random.mockRestore();
    }
  });
});
