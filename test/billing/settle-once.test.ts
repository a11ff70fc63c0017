/**
 * Every call's hold is closed exactly once, whatever the ending: success, an upstream failure before any byte
 * (nothing charged), a stream that breaks mid-way (charged for what the provider generated), a client abort
 * mid-stream (charged for what was generated), a non-streaming abort, a stale-call job that released the hold of
 * a still-running call (charged once when it ends), and a gateway process killed mid-call (the stale-call job
 * releases the hold, uncharged).
 */
import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditHolds } from "@drizzle/schema";
import { closeHold } from "@server/billing/ledger.server";
import { failStaleCalls, releaseStaleHolds, STALE_AFTER_MS } from "@server/jobs/stale-calls.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { account, billingOn, callByRequestId, expectBooksBalanced, grant, ledgerOf } from "./billing-helpers";

let hub: TempHub;
let api: ApiServer;
let upstream: FakeUpstream;
const CREDIT = 10_000_000;

beforeAll(async () => {
  hub = await createTempHub();
  upstream = await startFakeOpenAI({ reply: "Hello from upstream, streaming in pieces.", slowMs: 2_000 });
  await seedProvider({ kind: "openai", name: "up", baseUrl: `${upstream.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini", input: 150_000, output: 600_000 },
  ]);
  await seedProvider({ kind: "mock", name: "mock" }, [{ model: "mock-chat", input: 1_000_000, output: 2_000_000 }]);
  await billingOn();
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await upstream.close();
  await hub.cleanup();
});

async function payer(email: string) {
  const { user, key } = await seedUserWithKey(email);
  await grant(user.id, CREDIT);
  return { user, key, sdk: new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 }) };
}

/** The kinds and amounts of the call's ledger entries, and a check that the books balance. */
async function closedOnce(userId: string, requestId: string, column: "requestId" | "clientRequestId" = "requestId") {
  const row = await callByRequestId(hub, requestId, column);
  const entries = await ledgerOf(hub, row.id);
  const kinds = entries.map((e) => e.kind).sort();
  const settled = -(entries.find((e) => e.kind === "settle")?.amountMicro ?? 0);
  expect(await expectBooksBalanced(hub, userId)).toMatchObject({
    balanceMatchesLedger: true,
    nothingHeld: true,
    eachOnce: true,
    neverNegative: true,
  });
  return { row, kinds, settled };
}

describe("settle exactly once", () => {
  it("success: one reserve, one release, one settle; closing again changes nothing", async () => {
    const { user, sdk } = await payer("ok@example.com");
    const { response } = await sdk.chat.completions
      .create({ model: "up/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    const { row, kinds, settled } = await closedOnce(user.id, response.headers.get("x-request-id")!);
    expect(kinds).toEqual(["release", "reserve", "settle"]);
    expect(settled).toBe(row.costMicro);
    const again = await closeHold({
      callId: row.id,
      costMicro: 999,
      releaseReason: "again",
      settleReason: "again",
      actorId: null,
    });
    expect(again.closed).toBe(false);
    expect(await releaseStaleHolds(Date.now() + STALE_AFTER_MS * 10)).toBe(0);
    expect((await ledgerOf(hub, row.id)).length).toBe(3);
    expect((await account(hub, user.id)).balanceMicro).toBe(CREDIT - row.costMicro!);
  });

  it("upstream failure before any byte: released, nothing charged", async () => {
    const { user, sdk } = await payer("fail@example.com");
    const error = await sdk.chat.completions
      .create({ model: "up/gpt-4o-mini", messages: [{ role: "user", content: "boom [[500]]" }] })
      .withResponse()
      .catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    const requestId = (error as InstanceType<typeof OpenAI.APIError>).headers?.get("x-request-id");
    const { row, kinds } = await closedOnce(user.id, requestId!);
    expect(row).toMatchObject({ status: "failed", costMicro: 0 });
    expect(kinds).toEqual(["release", "reserve"]);
    expect((await account(hub, user.id)).balanceMicro).toBe(CREDIT);
  });

  it("a stream that breaks mid-way: charged for what the provider generated, once", async () => {
    const { user, sdk } = await payer("break@example.com");
    const { data, response } = await sdk.chat.completions
      .create({ model: "up/gpt-4o-mini", messages: [{ role: "user", content: "Tell me [[break]]" }], stream: true })
      .withResponse();
    let text = "";
    // The stream breaks, as asked: what arrived before the break is what this test checks.
    await (async () => {
      for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? "";
    })().catch(() => undefined);
    expect(text).toBe("Hello");
    const { row, kinds, settled } = await closedOnce(user.id, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ status: "failed", usageSource: "partial" });
    expect(row.costMicro).toBeGreaterThan(0);
    expect(kinds).toEqual(["release", "reserve", "settle"]);
    expect(settled).toBe(row.costMicro);
  });

  it("a client abort mid-stream: charged for what was generated, once", async () => {
    const { user, sdk } = await payer("abort@example.com");
    const controller = new AbortController();
    const prompt = "[[delay=100]] one two three four five six seven eight nine ten";
    const { data, response } = await sdk.chat.completions
      .create(
        { model: "mock/mock-chat", messages: [{ role: "user", content: prompt }], stream: true },
        { signal: controller.signal },
      )
      .withResponse();
    let text = "";
    for await (const chunk of data) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (text) controller.abort();
    }
    const { row, kinds, settled } = await closedOnce(user.id, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ status: "aborted", usageSource: "partial" });
    // Input ceil(chars/4) at $1/M plus the words so far at $2/M, far below a full answer.
    expect(row.costMicro).toBe(row.inputTokens! + 2 * row.outputTokens!);
    expect(row.outputTokens).toBeLessThan(5);
    expect(kinds).toEqual(["release", "reserve", "settle"]);
    expect(settled).toBe(row.costMicro);
  });

  it("a non-streaming abort before the answer: released, nothing charged", async () => {
    const { user, key } = await payer("gone@example.com");
    const controller = new AbortController();
    const requestId = `abort-${Date.now()}`;
    const pending = fetch(`${api.url}/v1/chat/completions`, {
      method: "POST",
      signal: controller.signal,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({ model: "up/gpt-4o-mini", messages: [{ role: "user", content: "wait [[slow]]" }] }),
    }).catch(() => null); // aborted below, on purpose
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    await pending;
    // No answer came back, so no hub request id: found by the id the client sent.
    const { row, kinds } = await closedOnce(user.id, requestId, "clientRequestId");
    expect(row).toMatchObject({ status: "aborted", costMicro: 0 });
    expect(kinds).toEqual(["release", "reserve"]);
  });

  it("a call still running when the stale-call job released its hold is charged once when it ends", async () => {
    const { user, sdk } = await payer("long@example.com");
    const { data, response } = await sdk.chat.completions
      .create({
        model: "mock/mock-chat",
        messages: [{ role: "user", content: "[[delay=40]] a b c d e f g h" }],
        stream: true,
      })
      .withResponse();
    const iterator = data[Symbol.asyncIterator]();
    await iterator.next();
    expect(await releaseStaleHolds(Date.now() + STALE_AFTER_MS + 1_000)).toBe(1);
    while (!(await iterator.next()).done);
    const { row, kinds, settled } = await closedOnce(user.id, response.headers.get("x-request-id")!);
    expect(row.status).toBe("success");
    expect(kinds).toEqual(["release", "reserve", "settle"]);
    expect(settled).toBe(row.costMicro);
    expect((await account(hub, user.id)).balanceMicro).toBe(CREDIT - row.costMicro!);
  });

  it("a gateway killed mid-call: the stale-call job releases the hold, uncharged, exactly once", async () => {
    const { user, key } = await payer("crash@example.com");
    const child = spawn(process.execPath, ["--import", "tsx", "test/billing/fixtures/gateway-process.ts"], {
      env: { ...process.env, HUB_DATA_DIR: hub.dir, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway process did not start: ${out}`)), 30_000);
      child.stdout.on("data", (c: Buffer) => {
        const m = /\{"url":"([^"]+)"\}/.exec(c.toString());
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const requestId = `crash-${Date.now()}`;
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({
        model: "mock/mock-chat",
        stream: true,
        messages: [{ role: "user", content: "[[delay=200]] a long answer with many words to stream slowly" }],
      }),
    });
    const reader = res.body!.getReader();
    await reader.read(); // the stream has begun: the hold is taken and the call record is on its way
    await new Promise((r) => setTimeout(r, 150)); // past one record flush
    const held = await hub.database.db.select().from(creditHolds).where(eq(creditHolds.userId, user.id));
    expect(held).toHaveLength(1);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    await reader.read().catch(() => undefined); // the stream dies with the killed hub, which is the point
    expect(await account(hub, user.id)).toMatchObject({
      balanceMicro: CREDIT - held[0]!.amountMicro,
      reservedMicro: held[0]!.amountMicro,
    });

    const later = Date.now() + STALE_AFTER_MS + 1_000;
    expect(await failStaleCalls(later)).toBe(1);
    expect(await failStaleCalls(later)).toBe(0);
    await callRecorder.flush();
    const { row, kinds } = await closedOnce(user.id, requestId, "clientRequestId");
    expect(row).toMatchObject({ status: "failed", errorCode: "stale_call" });
    expect(kinds).toEqual(["release", "reserve"]);
    expect((await ledgerOf(hub, row.id)).find((e) => e.kind === "release")).toMatchObject({
      actorId: null,
      reason: expect.stringContaining("stale-call job"),
    });
    expect((await account(hub, user.id)).balanceMicro).toBe(CREDIT);
  });
});
