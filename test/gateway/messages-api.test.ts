/**
 * Anthropic's Messages API through the hub (docs/messages-api.md), with the real @anthropic-ai/sdk as the client
 * and fake upstreams speaking each provider's wire format: Anthropic natively (the body arrives unchanged but for
 * the model, with anthropic-version and anthropic-beta), an OpenAI-compatible provider and Gemini translated (no
 * Anthropic headers or fields upstream), tool use both ways, streamed tool input, count_tokens, and errors in
 * Anthropic's envelope that the SDK raises as the right class with the right type.
 */
import Anthropic from "@anthropic-ai/sdk";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { models } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { publish } from "@server/cache/invalidation.server";
import { setModelAliases } from "@server/catalog/model-aliases.server";
import { breaker } from "@server/gateway/credential-health.server";
import { FAKE_ANTHROPIC_KEY, fakeTokenCount, startFakeAnthropic } from "@test/fake-upstreams/anthropic";
import { FAKE_GEMINI_KEY, startFakeGemini } from "@test/fake-upstreams/google";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { callRecord } from "@test/helpers/chat-checks";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let anthropic: FakeUpstream;
let openai: FakeUpstream;
let gemini: FakeUpstream;
let key: string;
let client: Anthropic;

const CLAUDE = "anthropic/claude-haiku-4-5-20251001";
const GPT = "openai/gpt-4o-mini";
const GEMINI = "google/gemini-2.5-flash";
const OPENAI_REPLY = "Hello from the fake OpenAI upstream!";
const WEATHER: Anthropic.Tool = {
  name: "get_weather",
  description: "Current weather for a place",
  input_schema: {
    type: "object",
    properties: { location: { type: "string" }, unit: { type: "string" } },
    required: ["location"],
  },
};

const lastBody = (u: FakeUpstream): unknown => JSON.parse(u.requests.at(-1)!.body);

beforeAll(async () => {
  hub = await createTempHub();
  anthropic = await startFakeAnthropic();
  openai = await startFakeOpenAI();
  gemini = await startFakeGemini();
  await seedProvider({ kind: "anthropic", name: "anthropic", baseUrl: anthropic.url, apiKey: FAKE_ANTHROPIC_KEY }, [
    { model: "claude-haiku-4-5-20251001" },
  ]);
  await seedProvider({ kind: "openai", name: "openai", baseUrl: `${openai.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini" },
  ]);
  await seedProvider({ kind: "google", name: "google", baseUrl: gemini.url, apiKey: FAKE_GEMINI_KEY }, [
    { model: "gemini-2.5-flash" },
  ]);
  // Claude Code's model names, aliased by an admin to a model of another provider.
  const [gpt] = await hub.database.db.select().from(models).where(eq(models.model, "gpt-4o-mini"));
  await setModelAliases(gpt!.id, ["claude-sonnet-4-5"], CLI_ACTOR);
  publish("catalog");
  ({ key } = await seedUserWithKey("claude@example.com"));
  api = await startApiServer();
  client = new Anthropic({ authToken: key, baseURL: api.url, maxRetries: 0 });
});

afterAll(async () => {
  await api.close();
  await Promise.all([anthropic.close(), openai.close(), gemini.close()]);
  await hub.cleanup();
});

describe("messages.create", () => {
  it("authenticates with x-api-key and passes the body to Anthropic unchanged but for the model", async () => {
    const sdk = new Anthropic({
      apiKey: null,
      authToken: null,
      baseURL: api.url,
      maxRetries: 0,
      defaultHeaders: { "x-api-key": key },
    });
    const params = {
      model: CLAUDE,
      max_tokens: 200,
      system: [{ type: "text" as const, text: "Be brief.", cache_control: { type: "ephemeral" as const } }],
      messages: [{ role: "user" as const, content: "Hi there" }],
      metadata: { user_id: "user-1" },
    };
    const { data, response } = await sdk.messages
      .create(params, { headers: { "anthropic-beta": "claude-code-20250219,effort-2025-11-24" } })
      .withResponse();
    expect(data.content).toEqual([{ type: "text", text: "You said: Hi there" }]);
    expect(data.usage.cache_read_input_tokens).toBe(1024);

    const sent = anthropic.requests.at(-1)!;
    expect(sent.path).toBe("/v1/messages");
    expect(JSON.parse(sent.body)).toEqual({ ...params, model: "claude-haiku-4-5-20251001" });
    expect(sent.headers["x-api-key"]).toBe(FAKE_ANTHROPIC_KEY);
    expect(sent.headers["anthropic-version"]).toBe("2026-10-21"); // what @anthropic-ai/sdk 1.12 sends
    expect(sent.headers["anthropic-beta"]).toBe("claude-code-20250219,effort-2025-11-24");
    expect(JSON.stringify(sent.headers)).not.toContain(key);

    const requestId = response.headers.get("x-request-id")!;
    expect(response.headers.get("request-id")).toBe(requestId);
    expect(Number(response.headers.get("x-hub-overhead-ms"))).toBeGreaterThanOrEqual(0);
    const row = await callRecord(hub, requestId);
    expect(row).toMatchObject({
      status: "success",
      endpoint: "/v1/messages",
      providerName: "anthropic",
      requestedModel: CLAUDE,
      // The record counts cache reads inside the input, as for every provider; Anthropic's input_tokens excludes them.
      inputTokens: data.usage.input_tokens + 1024,
      cachedInputTokens: 1024,
      outputTokens: data.usage.output_tokens,
      usageSource: "provider",
    });
  });

  it("routes an aliased Claude name to an OpenAI-compatible model (Bearer auth), no Anthropic headers or fields upstream", async () => {
    const { data, response } = await client.messages
      .create(
        {
          model: "claude-sonnet-4-5",
          max_tokens: 300,
          system: "You are terse.",
          messages: [
            { role: "user", content: "Hello" },
            { role: "system", content: "Mid-conversation reminder." } as unknown as Anthropic.MessageParam,
          ],
          metadata: { user_id: "user-1" },
          thinking: { type: "adaptive" },
          // API version 2023-06-01's top_k, absent from the SDK 1.x types.
          ...({ top_k: 5 } as object),
        },
        { headers: { "anthropic-beta": "claude-code-20250219" } },
      )
      .withResponse();
    expect(data).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      stop_reason: "end_turn",
    });
    expect(data.content).toEqual([{ type: "text", text: OPENAI_REPLY }]);
    expect(data.id).toMatch(/^msg_/);

    const sent = openai.requests.at(-1)!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers["anthropic-beta"]).toBeUndefined();
    expect(sent.headers["anthropic-version"]).toBeUndefined();
    const body = JSON.parse(sent.body);
    expect(body).toMatchObject({ model: "gpt-4o-mini", max_tokens: 300 });
    expect(body.messages).toEqual([
      { role: "system", content: "You are terse.\n\nMid-conversation reminder." },
      { role: "user", content: "Hello" },
    ]);
    for (const field of ["metadata", "thinking", "top_k", "system"]) expect(body).not.toHaveProperty(field);

    const row = await callRecord(hub, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      providerName: "openai",
      model: "gpt-4o-mini",
      requestedModel: "claude-sonnet-4-5",
      inputTokens: data.usage.input_tokens,
      outputTokens: data.usage.output_tokens,
    });
  });

  it.each([
    ["OpenAI-compatible", GPT],
    ["Gemini", GEMINI],
  ])("calls a tool and reads its result through %s", async (_name, model) => {
    const question: Anthropic.MessageParam = { role: "user", content: "What is the weather in Paris?" };
    const first = await client.messages.create({ model, max_tokens: 300, tools: [WEATHER], messages: [question] });
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((b) => b.type === "tool_use")!;
    expect(call).toMatchObject({ type: "tool_use", name: "get_weather" });
    expect(call.input).toMatchObject({ location: expect.any(String) });

    const second = await client.messages.create({
      model,
      max_tokens: 300,
      tools: [WEATHER],
      messages: [
        question,
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: call.id, content: "Sunny, 22C" }],
        },
      ],
    });
    expect(second.stop_reason).toBe("end_turn");
    expect(second.content[0]!.type).toBe("text");
    const sent = JSON.stringify(lastBody(model === GPT ? openai : gemini));
    expect(sent).toContain("Sunny, 22C");
    // Gemini has no call ids (its results go by function name); OpenAI's carry the tool_use id.
    if (model === GPT) expect(sent).toContain(call.id);
  });
});

describe("messages.stream", () => {
  it.each([
    ["Anthropic (native)", CLAUDE, "You said: Stream this to me"],
    ["OpenAI-compatible", GPT, OPENAI_REPLY],
    ["Gemini", GEMINI, "This is gemini-2.5-flash answering. You said: Stream this to me. That is all."],
  ])("streams text events and a final message from %s", async (_name, model, expected) => {
    const stream = client.messages.stream({
      model,
      max_tokens: 500,
      messages: [{ role: "user", content: "Stream this to me" }],
    });
    const pieces: string[] = [];
    stream.on("text", (t) => pieces.push(t));
    const final = await stream.finalMessage();
    expect(pieces.join("")).toBe(expected);
    expect(pieces.length).toBeGreaterThan(1);
    expect(final.content).toEqual([{ type: "text", text: expected }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    const { response } = await stream.withResponse();
    const row = await callRecord(hub, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      status: "success",
      stream: true,
      usageSource: "provider",
      outputTokens: final.usage.output_tokens,
    });
    expect(row.ttftMs).not.toBeNull();
  });

  it.each([
    ["Anthropic (native)", CLAUDE],
    ["OpenAI-compatible", GPT],
    ["Gemini", GEMINI],
  ])("streams tool input as input_json_delta from %s, accumulated by the SDK", async (_name, model) => {
    const stream = client.messages.stream({
      model,
      max_tokens: 500,
      tools: [WEATHER],
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    const partial: string[] = [];
    stream.on("inputJson", (delta) => partial.push(delta));
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    const call = final.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use")!;
    expect(call.name).toBe("get_weather");
    expect(JSON.parse(partial.join(""))).toEqual(call.input);
    expect(call.input).toMatchObject({ location: expect.any(String) });
  });

  it("ends a stream the upstream broke with an error event the SDK raises, and records the call as failed", async () => {
    const stream = client.messages.stream({
      model: CLAUDE,
      max_tokens: 500,
      messages: [{ role: "user", content: "cut me [[error-event]]" }],
    });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    // Anthropic's own in-stream error, passed on unmodified.
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe("overloaded_error");
    expect((error as InstanceType<typeof Anthropic.APIError>).apiMessage).toBe("Overloaded");
    const { response } = await stream.withResponse();
    expect(await callRecord(hub, response.headers.get("x-request-id")!)).toMatchObject({
      status: "failed",
      usageSource: "partial",
    });
  });
});

describe("count_tokens", () => {
  const params = {
    system: "Be brief.",
    messages: [{ role: "user" as const, content: "How many tokens is this?" }],
    tools: [WEATHER],
  };

  it("asks Anthropic's own counter for an Anthropic model", async () => {
    const { data, response } = await client.messages.countTokens({ model: CLAUDE, ...params }).withResponse();
    expect(data.input_tokens).toBe(fakeTokenCount(params));
    expect(response.headers.get("x-hub-token-count")).toBe("provider");
    expect(anthropic.requests.at(-1)!.path).toBe("/v1/messages/count_tokens");
  });

  it("estimates for another provider and for a model the hub does not know, never 404", async () => {
    const sentBefore = openai.requests.length;
    for (const model of ["claude-sonnet-4-5", "no-such-model"]) {
      const { data, response } = await client.messages.countTokens({ model, ...params }).withResponse();
      expect(response.headers.get("x-hub-token-count")).toBe("estimated");
      expect(data.input_tokens).toBeGreaterThan(10);
    }
    expect(openai.requests.length).toBe(sentBefore);
  });
});

describe("errors in Anthropic's envelope", () => {
  it.each([
    [
      "a bad key",
      () =>
        new Anthropic({ authToken: "hub-sk-wrong", baseURL: api.url, maxRetries: 0 }).messages.create({
          model: GPT,
          max_tokens: 10,
          messages: [{ role: "user", content: "x" }],
        }),
      Anthropic.AuthenticationError,
      401,
      "authentication_error",
    ],
    [
      "an unknown model",
      () =>
        client.messages.create({ model: "nobody/nothing", max_tokens: 10, messages: [{ role: "user", content: "x" }] }),
      Anthropic.NotFoundError,
      404,
      "not_found_error",
    ],
    [
      "a missing max_tokens",
      () =>
        client.messages.create({
          model: GPT,
          messages: [{ role: "user", content: "x" }],
        } as unknown as Anthropic.MessageCreateParamsNonStreaming),
      Anthropic.BadRequestError,
      400,
      "invalid_request_error",
    ],
    [
      "Anthropic's 529, passed on as it came",
      () =>
        client.messages.create({
          model: CLAUDE,
          max_tokens: 10,
          messages: [{ role: "user", content: "busy? [[529]]" }],
        }),
      Anthropic.InternalServerError,
      529,
      "overloaded_error",
    ],
    [
      "an OpenAI-compatible 429, in its own words",
      () =>
        client.messages.create({ model: GPT, max_tokens: 10, messages: [{ role: "user", content: "fast [[429]]" }] }),
      Anthropic.RateLimitError,
      429,
      "rate_limit_error",
    ],
  ])("raises %s as the right class and type", async (_what, call, errorClass, status, type) => {
    const error = (await call().catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).toBeInstanceOf(errorClass);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.error).toMatchObject({ type: "error", error: { type } });
    expect(error.requestID).toBeTruthy();
    breaker.reset();
  });

  it("keeps the provider's wording", async () => {
    const error = (await client.messages
      .create({ model: GPT, max_tokens: 10, messages: [{ role: "user", content: "fast [[429]]" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.apiMessage).toMatch(/^Rate limit reached for gpt-4o-mini/);
    const native = (await client.messages
      .create({ model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: "busy [[529]]" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(native.error).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
      request_id: "req_fake",
    });
    breaker.reset();
  });
});

describe("routing on the path", () => {
  it("serves /v1/messages?beta=true, /api/v2/messages and count_tokens?beta=true", async () => {
    const post = (path: string, body: object) =>
      fetch(`${api.url}${path}`, {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json", "anthropic-version": "2023-06-01" },
        body: JSON.stringify(body),
      });
    const message = { model: GPT, max_tokens: 50, messages: [{ role: "user", content: "hi" }] };
    for (const path of ["/v1/messages?beta=true", "/api/v2/messages"]) {
      const res = await post(path, message);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ type: "message", content: [{ type: "text", text: OPENAI_REPLY }] });
    }
    const count = await post("/v1/messages/count_tokens?beta=true", { model: GPT, messages: message.messages });
    expect(count.status).toBe(200);
    expect(await count.json()).toEqual({ input_tokens: expect.any(Number) });

    const get = await fetch(`${api.url}/v1/messages`, { headers: { "x-api-key": key } });
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });
});
