/**
 * Reconciliation under a mixed load run all at once: plain answers, streams, streams that break, upstream failures,
 * client aborts, embeddings, images and AIGNE envelopes. Afterwards the ledger's charges equal the sum of the call
 * costs to the micro-credit, each cost is the price book's price of the call's recorded usage, what the clients
 * were told adds up to the same, the balance equals the sum of the ledger, and nothing is left held.
 */
import { eq, sql } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditLedger, modelRates, models } from "@drizzle/schema";
import { chargeableUsage } from "@server/billing/call-billing.server";
import { priceMicro, rateAt } from "@server/billing/price-book";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { billingOn, expectBooksBalanced, grant, settledCalls } from "./billing-helpers";

let hub: TempHub;
let api: ApiServer;
let upstream: FakeUpstream;
const GRANT = 100_000_000;
const SETTINGS = { creditPriceMicroUsd: 20_000, profitMarginBps: 2_500 }; // $0.02 a credit, 25 % margin

beforeAll(async () => {
  hub = await createTempHub();
  upstream = await startFakeOpenAI({ reply: "Hello from upstream, streaming in pieces.", cachedTokens: 3 });
  await seedProvider({ kind: "openai", name: "up", baseUrl: `${upstream.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini", input: 150_000, output: 600_000 },
    { model: "text-embedding-3-small", type: "embedding", input: 20_000 },
  ]);
  await seedProvider({ kind: "mock", name: "mock" }, [
    { model: "mock-chat", input: 1_000_000, output: 2_000_000 },
    { model: "mock-image", type: "image" },
  ]);
  const [image] = await hub.database.db.select().from(models).where(eq(models.model, "mock-image"));
  await hub.database.db.update(modelRates).set({ perImage: 40_000 }).where(eq(modelRates.modelId, image!.id));
  await hub.database.db
    .update(modelRates)
    .set({ cachedInputPerMillion: 75_000 })
    .where(sql`${modelRates.outputPerMillion} = 600000`);
  await billingOn(SETTINGS);
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await upstream.close();
  await hub.cleanup();
});

describe("reconciliation", () => {
  it("ledger totals equal the sum of call costs after a mixed load", async () => {
    const { user, key } = await seedUserWithKey("mixed@example.com");
    await grant(user.id, GRANT);
    const sdk = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
    const told: number[] = []; // costs the clients were given
    const noteCost = (usage: unknown) => told.push(Math.round((usage as { cost: number }).cost * 1e6));
    const post = (path: string, body: unknown) =>
      fetch(`${api.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    const plain = (i: number) =>
      sdk.chat.completions
        .create({ model: "up/gpt-4o-mini", messages: [{ role: "user", content: `plain ${i}` }] })
        .then((r) => noteCost(r.usage));
    const stream = async (i: number) => {
      const s = await sdk.chat.completions.create({
        model: "up/gpt-4o-mini",
        messages: [{ role: "user", content: `stream ${i}` }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of s) if (chunk.usage) noteCost(chunk.usage);
    };
    const broken = async (i: number) => {
      const s = await sdk.chat.completions.create({
        model: "up/gpt-4o-mini",
        messages: [{ role: "user", content: `break ${i} [[break]]` }],
        stream: true,
      });
      // The stream breaks, as asked; the record and its charge are what is checked.
      await (async () => {
        for await (const _ of s);
      })().catch(() => undefined);
    };
    const failing = (i: number) =>
      sdk.chat.completions
        .create({ model: "up/gpt-4o-mini", messages: [{ role: "user", content: `fail ${i} [[500]]` }] })
        .catch(() => undefined); // fails, as asked; the record and its charge are what is checked
    const aborted = async (i: number) => {
      const controller = new AbortController();
      const s = await sdk.chat.completions.create(
        {
          model: "mock/mock-chat",
          messages: [{ role: "user", content: `[[delay=30]] abort ${i} one two three four five six` }],
          stream: true,
        },
        { signal: controller.signal },
      );
      let words = 0;
      for await (const chunk of s) if (chunk.choices[0]?.delta?.content && ++words === 2 + (i % 3)) controller.abort();
    };
    const embedding = (i: number) =>
      sdk.embeddings
        .create({ model: "up/text-embedding-3-small", input: [`embed ${i}`, "more text"] })
        .then((r) => noteCost(r.usage));
    const image = (i: number) =>
      sdk.images
        .generate({ model: "mock/mock-image", prompt: `a square ${i}`, n: 1 + (i % 2) })
        .then((r) => noteCost(r.usage));
    const aigne = async (i: number) => {
      const res = await post("/api/v2/chat", {
        input: { messages: [{ role: "user", content: `aigne ${i}` }], modelOptions: { model: "mock/mock-chat" } },
        options: i % 2 ? { streaming: true } : {},
      });
      const text = await res.text();
      const credits = /"aigneHubCredits":([0-9.e-]+)/.exec(text);
      if (credits) told.push(Math.round(Number(credits[1]) * 1e6));
    };

    const jobs: Array<Promise<unknown>> = [];
    for (let i = 0; i < 10; i++) jobs.push(plain(i), stream(i));
    for (let i = 0; i < 5; i++) jobs.push(broken(i), failing(i), aborted(i), embedding(i), image(i), aigne(i));
    await Promise.all(jobs);

    const calls = await settledCalls(hub, user.id);
    expect(calls).toHaveLength(50);
    const statuses = calls.reduce<Record<string, number>>((m, c) => ({ ...m, [c.status]: (m[c.status] ?? 0) + 1 }), {});
    expect(statuses).toEqual({ success: 35, failed: 10, aborted: 5 });

    // Each recorded cost is the price book's price of the call's chargeable usage at the rate it recorded.
    const rates = await hub.database.db.select().from(modelRates);
    for (const call of calls) {
      if (call.rateId === null) {
        // Failed before any provider answered: no model served it, nothing to charge.
        expect(call).toMatchObject({ status: "failed", costMicro: 0, providerName: null });
        continue;
      }
      const rate = rateAt(
        rates.filter((r) => r.id === call.rateId),
        call.createdAt,
      );
      expect(call.costMicro, `${call.status} ${call.requestedModel}`).toBe(
        priceMicro(rate!, chargeableUsage(call), SETTINGS),
      );
    }
    const totalCost = calls.reduce((sum, c) => sum + c.costMicro!, 0);
    expect(calls.filter((c) => c.status === "aborted").every((c) => c.costMicro! > 0)).toBe(true);
    expect(
      calls.filter((c) => c.errorCode === "upstream_error" || c.httpStatus === 500).every((c) => c.costMicro === 0),
    ).toBe(true);

    const [charges] = await hub.database.db
      .select({ total: sql<number>`-coalesce(sum(${creditLedger.amountMicro}), 0)`, n: sql<number>`count(*)` })
      .from(creditLedger)
      .where(sql`${creditLedger.userId} = ${user.id} and ${creditLedger.kind} = 'settle'`);
    expect(Number(charges!.total)).toBe(totalCost);
    expect(Number(charges!.n)).toBe(calls.filter((c) => c.costMicro! > 0).length);

    // What the clients were told (answers, last stream chunks, aigneHubCredits) is each call's cost.
    expect(told.length).toBe(10 + 10 + 5 + 5 + 5);
    const toldCalls = calls.filter((c) => c.status === "success");
    expect(told.reduce((a, b) => a + b, 0)).toBe(toldCalls.reduce((sum, c) => sum + c.costMicro!, 0));

    const books = await expectBooksBalanced(hub, user.id);
    expect(books).toMatchObject({ balanceMatchesLedger: true, nothingHeld: true, eachOnce: true, neverNegative: true });
    expect(books.balanceMicro).toBe(GRANT - totalCost);
  });
});
