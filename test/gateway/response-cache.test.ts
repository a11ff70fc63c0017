/**
 * The response cache through real HTTP with the real `openai` SDK against the fake OpenAI upstream: off by
 * default; when on, an identical non-streaming request from the same person is answered without a provider
 * call (recorded as a cache hit, charged nothing), while another person, `Cache-Control: no-cache`, a changed
 * body and streams all go to the provider.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { clearResponseCache } from "@server/gateway/response-cache.server";
import { updateSettings } from "@server/settings/settings.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { account, billingOff, billingOn, callByRequestId, grant } from "@test/billing/billing-helpers";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { hubCost } from "@test/helpers/openai-shapes";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let fake: FakeUpstream;
let ann: { client: OpenAI; userId: string };
let ben: { client: OpenAI; userId: string };

const upstreamCalls = (path: string) => fake.requests.filter((r) => r.path === path).length;
const question = (content: string) => ({ model: "up/gpt-4o-mini", messages: [{ role: "user" as const, content }] });

beforeAll(async () => {
  hub = await createTempHub();
  fake = await startFakeOpenAI();
  await seedProvider({ kind: "openai", name: "up", baseUrl: `${fake.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini", input: 150_000, output: 600_000 },
    { model: "text-embedding-3-small", type: "embedding", input: 20_000, output: 0 },
  ]);
  api = await startApiServer();
  for (const [email, set] of [
    ["ann@example.com", (v: typeof ann) => (ann = v)],
    ["ben@example.com", (v: typeof ben) => (ben = v)],
  ] as const) {
    const { key, user } = await seedUserWithKey(email);
    set({ client: new OpenAI({ apiKey: key, baseURL: `${api.url}/api/v2`, maxRetries: 0 }), userId: user.id });
  }
});

afterAll(async () => {
  await api?.close();
  await fake?.close();
  await hub?.cleanup();
});

beforeEach(async () => {
  clearResponseCache();
  await updateSettings({ responseCacheEnabled: true }, CLI_ACTOR);
});

describe("response cache", () => {
  it("is off by default: identical requests both reach the provider", async () => {
    await updateSettings({ responseCacheEnabled: false }, CLI_ACTOR);
    const before = upstreamCalls("/v1/chat/completions");
    await ann.client.chat.completions.create(question("off by default"));
    const { response } = await ann.client.chat.completions.create(question("off by default")).withResponse();
    expect(upstreamCalls("/v1/chat/completions")).toBe(before + 2);
    expect(response.headers.get("x-hub-cache")).toBeNull();
  });

  it("answers an identical request from the cache and records it as a hit with no tokens", async () => {
    const before = upstreamCalls("/v1/chat/completions");
    const first = await ann.client.chat.completions.create(question("What is 2 + 2?"));
    const { data: second, response } = await ann.client.chat.completions
      .create(question("What is 2 + 2?"))
      .withResponse();
    expect(upstreamCalls("/v1/chat/completions")).toBe(before + 1);
    expect(response.headers.get("x-hub-cache")).toBe("hit");
    expect(second.choices[0]!.message.content).toBe(first.choices[0]!.message.content);
    expect(second.id).toBe(first.id);
    expect(second.usage?.prompt_tokens).toBe(first.usage?.prompt_tokens);
    expect(hubCost(second.usage)).toBe(0);

    const record = await callByRequestId(hub, response.headers.get("x-request-id")!);
    expect(record).toMatchObject({
      status: "success",
      usageSource: "cache",
      inputTokens: 0,
      outputTokens: 0,
      providerName: "up",
      model: "gpt-4o-mini",
    });
  });

  it("never answers one person with another's cached answer", async () => {
    await ann.client.chat.completions.create(question("shared question"));
    const before = upstreamCalls("/v1/chat/completions");
    const { response } = await ben.client.chat.completions.create(question("shared question")).withResponse();
    expect(upstreamCalls("/v1/chat/completions")).toBe(before + 1);
    expect(response.headers.get("x-hub-cache")).toBeNull();
  });

  it("skips the cache for Cache-Control: no-cache, a different body, and streams", async () => {
    await ann.client.chat.completions.create(question("fresh please"));
    let before = upstreamCalls("/v1/chat/completions");
    await ann.client.chat.completions.create(question("fresh please"), { headers: { "cache-control": "no-cache" } });
    await ann.client.chat.completions.create({ ...question("fresh please"), temperature: 0.5 });
    expect(upstreamCalls("/v1/chat/completions")).toBe(before + 2);

    before = upstreamCalls("/v1/chat/completions");
    for (let i = 0; i < 2; i++) {
      const stream = await ann.client.chat.completions.create({ ...question("stream me"), stream: true });
      for await (const chunk of stream) void chunk;
    }
    expect(upstreamCalls("/v1/chat/completions")).toBe(before + 2);
  });

  it("no-store keeps an answer out of the cache", async () => {
    await ann.client.chat.completions.create(question("do not keep"), { headers: { "cache-control": "no-store" } });
    const before = upstreamCalls("/v1/chat/completions");
    await ann.client.chat.completions.create(question("do not keep"));
    expect(upstreamCalls("/v1/chat/completions")).toBe(before + 1);
  });

  it("caches embeddings too", async () => {
    const before = upstreamCalls("/v1/embeddings");
    const first = await ann.client.embeddings.create({
      model: "up/text-embedding-3-small",
      input: "cache this vector",
    });
    const { data: second, response } = await ann.client.embeddings
      .create({ model: "up/text-embedding-3-small", input: "cache this vector" })
      .withResponse();
    expect(upstreamCalls("/v1/embeddings")).toBe(before + 1);
    expect(response.headers.get("x-hub-cache")).toBe("hit");
    expect(second.data[0]!.embedding).toEqual(first.data[0]!.embedding);
  });

  it("with billing on, a hit charges nothing and needs no credit hold", async () => {
    await billingOn();
    try {
      await grant(ben.userId, 1_000_000);
      await ben.client.chat.completions.create(question("billed once"));
      const after = await account(hub, ben.userId);
      expect(after.balanceMicro).toBeLessThan(1_000_000);
      const { response } = await ben.client.chat.completions.create(question("billed once")).withResponse();
      expect(response.headers.get("x-hub-cache")).toBe("hit");
      await callByRequestId(hub, response.headers.get("x-request-id")!);
      expect(await account(hub, ben.userId)).toMatchObject({ balanceMicro: after.balanceMicro, reservedMicro: 0 });
    } finally {
      await billingOff();
    }
  });
});
