/**
 * Credit billing in the request path, through real HTTP with the real `openai` SDK and AIGNE's real client: prices
 * with billing off (no ledger at all), the 402 before any upstream call, hold → settle → release on success with
 * the cost back to the client (usage.cost, the last stream chunk, x-hub-cost, aigneHubCredits), unpriced models,
 * and a rate change that applies only to calls starting after it.
 */
import { AIGNEHubChatModel } from "@aigne/aigne-hub";
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditLedger, modelRates, models } from "@drizzle/schema";
import { priceMicro, worstCaseMicro, type RateCard } from "@server/billing/price-book";
import { chatBound } from "@server/billing/worst-case";
import { publish } from "@server/cache/invalidation.server";
import { newId } from "@server/crypto/tokens";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { hubCost } from "@test/helpers/openai-shapes";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import {
  account,
  billingOff,
  billingOn,
  callByRequestId,
  expectBooksBalanced,
  grant,
  ledgerOf,
  PAYMENT_LINK,
} from "./billing-helpers";

let hub: TempHub;
let api: ApiServer;
let upstream: FakeUpstream;
const AT_COST = { creditPriceMicroUsd: 1_000_000, profitMarginBps: 0 };
const MINI: RateCard = {
  id: "",
  effectiveFrom: 0,
  inputPerMillion: 150_000,
  outputPerMillion: 600_000,
  cachedInputPerMillion: null,
  cacheWritePerMillion: null,
  perImage: null,
  imagePrices: null,
};

beforeAll(async () => {
  hub = await createTempHub();
  upstream = await startFakeOpenAI({ reply: "Hello from upstream!" });
  await seedProvider({ kind: "openai", name: "openai", baseUrl: `${upstream.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini", input: 150_000, output: 600_000 },
    { model: "text-embedding-3-small", type: "embedding", input: 20_000 },
  ]);
  await seedProvider({ kind: "mock", name: "mock" });
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await upstream.close();
  await hub.cleanup();
});

async function newUser(email: string) {
  const { user, key } = await seedUserWithKey(email);
  return { user, key, sdk: new OpenAI({ apiKey: key, baseURL: `${api.url}/api/v2`, maxRetries: 0 }) };
}

const post = (key: string, path: string, body: unknown) =>
  fetch(`${api.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("billing off (the default)", () => {
  it("prices calls for reporting, returns the cost, and writes no ledger entry", async () => {
    const { user, sdk } = await newUser("off@example.com");
    const { data, response } = await sdk.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Say hello" }] })
      .withResponse();
    const expected = priceMicro(
      MINI,
      { inputTokens: data.usage!.prompt_tokens, outputTokens: data.usage!.completion_tokens },
      AT_COST,
    );
    expect(expected).toBeGreaterThan(0);
    expect(hubCost(data.usage)).toBe(expected / 1e6);
    expect(response.headers.get("x-hub-cost")).toBe(String(expected / 1e6));
    const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
    expect(row.costMicro).toBe(expected);
    expect(row.rateId).toMatch(/^rat_/);
    expect(await hub.database.db.select().from(creditLedger).where(eq(creditLedger.userId, user.id))).toEqual([]);

    // A pass-through model with no price: no cost anywhere, null on the record.
    const free = await sdk.chat.completions
      .create({ model: "mock/anything", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(free.data.usage).not.toHaveProperty("cost");
    expect(free.response.headers.get("x-hub-cost")).toBeNull();
    expect((await callByRequestId(hub, free.response.headers.get("x-request-id")!)).costMicro).toBeNull();
  });
});

describe("billing on", () => {
  beforeAll(() => billingOn());
  afterAll(() => billingOff());

  it("refuses a call the balance cannot cover with 402, the payment link, and no upstream call", async () => {
    const { user, key, sdk } = await newUser("broke@example.com");
    const before = upstream.requests.length;
    const error = await sdk.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("insufficient_quota");

    const res = await post(key, "/v1/chat/completions", {
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(402);
    const { error: body } = (await res.json()) as { error: Record<string, string> };
    const link = `${PAYMENT_LINK}?client_reference_id=${user.id}&prefilled_email=broke%40example.com`;
    expect(body).toMatchObject({ type: "insufficient_quota", code: "insufficient_quota", param: null, link });
    expect(body.message).toMatch(
      /^Not enough credit: this call may cost up to [\d.]+ credits and your balance is 0 credits\. Buy credits at /,
    );
    expect(body.message?.endsWith(link)).toBe(true);
    expect(upstream.requests.length).toBe(before);

    // AIGNE's envelope: its NOT_ENOUGH type and link beside the OpenAI fields; its real client raises the message.
    const aigne = await post(key, "/api/v2/chat", {
      input: { messages: [{ role: "user", content: "hi" }], modelOptions: { model: "openai/gpt-4o-mini" } },
    });
    expect(aigne.status).toBe(402);
    expect(((await aigne.json()) as { error: unknown }).error).toMatchObject({
      type: "NOT_ENOUGH",
      code: "insufficient_quota",
      link,
    });
    const raised = await new AIGNEHubChatModel({ baseURL: api.url, apiKey: key, model: "aignehub/openai/gpt-4o-mini" })
      .invoke({ messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(String(raised)).toContain("Not enough credit");
    expect(upstream.requests.length).toBe(before);

    const status = await fetch(`${api.url}/api/v2/status`, { headers: { authorization: `Bearer ${key}` } });
    expect(await status.json()).toMatchObject({ available: false, code: 402, type: "NOT_ENOUGH", link });
    expect((await expectBooksBalanced(hub, user.id)).balanceMicro).toBe(0);
  });

  it("holds the worst case, then settles to the real cost and releases the rest, once", async () => {
    const { user, sdk } = await newUser("payer@example.com");
    await grant(user.id, 1_000_000);
    const messages = [{ role: "user" as const, content: "Say hello" }];
    const { data, response } = await sdk.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages, max_tokens: 100 })
      .withResponse();
    const cost = priceMicro(
      MINI,
      { inputTokens: data.usage!.prompt_tokens, outputTokens: data.usage!.completion_tokens },
      AT_COST,
    );
    const held = worstCaseMicro(MINI, chatBound({ messages, max_tokens: 100 }, null), AT_COST);
    expect(hubCost(data.usage)).toBe(cost / 1e6);
    expect(response.headers.get("x-hub-cost")).toBe(String(cost / 1e6));

    const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
    expect(row.costMicro).toBe(cost);
    const entries = await ledgerOf(hub, row.id);
    expect(entries.map((e) => [e.kind, e.amountMicro]).sort()).toEqual([
      ["release", held],
      ["reserve", -held],
      ["settle", -cost],
    ]);
    expect(entries.every((e) => e.actorId === user.id && e.reason)).toBe(true);
    expect(await account(hub, user.id)).toMatchObject({ balanceMicro: 1_000_000 - cost, reservedMicro: 0 });
    expect(await expectBooksBalanced(hub, user.id)).toMatchObject({
      balanceMatchesLedger: true,
      nothingHeld: true,
      eachOnce: true,
      neverNegative: true,
    });
  });

  it("sends the cost in the last stream chunk, and as aigneHubCredits to AIGNE's client", async () => {
    const { user, key, sdk } = await newUser("streamer@example.com");
    await grant(user.id, 1_000_000);
    const { data: stream, response } = await sdk.chat.completions
      .create({
        model: "openai/gpt-4o-mini",
        messages: [{ role: "user", content: "Stream please" }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
    expect(row.costMicro).toBeGreaterThan(0);
    expect(hubCost(last.usage)).toBe(row.costMicro! / 1e6);

    const out = await new AIGNEHubChatModel({
      baseURL: api.url,
      apiKey: key,
      model: "aignehub/openai/gpt-4o-mini",
    }).invoke({ messages: [{ role: "user", content: "Say hello" }] });
    const expected = priceMicro(
      MINI,
      { inputTokens: out.usage!.inputTokens, outputTokens: out.usage!.outputTokens },
      AT_COST,
    );
    expect((out.usage as { aigneHubCredits?: number }).aigneHubCredits).toBe(expected / 1e6);

    const embedding = await sdk.embeddings.create({ model: "openai/text-embedding-3-small", input: "hello world" });
    expect(hubCost(embedding.usage)).toBe(
      priceMicro({ ...MINI, inputPerMillion: 20_000 }, { inputTokens: embedding.usage.prompt_tokens }, AT_COST) / 1e6,
    );
    expect(await expectBooksBalanced(hub, user.id)).toMatchObject({
      balanceMatchesLedger: true,
      nothingHeld: true,
      eachOnce: true,
    });
  });

  it("refuses a model with no price by name (403), but the mock provider is free", async () => {
    const { user, key, sdk } = await newUser("unpriced@example.com");
    await grant(user.id, 1_000_000);
    const before = upstream.requests.length;
    const res = await post(key, "/v1/chat/completions", {
      model: "openai/gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: "model_not_priced",
      param: "model",
      message: expect.stringContaining("'openai/gpt-4o' has no price set"),
    });
    expect(upstream.requests.length).toBe(before);

    const free = await sdk.chat.completions
      .create({ model: "mock/mock-chat", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(hubCost(free.data.usage)).toBe(0);
    expect((await account(hub, user.id)).balanceMicro).toBe(1_000_000);
  });

  it("prices each call with the rate in force when it started", async () => {
    const { user, sdk } = await newUser("rates@example.com");
    await grant(user.id, 1_000_000);
    const [model] = await hub.database.db.select().from(models).where(eq(models.model, "gpt-4o-mini"));
    const ask = async () => {
      const { data, response } = await sdk.chat.completions
        .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Say hello" }] })
        .withResponse();
      const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
      return { row, tokens: { inputTokens: data.usage!.prompt_tokens, outputTokens: data.usage!.completion_tokens } };
    };
    // A rate dated tomorrow is not in force yet; one dated now applies to the next call.
    await hub.database.db.insert(modelRates).values({
      id: "rat_tomorrow",
      modelId: model!.id,
      effectiveFrom: new Date(Date.now() + 86_400_000),
      inputPerMillion: 9_000_000,
      outputPerMillion: 9_000_000,
    });
    publish("catalog");
    const first = await ask();
    expect(first.row.costMicro).toBe(priceMicro(MINI, first.tokens, AT_COST));
    await hub.database.db.insert(modelRates).values({
      id: newId("rat"),
      modelId: model!.id,
      effectiveFrom: new Date(),
      inputPerMillion: 300_000,
      outputPerMillion: 1_200_000,
    });
    publish("catalog");
    const second = await ask();
    expect(second.row.costMicro).toBe(
      priceMicro({ ...MINI, inputPerMillion: 300_000, outputPerMillion: 1_200_000 }, second.tokens, AT_COST),
    );
    expect(second.row.rateId).not.toBe(first.row.rateId);
  });
});
