/**
 * The hub in front of the translated providers, with the real `openai` SDK as the client: Anthropic and Gemini
 * fakes that speak their vendors' wire formats. Text (plain and streamed), a tool call round trip, prompt-cache
 * usage in the call record, Gemini embeddings, and an upstream 429 mapped to the client's 429.
 * (Bedrock and the OpenAI-compatible kinds: providers-e2e-more.test.ts.)
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_ANTHROPIC_KEY, FAKE_CACHE_READ_TOKENS, startFakeAnthropic } from "@test/fake-upstreams/anthropic";
import { FAKE_GEMINI_KEY, fakeVector, startFakeGemini } from "@test/fake-upstreams/google";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { ask, callRecord, streamText, streamUntilError, toolRoundTrip } from "@test/helpers/chat-checks";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { breaker } from "@server/gateway/credential-health.server";

let hub: TempHub;
let api: ApiServer;
let anthropic: FakeUpstream;
let gemini: FakeUpstream;
let client: OpenAI;

const CLAUDE = "anthropic/claude-haiku-4-5-20251001";
const GEMINI = "google/gemini-2.5-flash";
const user = (content: string): OpenAI.ChatCompletionMessageParam[] => [{ role: "user", content }];

beforeAll(async () => {
  hub = await createTempHub();
  anthropic = await startFakeAnthropic();
  gemini = await startFakeGemini({ cached: true });
  await seedProvider({ kind: "anthropic", name: "anthropic", baseUrl: anthropic.url, apiKey: FAKE_ANTHROPIC_KEY }, [
    { model: "claude-haiku-4-5-20251001", input: 1_000_000, output: 5_000_000 },
  ]);
  await seedProvider({ kind: "google", name: "google", baseUrl: gemini.url, apiKey: FAKE_GEMINI_KEY }, [
    { model: "gemini-2.5-flash" },
    { model: "gemini-embedding-001", type: "embedding" },
  ]);
  const { key } = await seedUserWithKey("e2e@example.com");
  api = await startApiServer();
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await api.close();
  await anthropic.close();
  await gemini.close();
  await hub.cleanup();
});

describe("Anthropic behind the hub", () => {
  it("answers a chat completion and records the provider's usage", async () => {
    const { data, requestId } = await ask(client, CLAUDE, [
      { role: "system", content: "Be brief." },
      ...user("Hi there"),
    ]);
    expect(data.choices[0]!.message.content).toBe("You said: Hi there");
    expect(data.choices[0]!.finish_reason).toBe("stop");
    const sent = JSON.parse(anthropic.requests.at(-1)!.body);
    expect(sent).toMatchObject({
      model: "claude-haiku-4-5-20251001",
      system: "Be brief.",
      messages: [{ role: "user", content: "Hi there" }],
    });
    expect(await callRecord(hub, requestId)).toMatchObject({
      status: "success",
      providerName: "anthropic",
      model: "claude-haiku-4-5-20251001",
      inputTokens: data.usage!.prompt_tokens,
      outputTokens: data.usage!.completion_tokens,
      usageSource: "provider",
    });
  });

  it("streams text in several chunks with usage", async () => {
    const s = await streamText(client, CLAUDE, user("Stream this reply to me"));
    expect(s.text).toBe("You said: Stream this reply to me");
    expect(s.chunks).toBeGreaterThan(3);
    expect(s.finish).toBe("stop");
    expect(s.usage!.completion_tokens).toBeGreaterThan(0);
    const row = await callRecord(hub, s.requestId);
    expect(row).toMatchObject({
      status: "success",
      stream: true,
      usageSource: "provider",
      outputTokens: s.usage!.completion_tokens,
      inputTokens: s.usage!.prompt_tokens,
    });
    expect(row.ttftMs).not.toBeNull();
  });

  it.each([false, true])("calls a tool and uses its result (streamed first turn: %s)", async (stream) => {
    const r = await toolRoundTrip(client, CLAUDE, { stream, result: "Sunny, 22C" });
    expect(r.finishReason).toBe("tool_calls");
    expect(r.call).toMatchObject({ name: "get_weather", args: { location: "San Francisco, CA", unit: "fahrenheit" } });
    expect(r.call.id).toMatch(/^toolu_fake_/);
    expect(r.answer).toBe("The tool said: Sunny, 22C");
    // The tool result went back as Anthropic's tool_result block for that tool_use id.
    const sent = JSON.parse(anthropic.requests.at(-1)!.body);
    expect(JSON.stringify(sent.messages)).toContain(`"tool_use_id":"${r.call.id}"`);
  });

  it("records prompt-cache reads, streamed or not", async () => {
    const messages = [
      {
        role: "user",
        content: [
          { type: "text", text: "A long shared context.", cache_control: { type: "ephemeral" } },
          { type: "text", text: "Question?" },
        ],
      },
    ] as unknown as OpenAI.ChatCompletionMessageParam[];
    const { data, requestId } = await ask(client, CLAUDE, messages);
    expect(data.usage!.prompt_tokens_details!.cached_tokens).toBe(FAKE_CACHE_READ_TOKENS);
    const row = await callRecord(hub, requestId);
    expect(row).toMatchObject({ cachedInputTokens: FAKE_CACHE_READ_TOKENS, usageSource: "provider" });
    expect(row.inputTokens).toBeGreaterThan(FAKE_CACHE_READ_TOKENS); // Anthropic's input excludes cache reads; the hub adds them

    const s = await streamText(client, CLAUDE, messages);
    expect(s.usage!.prompt_tokens_details!.cached_tokens).toBe(FAKE_CACHE_READ_TOKENS);
    expect(await callRecord(hub, s.requestId)).toMatchObject({
      cachedInputTokens: FAKE_CACHE_READ_TOKENS,
      inputTokens: row.inputTokens,
    });
  });

  it("maps an upstream 429 to 429 with its Retry-After", async () => {
    const error = await ask(client, CLAUDE, user("too fast [[429]]")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("1");
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({ type: "rate_limit_error" });

    // Within the Retry-After window the hub answers for the provider instead of sending more requests.
    const sentBefore = anthropic.requests.length;
    const again = await ask(client, CLAUDE, user("still too fast?")).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(OpenAI.RateLimitError);
    expect(
      Number((again as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")),
    ).toBeGreaterThanOrEqual(1);
    expect(anthropic.requests.length).toBe(sentBefore);
    breaker.reset(); // the next tests start with a healthy credential
  });

  it.each([
    ["[[break]]", "upstream_unreachable"],
    ["[[error-event]]", "overloaded_error"],
  ])("a stream cut by %s ends with an in-band error and a failed, partial record", async (magic, code) => {
    const r = await streamUntilError(client, CLAUDE, `cut me ${magic}`);
    expect(r.error).toBeInstanceOf(OpenAI.APIError);
    expect(r.text.length).toBeGreaterThan(0);
    expect(`You said: cut me ${magic}`.startsWith(r.text)).toBe(true);
    const row = await callRecord(hub, r.requestId);
    expect(row).toMatchObject({ status: "failed", usageSource: "partial", errorCode: code });
    expect(row.outputTokens).not.toBeNull();
  });
});

describe("Gemini behind the hub", () => {
  const answer = (said: string) => `This is gemini-2.5-flash answering. You said: ${said}. That is all.`;

  it("answers a chat completion with cached-token usage", async () => {
    const { data, requestId } = await ask(client, GEMINI, user("Hi there"));
    expect(data.choices[0]!.message.content).toBe(answer("Hi there"));
    expect(data.choices[0]!.finish_reason).toBe("stop");
    const cached = data.usage!.prompt_tokens_details!.cached_tokens!;
    expect(cached).toBeGreaterThan(0);
    expect(await callRecord(hub, requestId)).toMatchObject({
      status: "success",
      providerName: "google",
      model: "gemini-2.5-flash",
      inputTokens: data.usage!.prompt_tokens,
      outputTokens: data.usage!.completion_tokens,
      cachedInputTokens: cached,
      usageSource: "provider",
    });
  });

  it("streams text with usage", async () => {
    const s = await streamText(client, GEMINI, user("Stream this please"));
    expect(s.text).toBe(answer("Stream this please"));
    expect(s.chunks).toBeGreaterThan(3);
    expect(s.finish).toBe("stop");
    expect(await callRecord(hub, s.requestId)).toMatchObject({
      status: "success",
      stream: true,
      usageSource: "provider",
      inputTokens: s.usage!.prompt_tokens,
      outputTokens: s.usage!.completion_tokens,
      cachedInputTokens: s.usage!.prompt_tokens_details!.cached_tokens,
    });
  });

  it.each([false, true])("calls a tool and uses its result (streamed first turn: %s)", async (stream) => {
    const r = await toolRoundTrip(client, GEMINI, { stream, result: "Sunny, 22C" });
    expect(r.finishReason).toBe("tool_calls");
    expect(r.call).toMatchObject({ name: "get_weather", args: { location: "Boston, MA" } });
    expect(r.answer).toMatch(/^Function get_weather returned .*Sunny, 22C.*\.$/);
    const sent = JSON.parse(gemini.requests.at(-1)!.body);
    expect(sent.contents.at(-1).parts[0].functionResponse.name).toBe("get_weather");
  });

  it("serves embeddings (the SDK's base64 and plain floats) with estimated usage", async () => {
    const { data, response } = await client.embeddings
      .create({ model: "google/gemini-embedding-001", input: ["alpha", "beta"] })
      .withResponse();
    expect(data.data).toHaveLength(2);
    data.data.forEach((d, i) => {
      const expected = fakeVector(["alpha", "beta"][i]!, 8);
      expect(d.embedding).toHaveLength(8);
      d.embedding.forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 5));
    });
    expect(JSON.parse(gemini.requests.at(-1)!.body).requests.map((r: { model: string }) => r.model)).toEqual([
      "models/gemini-embedding-001",
      "models/gemini-embedding-001",
    ]);
    const floats = await client.embeddings.create({
      model: "google/gemini-embedding-001",
      input: "gamma",
      dimensions: 4,
      encoding_format: "float",
    });
    expect(floats.data[0]!.embedding).toEqual(fakeVector("gamma", 4));

    expect(await callRecord(hub, response.headers.get("x-request-id")!)).toMatchObject({
      type: "embedding",
      status: "success",
      providerName: "google",
      inputTokens: Math.ceil("alphabeta".length / 4),
      outputTokens: 0,
      // Gemini reports no token counts for embeddings: the hub's count is an estimate and says so.
      usageSource: "estimated",
    });
  });

  it("a stream cut mid-way ends with an in-band error and a failed, partial record", async () => {
    const r = await streamUntilError(client, GEMINI, "cut me [[break]]");
    expect(r.error).toBeInstanceOf(OpenAI.APIError);
    expect(r.text.length).toBeGreaterThan(0);
    expect(answer("cut me").startsWith(r.text)).toBe(true);
    const row = await callRecord(hub, r.requestId);
    expect(row).toMatchObject({ status: "failed", usageSource: "partial" });
    expect(row.outputTokens).not.toBeNull();
  });

  it("maps RESOURCE_EXHAUSTED to 429 with the RetryInfo delay", async () => {
    const error = await ask(client, GEMINI, user("quota [[429]]")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("2");
    const emb = await client.embeddings
      .create({ model: "google/gemini-embedding-001", input: "[[429]]" })
      .catch((e: unknown) => e);
    expect(emb).toBeInstanceOf(OpenAI.RateLimitError);
  });
});
