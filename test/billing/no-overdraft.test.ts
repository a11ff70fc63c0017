/**
 * The no-overdraft race: 50 parallel calls on a balance that covers exactly 5 worst cases. Every reservation is
 * one write batch, so 5 get through and 45 are refused with 402 before any upstream call; the balance never goes
 * below zero, and once the 5 settle the books balance.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { worstCaseMicro } from "@server/billing/price-book";
import { chatBound } from "@server/billing/worst-case";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { billingOn, expectBooksBalanced, grant, settledCalls } from "./billing-helpers";

let hub: TempHub;
let api: ApiServer;
let upstream: FakeUpstream;

beforeAll(async () => {
  hub = await createTempHub();
  // Slow enough that all 50 reservations are made while the first 5 calls are still upstream.
  upstream = await startFakeOpenAI({ reply: "Short answer.", latencyMs: 3_000 });
  await seedProvider({ kind: "openai", name: "openai", baseUrl: `${upstream.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini", input: 150_000, output: 600_000 },
  ]);
  await billingOn();
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await upstream.close();
  await hub.cleanup();
});

describe("no overdraft under concurrency", () => {
  it("lets exactly 5 of 50 parallel calls through on a balance that covers 5", async () => {
    const { user, key } = await seedUserWithKey("racer@example.com");
    const messages = [{ role: "user" as const, content: "Race!" }];
    const worst = worstCaseMicro(
      {
        id: "",
        effectiveFrom: 0,
        inputPerMillion: 150_000,
        outputPerMillion: 600_000,
        cachedInputPerMillion: null,
        cacheWritePerMillion: null,
        perImage: null,
        imagePrices: null,
      },
      chatBound({ messages, max_tokens: 1_000 }, null),
      { creditPriceMicroUsd: 1_000_000, profitMarginBps: 0 },
    );
    await grant(user.id, 5 * worst + worst - 1); // 5 worst cases, and not quite a sixth
    const sdk = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
    const before = upstream.requests.length;

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        sdk.chat.completions.create({ model: "openai/gpt-4o-mini", messages, max_tokens: 1_000 }).then(
          () => 200,
          (e: unknown) => (e instanceof OpenAI.APIError ? (e.status ?? -1) : -1),
        ),
      ),
    );
    expect(outcomes.filter((s) => s === 200)).toHaveLength(5);
    expect(outcomes.filter((s) => s === 402)).toHaveLength(45);
    expect(upstream.requests.length - before).toBe(5);

    const calls = await settledCalls(hub, user.id);
    const spent = calls.reduce((sum, c) => sum + (c.costMicro ?? 0), 0);
    expect(calls.filter((c) => c.status === "success")).toHaveLength(5);
    expect(calls.filter((c) => c.httpStatus === 402).every((c) => c.costMicro === 0)).toBe(true);
    const books = await expectBooksBalanced(hub, user.id);
    expect(books).toMatchObject({ balanceMatchesLedger: true, nothingHeld: true, eachOnce: true, neverNegative: true });
    expect(books.balanceMicro).toBe(6 * worst - 1 - spent);
  });
});
