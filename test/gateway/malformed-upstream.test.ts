/**
 * A provider answer or stream event of the wrong shape, over real HTTP, for each wire format the hub reads
 * (OpenAI-compatible JSON and SSE, Anthropic JSON and SSE, Gemini JSON and SSE, Bedrock Converse JSON and
 * event-stream frames): the client gets OpenAI's error shape with a 502 that says what was wrong, the call record
 * is failed with that error, and the ledger follows the rules for failed calls (docs/decisions/004-credit-billing.md:
 * nothing charged when the provider reported no usable usage; what was generated when a stream broke after output).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { breaker } from "@server/gateway/credential-health.server";
import {
  account,
  billingOn,
  callByRequestId,
  expectBooksBalanced,
  grant,
  ledgerOf,
} from "@test/billing/billing-helpers";
import { startMalformedUpstream, type MalformedAnswer, type MalformedUpstream } from "@test/fake-upstreams/malformed";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let fake: MalformedUpstream;
let key: string;
let userId: string;

const OPENAI_KEY = "sk-malformed-test-0123456789";
const AWS = { accessKeyId: "AKIDMALFORMED", secretAccessKey: "malformed/secret/EXAMPLEKEY", region: "eu-west-1" };
const RATE = { input: 1_000_000, output: 2_000_000 };

beforeAll(async () => {
  hub = await createTempHub();
  fake = await startMalformedUpstream();
  await seedProvider({ kind: "openai", name: "compat", baseUrl: `${fake.url}/v1`, apiKey: OPENAI_KEY }, [
    { model: "gpt-4o-mini", ...RATE },
  ]);
  await seedProvider({ kind: "anthropic", name: "claude", baseUrl: fake.url, apiKey: "sk-ant-malformed" }, [
    { model: "claude-haiku-4-5", ...RATE },
  ]);
  await seedProvider({ kind: "google", name: "gemini", baseUrl: fake.url, apiKey: "gemini-malformed" }, [
    { model: "gemini-2.5-flash", ...RATE },
  ]);
  await seedProvider({ kind: "bedrock", name: "bedrock", baseUrl: fake.url, apiKey: JSON.stringify(AWS) }, [
    { model: "amazon.nova-lite-v1:0", ...RATE },
  ]);
  await billingOn();
  const seeded = await seedUserWithKey("malformed@example.com");
  key = seeded.key;
  userId = seeded.user.id;
  await grant(userId, 10_000_000);
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await fake.close();
  await hub.cleanup();
});

// Each malformed answer counts against the credential; the next test starts with a healthy one.
afterEach(() => breaker.reset());

async function call(model: string, stream: boolean) {
  const res = await fetch(`${api.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "Say hello" }], max_tokens: 50 }),
  });
  return { status: res.status, text: await res.text(), requestId: res.headers.get("x-request-id")! };
}

/** The call fails before any output: 502 in OpenAI's shape, a failed record naming the fault, nothing charged. */
async function expectUnreadable(model: string, stream: boolean, answer: MalformedAnswer, detail: string) {
  fake.answer(answer);
  const before = (await account(hub, userId)).balanceMicro;
  const { status, text, requestId } = await call(model, stream);
  expect(status).toBe(502);
  const body = JSON.parse(text) as { error: { type: string; code: string; message: string } };
  expect(body.error).toMatchObject({ type: "api_error", code: "bad_upstream_response" });
  expect(body.error.message).toContain("could not read");
  expect(body.error.message).toContain(detail);
  for (const secret of [OPENAI_KEY, AWS.secretAccessKey]) expect(text).not.toContain(secret);
  const row = await callByRequestId(hub, requestId);
  expect(row).toMatchObject({ status: "failed", costMicro: 0 });
  expect(row.errorMessage).toContain(detail);
  const ledger = await ledgerOf(hub, row.id);
  expect(ledger.map((e) => e.kind).sort()).toEqual(["release", "reserve"]);
  expect((await account(hub, userId)).balanceMicro).toBe(before);
  expect(await expectBooksBalanced(hub, userId)).toMatchObject({ balanceMatchesLedger: true, nothingHeld: true });
}

const sse = (...data: unknown[]) => ({
  sse: data.map((d) => ({ data: typeof d === "string" ? d : JSON.stringify(d) })),
});
const chunk = (extra: Record<string, unknown>) => ({
  id: "c1",
  object: "chat.completion.chunk",
  created: 1,
  model: "gpt-4o-mini",
  choices: [{ index: 0, delta: { content: "Hello there, " }, finish_reason: null }],
  ...extra,
});

describe("an OpenAI-compatible provider's malformed answer", () => {
  it("JSON without choices", () =>
    expectUnreadable(
      "compat/gpt-4o-mini",
      false,
      { json: '{"id":"x","object":"chat.completion"}' },
      "choices is not an array",
    ));

  it("JSON whose usage holds strings (never read as 0 tokens)", () =>
    expectUnreadable(
      "compat/gpt-4o-mini",
      false,
      {
        json: JSON.stringify({
          id: "x",
          object: "chat.completion",
          choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
          usage: { prompt_tokens: "12", completion_tokens: 3 },
        }),
      },
      "usage.prompt_tokens is not a token count",
    ));

  it("a stream whose first chunk is not an object", () =>
    expectUnreadable("compat/gpt-4o-mini", true, sse("[1,2,3]", "[DONE]"), "a stream chunk is not an object"));

  it("a stream that breaks after output: an in-band error, the output charged as estimated", async () => {
    fake.answer(sse(chunk({}), chunk({ choices: [], usage: { prompt_tokens: "many" } }), "[DONE]"));
    const before = (await account(hub, userId)).balanceMicro;
    const { status, text, requestId } = await call("compat/gpt-4o-mini", true);
    expect(status).toBe(200);
    expect(text).toContain("Hello there, ");
    const errorEvent = text
      .split("\n\n")
      .map((e) => e.replace(/^data: /, ""))
      .find((e) => e.includes('"error"'));
    expect(JSON.parse(errorEvent!).error).toMatchObject({ type: "api_error", code: "bad_upstream_response" });
    const row = await callByRequestId(hub, requestId);
    expect(row.status).toBe("failed");
    expect(row.errorMessage).toContain("usage.prompt_tokens is not a token count");
    // A stream cut short: the counts are the hub's estimate of what was sent (server/gateway/usage.ts).
    expect(row.usageSource).toBe("partial");
    expect(row.outputTokens).toBeGreaterThan(0);
    expect(row.costMicro).toBeGreaterThan(0);
    const settle = (await ledgerOf(hub, row.id)).filter((e) => e.kind === "settle");
    expect(settle.reduce((sum, e) => sum - e.amountMicro, 0)).toBe(row.costMicro);
    expect((await account(hub, userId)).balanceMicro).toBe(before - row.costMicro!);
    expect(await expectBooksBalanced(hub, userId)).toMatchObject({ balanceMatchesLedger: true, nothingHeld: true });
  });
});

describe("Anthropic's malformed answer", () => {
  it("JSON with a text block whose text is a number", () =>
    expectUnreadable(
      "claude/claude-haiku-4-5",
      false,
      {
        json: JSON.stringify({
          id: "msg_1",
          type: "message",
          role: "assistant",
          content: [{ type: "text", text: 42 }],
          usage: { input_tokens: 5, output_tokens: 1 },
        }),
      },
      "a content block.text is not a string",
    ));

  it("a stream event of the wrong shape", () =>
    expectUnreadable(
      "claude/claude-haiku-4-5",
      true,
      { sse: [{ event: "message_start", data: JSON.stringify({ type: "message_start", message: "oops" }) }] },
      "message_start.message is not an object",
    ));
});

describe("Gemini's malformed answer", () => {
  it("JSON with a candidate missing its parts", () =>
    expectUnreadable(
      "gemini/gemini-2.5-flash",
      false,
      { json: JSON.stringify({ candidates: [{ content: { role: "model" } }] }) },
      "a candidate has neither parts nor a finishReason",
    ));

  it("a stream chunk whose usage count is a string", () =>
    expectUnreadable(
      "gemini/gemini-2.5-flash",
      true,
      sse({
        candidates: [{ content: { role: "model", parts: [{ text: "Hi" }] } }],
        usageMetadata: { promptTokenCount: "7" },
      }),
      "usageMetadata.promptTokenCount is not a token count",
    ));
});

describe("Bedrock's malformed answer", () => {
  it("Converse JSON without output", () =>
    expectUnreadable(
      "bedrock/amazon.nova-lite-v1:0",
      false,
      { json: '{"stopReason":"end_turn"}' },
      "output is not an object",
    ));

  it("a ConverseStream frame whose payload is not JSON", () =>
    expectUnreadable(
      "bedrock/amazon.nova-lite-v1:0",
      true,
      { frames: [{ type: "contentBlockDelta", payload: '{"delta": {"text": "Hi"' }] },
      "an event's payload is not JSON",
    ));
});
