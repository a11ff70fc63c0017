import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defined } from "@test/helpers/defined";
import { FAKE_ANTHROPIC_KEY, FAKE_CACHE_READ_TOKENS, startFakeAnthropic } from "../../../test/fake-upstreams/anthropic";
import type { FakeUpstream } from "../../../test/fake-upstreams/server";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ChatCompletionChunk, ChatCompletionCreateParams, UpstreamTarget } from "../types";
import * as F from "./fixtures";
import { AnthropicRequestError, anthropicAdapter, toAnthropicBody } from "./index";

const NOW = new Date("2025-01-02T03:04:05Z");
const target: UpstreamTarget = {
  baseUrl: "https://api.anthropic.com",
  secret: "sk-ant-secret",
  model: "claude-sonnet-4-5",
  now: NOW,
};
const chat = anthropicAdapter.chat;
const body = (extra: Partial<ChatCompletionCreateParams>): ChatCompletionCreateParams => ({
  model: "anthropic/claude-sonnet-4-5",
  messages: [{ role: "user", content: "Hi" }],
  ...extra,
});
const map = (extra: Partial<ChatCompletionCreateParams>, t: UpstreamTarget = target) => toAnthropicBody(body(extra), t);
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather",
    parameters: { type: "object", properties: { location: { type: "string" } } },
  },
} as const;
const bytes = (s: string) => new TextEncoder().encode(s);

function parseStream(sse: string, pieceSize?: (i: number) => number) {
  const parser = chat.createChatStreamParser(target);
  const data = bytes(sse);
  const chunks: ChatCompletionChunk[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const size = pieceSize ? pieceSize(i) : data.length;
    chunks.push(...parser.push(data.slice(at, at + size)));
    at += size;
  }
  chunks.push(...parser.end());
  return { chunks, parser };
}
const deltas = (chunks: ChatCompletionChunk[]) =>
  chunks.flatMap((c) => c.choices.map((ch) => ch.delta as Record<string, unknown>));
const joined = (chunks: ChatCompletionChunk[], key: string) =>
  deltas(chunks)
    .map((d) => d[key] ?? "")
    .join("");

describe("request mapping", () => {
  it("moves system and developer messages to `system`, merges same-role turns, defaults max_tokens", () => {
    const out = map({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Speak French." }] },
        { role: "user", content: "Hello" },
        { role: "user", content: [{ type: "text", text: "Again" }] },
        { role: "assistant", content: "Bonjour" },
        { role: "system", content: "Late rule." },
        { role: "user", content: "Merci" },
      ],
    });
    expect(out).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      system: "Be brief.\n\nSpeak French.\n\nLate rule.",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Hello" },
            { type: "text", text: "Again" },
          ],
        },
        { role: "assistant", content: "Bonjour" },
        { role: "user", content: "Merci" },
      ],
    });
    expect(map({}, { ...target, options: { defaultMaxTokens: 1000 } }).max_tokens).toBe(1000);
    expect(map({ max_tokens: 50, max_completion_tokens: 70 }).max_tokens).toBe(70);
    expect(map({ max_tokens: 50 }).max_tokens).toBe(50);
    expect(() => map({ messages: [{ role: "system", content: "only" }] })).toThrow(AnthropicRequestError);
  });

  it("maps images: data URLs to base64 sources, http(s) URLs to url sources", () => {
    const out = map({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          ],
        },
      ],
    });
    expect(out.messages[0]?.content).toEqual([
      { type: "text", text: "What is this?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
    const img = (url: string) =>
      map({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url } }] }] });
    expect(() => img("data:image/tiff;base64,AAAA")).toThrow(
      /messages\[0\]\.content\[0\]\.image_url\.url: image type "image\/tiff"/,
    );
    expect(() => img("ftp://example.com/a.png")).toThrow(AnthropicRequestError);
  });

  it("maps tool calls to tool_use and groups consecutive tool results in one user turn", () => {
    const out = map({
      messages: [
        { role: "user", content: "Weather in Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "get_weather", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "18C" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "21C" }] },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(out.messages).toEqual([
      { role: "user", content: "Weather in Paris and Rome?" },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_1", name: "get_weather", input: { location: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_weather", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "18C" },
          { type: "tool_result", tool_use_id: "call_2", content: [{ type: "text", text: "21C" }] },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
    const bad: ChatCompletionMessageParam = {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{oops" } }],
    };
    expect(() => map({ messages: [{ role: "user", content: "x" }, bad] })).toThrow(
      new AnthropicRequestError("messages[1].tool_calls[0].function.arguments is not valid JSON"),
    );
  });

  it("maps tools, tool_choice and parallel_tool_calls", () => {
    expect(map({ tools: [weatherTool] }).tools).toEqual([
      {
        name: "get_weather",
        description: "Weather",
        input_schema: { type: "object", properties: { location: { type: "string" } } },
      },
    ]);
    const choice = (extra: Partial<ChatCompletionCreateParams>) => map({ tools: [weatherTool], ...extra }).tool_choice;
    expect(choice({})).toBeUndefined();
    expect(choice({ tool_choice: "auto" })).toEqual({ type: "auto" });
    expect(choice({ tool_choice: "none" })).toEqual({ type: "none" });
    expect(choice({ tool_choice: "required" })).toEqual({ type: "any" });
    expect(choice({ tool_choice: { type: "function", function: { name: "get_weather" } } })).toEqual({
      type: "tool",
      name: "get_weather",
    });
    expect(choice({ parallel_tool_calls: false })).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(choice({ tool_choice: "required", parallel_tool_calls: false })).toEqual({
      type: "any",
      disable_parallel_tool_use: true,
    });
    expect(map({ tool_choice: "required" }).tool_choice).toBeUndefined(); // no tools, no tool_choice
  });

  it("maps sampling, stop, stream, user, JSON mode and cache breakpoints", () => {
    const out = map({ temperature: 1.7, top_p: 0.9, stop: "END", stream: true, user: "user-42" });
    expect(out).toMatchObject({
      temperature: 1,
      top_p: 0.9,
      stop_sequences: ["END"],
      stream: true,
      metadata: { user_id: "user-42" },
    });
    expect(map({ stop: ["a", "b"], temperature: 0.3 })).toMatchObject({ stop_sequences: ["a", "b"], temperature: 0.3 });
    expect(map({ response_format: { type: "json_object" } }).system).toMatch(
      /^Respond with valid JSON only.*single JSON object\.$/,
    );
    const schema = { type: "object", properties: { city: { type: "string" } } };
    const withSchema = map({
      messages: [
        { role: "system", content: "S" },
        { role: "user", content: "u" },
      ],
      response_format: { type: "json_schema", json_schema: { name: "place", schema } },
    });
    expect(withSchema.system).toContain(`S\n\nRespond with valid JSON only`);
    expect(withSchema.system).toContain(`(named "place"):\n${JSON.stringify(schema)}`);
    const cached = map({
      messages: [
        {
          role: "system",
          content: [{ type: "text", text: "Long prompt", cache_control: { type: "ephemeral" } } as never],
        },
        {
          role: "user",
          content: [{ type: "text", text: "Q", prompt_cache_breakpoint: { mode: "explicit" } } as never],
        },
      ],
    });
    expect(cached.system).toEqual([{ type: "text", text: "Long prompt", cache_control: { type: "ephemeral" } }]);
    expect(cached.messages[0]?.content).toEqual([{ type: "text", text: "Q", cache_control: { type: "ephemeral" } }]);
  });

  it("builds the URL and headers, with or without /v1, and the models request", () => {
    const req = chat.buildChatRequest(body({}), target);
    expect(req).toMatchObject({ url: "https://api.anthropic.com/v1/messages", method: "POST" });
    expect(req.headers).toEqual({
      "x-api-key": "sk-ant-secret",
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
    });
    expect(JSON.parse(req.body!)).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      messages: [{ role: "user", content: "Hi" }],
    });
    const other = { ...target, baseUrl: "http://127.0.0.1:9/v1/", options: { anthropicVersion: "2024-01-01" } };
    expect(chat.buildChatRequest(body({}), other).url).toBe("http://127.0.0.1:9/v1/messages");
    expect(anthropicAdapter.buildListModelsRequest!(other)).toEqual({
      url: "http://127.0.0.1:9/v1/models",
      method: "GET",
      headers: { "x-api-key": "sk-ant-secret", "anthropic-version": "2024-01-01", "content-type": "application/json" },
    });
  });
});

describe("response mapping", () => {
  it("maps a text Message with usage", () => {
    const { completion, usage } = chat.parseChatResponse(F.MESSAGE_TEXT, target);
    expect(completion).toEqual({
      id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
      object: "chat.completion",
      created: NOW.getTime() / 1000,
      model: "claude-3-7-sonnet-20250219",
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          logprobs: null,
          message: { role: "assistant", content: "Hi! My name is Claude.", refusal: null },
        },
      ],
      usage: {
        prompt_tokens: 2095,
        completion_tokens: 503,
        total_tokens: 2598,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
    expect(usage).toEqual({
      inputTokens: 2095,
      outputTokens: 503,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "provider",
    });
  });

  it("maps tool_use blocks to tool_calls and leaves unreported usage null", () => {
    const { completion, usage } = chat.parseChatResponse(F.MESSAGE_TOOL_USE, target);
    expect(completion.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: {
        content: "I'll check the current weather in San Francisco for you.",
        tool_calls: [
          {
            id: "toolu_01A09q90qw90lq917835lq9",
            type: "function",
            function: { name: "get_weather", arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
          },
        ],
      },
    });
    expect(usage).toBeNull();
    expect(completion.usage).toBeUndefined();
  });

  it("puts thinking in reasoning_content and counts cache reads and writes into prompt_tokens", () => {
    const thinking = chat.parseChatResponse(F.MESSAGE_THINKING, target).completion;
    expect(thinking.choices[0]?.message).toMatchObject({
      content: "Yes, there are infinitely many prime numbers such that...",
      reasoning_content: "To approach this, let's think about what we know about prime numbers...",
    });
    expect(thinking.usage?.completion_tokens_details).toEqual({ reasoning_tokens: 300 });
    const write = chat.parseChatResponse(F.MESSAGE_CACHED, target);
    expect(write.usage).toEqual({
      inputTokens: 188107,
      outputTokens: 393,
      cachedInputTokens: 0,
      cacheWriteTokens: 188086,
      source: "provider",
    });
    const hit = chat.parseChatResponse(F.MESSAGE_CACHE_HIT, target).completion.usage;
    expect(hit).toEqual({
      prompt_tokens: 188107,
      completion_tokens: 393,
      total_tokens: 188500,
      prompt_tokens_details: { cached_tokens: 188086, cache_write_tokens: 0 },
    });
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    ["pause_turn", "stop"],
  ])("maps stop_reason %s to finish_reason %s", (stop, finish) => {
    expect(
      chat.parseChatResponse({ ...F.MESSAGE_TEXT, stop_reason: stop }, target).completion.choices[0]?.finish_reason,
    ).toBe(finish);
  });

  it("rejects something that is not a Message", () => {
    expect(() => chat.parseChatResponse({ type: "error" }, target)).toThrow(/not a Message/);
  });
});

describe("stream parsing", () => {
  const fixtures = {
    STREAM_TEXT: F.STREAM_TEXT,
    STREAM_TOOL_USE: F.STREAM_TOOL_USE,
    STREAM_THINKING: F.STREAM_THINKING,
    STREAM_WEB_SEARCH_USAGE: F.STREAM_WEB_SEARCH_USAGE,
    STREAM_ERROR: F.STREAM_ERROR,
  };

  it("turns the documented text stream into OpenAI chunks", () => {
    const { chunks, parser } = parseStream(F.STREAM_TEXT);
    const base = {
      id: "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY",
      object: "chat.completion.chunk",
      created: NOW.getTime() / 1000,
      model: "claude-3-5-sonnet-20241022",
    };
    const choice = (delta: object, finish_reason: string | null = null) => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason, logprobs: null }],
    });
    expect(chunks).toEqual([
      choice({ role: "assistant", content: "" }),
      choice({ content: "Hello" }),
      choice({ content: "!" }),
      choice({}, "stop"),
      {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: 25,
          completion_tokens: 15,
          total_tokens: 40,
          prompt_tokens_details: { cached_tokens: 0 },
        },
      },
    ]);
    expect(parser.usage()).toEqual({
      inputTokens: 25,
      outputTokens: 15,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "provider",
    });
    expect(parser.error()).toBeNull();
  });

  it("streams tool calls as OpenAI tool_calls deltas", () => {
    const { chunks } = parseStream(F.STREAM_TOOL_USE);
    const calls = deltas(chunks).flatMap((d) => (d.tool_calls as object[] | undefined) ?? []);
    expect(calls[0]).toEqual({
      index: 0,
      id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
      type: "function",
      function: { name: "get_weather", arguments: "" },
    });
    expect(calls.slice(1).every((c) => Object.keys(c).join() === "index,function")).toBe(true);
    const args = calls.map((c) => (c as { function: { arguments: string } }).function.arguments).join("");
    expect(JSON.parse(args)).toEqual({ location: "San Francisco, CA", unit: "fahrenheit" });
    expect(joined(chunks, "content")).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 472, completion_tokens: 89 });
  });

  it("streams thinking as reasoning_content; no usage reported means usage stays null", () => {
    const { chunks, parser } = parseStream(F.STREAM_THINKING);
    expect(joined(chunks, "reasoning_content")).toBe(
      "Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3",
    );
    expect(joined(chunks, "content")).toBe("27 * 453 = 12,231");
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(parser.usage()).toBeNull();
  });

  it("takes message_delta's cumulative input totals over message_start's", () => {
    const { chunks, parser } = parseStream(F.STREAM_WEB_SEARCH_USAGE);
    expect(joined(chunks, "content")).toBe("¡Hola! 你好 👋");
    expect(parser.usage()).toEqual({
      inputTokens: 10682,
      outputTokens: 510,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      source: "provider",
    });
  });

  it.each(Object.entries(fixtures))("gives the same chunks for %s split into 1..7-byte pieces", (_, sse) => {
    const whole = parseStream(sse);
    for (let size = 1; size <= 7; size++) expect(parseStream(sse, () => size).chunks).toEqual(whole.chunks);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 7) + 1;
    const mixed = parseStream(sse, random);
    expect(mixed.chunks).toEqual(whole.chunks);
    expect(mixed.parser.usage()).toEqual(whole.parser.usage());
    expect(parseStream(sse.replace(/\n/g, "\r\n"), random).chunks).toEqual(whole.chunks);
  });

  it("reports partial usage when the stream breaks before message_delta", () => {
    const cut = F.STREAM_TOOL_USE.slice(0, F.STREAM_TOOL_USE.indexOf("event: content_block_stop"));
    const { chunks, parser } = parseStream(cut);
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
    expect(parser.usage()).toEqual({
      inputTokens: 472,
      outputTokens: null,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "partial",
    });
  });

  it("stops at an error event and reports it", () => {
    const { chunks, parser } = parseStream(F.STREAM_ERROR);
    expect(joined(chunks, "content")).toBe("Hel");
    const error = parser.error();
    expect(error).toMatchObject({
      status: 503,
      type: "api_error",
      code: "overloaded_error",
      message: "Overloaded",
      retryable: true,
    });
    const native = JSON.parse(error?.native?.body ?? "") as unknown;
    expect(native).toMatchObject({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    expect(parser.push(bytes(F.STREAM_TEXT))).toEqual([]);
    expect(parser.usage()?.source).toBe("partial");
  });
});

describe("error mapping", () => {
  const headers = (h: Record<string, string> = {}) => new Headers(h);
  it.each([
    [400, "invalid_request_error", 400, "invalid_request_error", false],
    [401, "authentication_error", 401, "authentication_error", false],
    [403, "permission_error", 403, "permission_error", false],
    [404, "not_found_error", 404, "not_found_error", false],
    [413, "request_too_large", 413, "invalid_request_error", false],
    [429, "rate_limit_error", 429, "rate_limit_error", true],
    [500, "api_error", 500, "api_error", true],
    [529, "overloaded_error", 503, "api_error", true],
    [402, "billing_error", 429, "insufficient_quota", true],
  ])("HTTP %i %s → %i %s (retryable %s)", (status, type, outStatus, outType, retryable) => {
    const body = JSON.stringify({ type: "error", error: { type, message: `m-${type}` } });
    const error = anthropicAdapter.parseError(status, body, headers());
    // The original status and body ride along for Messages API clients, which get them unmodified.
    expect(error).toEqual({
      status: outStatus,
      type: outType,
      code: type,
      message: `m-${type}`,
      retryable,
      native: { status, body },
    });
  });

  it("reads retry-after seconds (and retry-after-ms first)", () => {
    expect(
      anthropicAdapter.parseError(429, F.ERROR_BODIES.rate_limit_error, headers({ "retry-after": "1" })).retryAfterMs,
    ).toBe(1000);
    expect(
      anthropicAdapter.parseError(
        529,
        F.ERROR_BODIES.overloaded_error,
        headers({ "retry-after": "30", "retry-after-ms": "250.4" }),
      ).retryAfterMs,
    ).toBe(250);
  });

  it("handles non-JSON and empty bodies, and never echoes a key", () => {
    expect(anthropicAdapter.parseError(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", headers())).toEqual({
      status: 502,
      type: "api_error",
      code: null,
      message: "Anthropic returned HTTP 502: 502 Bad Gateway",
      retryable: true,
    });
    expect(anthropicAdapter.parseError(503, "", headers())).toMatchObject({
      status: 503,
      message: "Anthropic returned HTTP 503",
      retryable: true,
    });
    const leak = JSON.stringify({
      type: "error",
      error: { type: "authentication_error", message: "bad key sk-ant-api03-SECRETSECRET" },
    });
    expect(anthropicAdapter.parseError(401, leak, headers()).message).toBe("bad key sk-ant-***");
    const detailed = JSON.stringify({
      type: "error",
      error: { type: "invalid_request_error", message: "m", details: { error_code: "image_dimensions_too_large" } },
    });
    expect(anthropicAdapter.parseError(400, detailed, headers()).code).toBe("image_dimensions_too_large");
  });
});

describe("end to end against the fake Anthropic", () => {
  let fake: FakeUpstream;
  let live: UpstreamTarget;
  beforeAll(async () => {
    fake = await startFakeAnthropic({ slowMs: 200 });
    live = { baseUrl: fake.url, secret: FAKE_ANTHROPIC_KEY, model: "claude-sonnet-4-5", now: NOW };
  });
  afterAll(() => fake.close());

  const send = async (b: ChatCompletionCreateParams, t: UpstreamTarget = live) => {
    const req = chat.buildChatRequest(b, t);
    return fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  };
  async function streamed(b: ChatCompletionCreateParams) {
    const res = await send({ ...b, stream: true });
    const parser = chat.createChatStreamParser(live);
    const chunks: ChatCompletionChunk[] = [];
    const reader = res.body!.getReader();
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(...parser.push(r.value));
    } catch {
      /* a cut stream ends with a socket error */
    }
    chunks.push(...parser.end());
    return { chunks, parser };
  }

  it("answers JSON with content and usage", async () => {
    const res = await send(
      body({
        messages: [
          { role: "system", content: "sys" },
          { role: "user", content: "Hello there" },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const { completion, usage } = chat.parseChatResponse(await res.json(), live);
    expect(completion.choices[0]).toMatchObject({
      finish_reason: "stop",
      message: { content: "You said: Hello there" },
    });
    expect(usage).toMatchObject({ outputTokens: 4, cachedInputTokens: 0, source: "provider" });
    expect(JSON.parse(fake.requests.at(-1)!.body)).toMatchObject({ system: "sys", max_tokens: 4096 });
  });

  it("returns a tool call as JSON and as a stream, with cached tokens when cache_control is sent", async () => {
    const ask = body({
      tools: [weatherTool],
      messages: [
        {
          role: "user",
          content: [{ type: "text", text: "What's the weather in SF?", cache_control: { type: "ephemeral" } } as never],
        },
      ],
    });
    const json = chat.parseChatResponse(await (await send(ask)).json(), live);
    const call = defined(json.completion.choices[0]?.message.tool_calls?.[0]) as {
      function: { name: string; arguments: string };
    };
    expect(call.function).toEqual({
      name: "get_weather",
      arguments: '{"location":"San Francisco, CA","unit":"fahrenheit"}',
    });
    expect(json.usage?.cachedInputTokens).toBe(FAKE_CACHE_READ_TOKENS);
    const { chunks, parser } = await streamed(ask);
    const args = deltas(chunks)
      .flatMap((d) => (d.tool_calls as Array<{ function: { arguments?: string } }>) ?? [])
      .map((c) => c.function.arguments)
      .join("");
    expect(JSON.parse(args)).toEqual({ location: "San Francisco, CA", unit: "fahrenheit" });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(parser.usage()).toEqual({ ...json.usage, source: "provider" });
    expect(chunks.at(-1)!.usage!.prompt_tokens_details!.cached_tokens).toBe(FAKE_CACHE_READ_TOKENS);
  });

  it("maps 401, 429 and 529 answers", async () => {
    const wrong = await send(body({}), { ...live, secret: "sk-ant-wrong" });
    expect(anthropicAdapter.parseError(wrong.status, await wrong.text(), wrong.headers)).toMatchObject({
      status: 401,
      type: "authentication_error",
    });
    const limited = await send(body({ messages: [{ role: "user", content: "[[429]]" }] }));
    expect(anthropicAdapter.parseError(limited.status, await limited.text(), limited.headers)).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 1000,
    });
    const busy = await send(body({ messages: [{ role: "user", content: "[[529]]" }] }));
    expect(busy.status).toBe(529);
    expect(anthropicAdapter.parseError(busy.status, await busy.text(), busy.headers)).toMatchObject({
      status: 503,
      code: "overloaded_error",
      retryable: true,
    });
  });

  it("handles a broken stream, an error event and a slow first byte", async () => {
    const broken = await streamed(body({ messages: [{ role: "user", content: "one two three four [[break]]" }] }));
    expect(joined(broken.chunks, "content")).toBe("You said: ");
    expect(broken.parser.usage()).toMatchObject({ outputTokens: null, source: "partial" });
    expect(broken.parser.usage()!.inputTokens).toBeGreaterThan(0);
    const failed = await streamed(body({ messages: [{ role: "user", content: "hi [[error-event]]" }] }));
    expect(failed.parser.error()).toMatchObject({ status: 503, code: "overloaded_error" });
    const started = Date.now();
    const slow = await streamed(body({ messages: [{ role: "user", content: "[[slow]]" }] }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(joined(slow.chunks, "content")).toBe("You said: [[slow]]");
  });

  it("lists models", async () => {
    const req = anthropicAdapter.buildListModelsRequest!(live);
    const page = (await (await fetch(req.url, { headers: req.headers })).json()) as { data: Array<{ id: string }> };
    expect(page.data.map((m) => m.id)).toContain("claude-sonnet-4-5-20250929");
  });

  it("is faithful enough for the official @anthropic-ai/sdk client", async () => {
    const client = new Anthropic({ apiKey: FAKE_ANTHROPIC_KEY, baseURL: fake.url, maxRetries: 0 });
    const message = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      messages: [{ role: "user", content: "Hi SDK" }],
    });
    expect(message.content).toEqual([{ type: "text", text: "You said: Hi SDK" }]);
    expect(message.stop_reason).toBe("end_turn");
    const events = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      stream: true,
      messages: [{ role: "user", content: "Hi stream" }],
    });
    const types: string[] = [];
    for await (const e of events) types.push(e.type);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    const tools = [{ name: "get_weather", input_schema: { type: "object" as const, properties: {} } }];
    const final = await client.messages
      .stream({ model: "claude-sonnet-4-5", max_tokens: 64, tools, messages: [{ role: "user", content: "weather?" }] })
      .finalMessage();
    expect(final.content[1]).toMatchObject({
      type: "tool_use",
      name: "get_weather",
      input: { location: "San Francisco, CA", unit: "fahrenheit" },
    });
    expect(final.stop_reason).toBe("tool_use");
    await expect(
      client.messages.create({ model: "m", max_tokens: 8, messages: [{ role: "user", content: "[[429]]" }] }),
    ).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    const erroring = await client.messages.create({
      model: "m",
      max_tokens: 8,
      stream: true,
      messages: [{ role: "user", content: "[[error-event]]" }],
    });
    await expect(
      (async () => {
        for await (const _ of erroring) {
          /* drain */
        }
      })(),
    ).rejects.toThrow(/Overloaded/);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"]);
  });
});
