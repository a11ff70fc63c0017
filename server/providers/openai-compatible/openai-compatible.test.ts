import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk, ChatCompletionCreateParams, UpstreamTarget } from "../types";
import { createOpenAICompatibleAdapter } from "./adapter";
import { parseDurationMs, parseOpenAIError, parseRetryAfterMs, redactSecrets } from "./error";
import { openaiAdapter } from "../openai";
import { deepseekAdapter } from "../deepseek";
import { xaiAdapter } from "../xai";
import { openrouterAdapter } from "../openrouter";
import { ollamaAdapter } from "../ollama";
import { doubaoAdapter } from "../doubao";
import { poeAdapter } from "../poe";

const target: UpstreamTarget = { baseUrl: "", secret: "sk-secret-123", model: "gpt-4o-mini" };
/** A made-up vendor's facts, for adapters built in the tests. */
const testFacts = {
  kind: "test",
  displayName: "Test",
  menuHint: null,
  needsKey: true,
  keyHint: null,
  freeWhenUnpriced: false,
  modelFamily: null,
  builtinModels: [],
};
const chatBody = (extra: Record<string, unknown> = {}) =>
  ({ model: "hub/alias", messages: [{ role: "user", content: "hi" }], ...extra }) as ChatCompletionCreateParams;

describe("buildChatRequest", () => {
  it("passes the body through, unknown fields included, replacing only the model", () => {
    const req = openaiAdapter.chat.buildChatRequest(
      chatBody({ temperature: 0.3, vendor_knob: { deep: [1, 2] }, seed: 7 }),
      target,
    );
    expect(req.url).toBe("https://api.openai.com/v1/chat/completions");
    expect(req.method).toBe("POST");
    expect(req.headers).toEqual({ "content-type": "application/json", authorization: "Bearer sk-secret-123" });
    expect(JSON.parse(req.body!)).toEqual({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      temperature: 0.3,
      vendor_knob: { deep: [1, 2] },
      seed: 7,
    });
  });

  it("forces include_usage on streams and keeps other stream_options", () => {
    const options = { include_obfuscation: false, include_usage: false };
    const req = openaiAdapter.chat.buildChatRequest(chatBody({ stream: true, stream_options: options }), target);
    expect(JSON.parse(req.body!).stream_options).toEqual({ include_obfuscation: false, include_usage: true });
    const plain = openaiAdapter.chat.buildChatRequest(chatBody({ stream: true }), target);
    expect(JSON.parse(plain.body!).stream_options).toEqual({ include_usage: true });
  });

  it("leaves non-streaming requests and vendors without stream usage alone", () => {
    expect(JSON.parse(openaiAdapter.chat.buildChatRequest(chatBody(), target).body!)).not.toHaveProperty(
      "stream_options",
    );
    const noUsage = createOpenAICompatibleAdapter({
      ...testFacts,
      defaultBaseUrl: "http://x/v1",
      supportsStreamUsage: false,
      supportsEmbeddings: false,
      supportsImages: false,
    });
    expect(JSON.parse(noUsage.chat.buildChatRequest(chatBody({ stream: true }), target).body!)).not.toHaveProperty(
      "stream_options",
    );
  });

  it("uses the credential's base URL without a trailing slash, and applies transformBody last", () => {
    const adapter = createOpenAICompatibleAdapter({
      ...testFacts,
      defaultBaseUrl: "http://default/v1",
      supportsEmbeddings: false,
      supportsImages: false,
      transformBody: (body, t, endpoint) => ({ ...body, tagged: `${endpoint}:${t.model}` }),
    });
    const req = adapter.chat.buildChatRequest(chatBody(), { ...target, baseUrl: "http://127.0.0.1:9/v1/" });
    expect(req.url).toBe("http://127.0.0.1:9/v1/chat/completions");
    expect(JSON.parse(req.body!).tagged).toBe("chat:gpt-4o-mini");
  });
});

describe("the seven OpenAI-compatible providers", () => {
  it.each([
    [openaiAdapter, "openai", "https://api.openai.com/v1", true, true],
    [deepseekAdapter, "deepseek", "https://api.deepseek.com/v1", false, false],
    [xaiAdapter, "xai", "https://api.x.ai/v1", false, true],
    [openrouterAdapter, "openrouter", "https://openrouter.ai/api/v1", true, false],
    [ollamaAdapter, "ollama", "http://127.0.0.1:11434/v1", true, false],
    [doubaoAdapter, "doubao", "https://ark.cn-beijing.volces.com/api/v3", true, true],
    [poeAdapter, "poe", "https://api.poe.com/v1", false, false],
  ] as const)("%#: %s", (adapter, kind, base, embeddings, images) => {
    expect(adapter.kind).toBe(kind);
    expect(adapter.defaultBaseUrl).toBe(base);
    expect(adapter.chat.buildChatRequest(chatBody(), target).url).toBe(`${base}/chat/completions`);
    expect(adapter.buildListModelsRequest!(target)).toEqual({
      url: `${base}/models`,
      method: "GET",
      headers: { authorization: "Bearer sk-secret-123" },
    });
    expect(Boolean(adapter.embeddings)).toBe(embeddings);
    expect(Boolean(adapter.images)).toBe(images);
    if (embeddings)
      expect(adapter.embeddings!.buildEmbeddingsRequest({ model: "m", input: "x" }, target).url).toBe(
        `${base}/embeddings`,
      );
    if (images)
      expect(adapter.images!.buildImageRequest({ prompt: "cat" }, target).url).toBe(`${base}/images/generations`);
  });

  it("OpenRouter sends attribution headers only when configured", () => {
    const plain = openrouterAdapter.chat.buildChatRequest(chatBody(), target);
    expect(plain.headers).not.toHaveProperty("HTTP-Referer");
    const req = openrouterAdapter.chat.buildChatRequest(chatBody(), {
      ...target,
      options: { httpReferer: "https://hub.example", xTitle: "AI Hub" },
    });
    expect(req.headers["HTTP-Referer"]).toBe("https://hub.example");
    expect(req.headers["X-Title"]).toBe("AI Hub");
  });

  it("Ollama sends no Authorization header for an empty secret", () => {
    expect(ollamaAdapter.chat.buildChatRequest(chatBody(), { ...target, secret: "" }).headers).toEqual({
      "content-type": "application/json",
    });
    expect(ollamaAdapter.chat.buildChatRequest(chatBody(), target).headers.authorization).toBe("Bearer sk-secret-123");
  });
});

describe("parseChatResponse", () => {
  const completion = (usage?: unknown) => ({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
    ...(usage === undefined ? {} : { usage }),
  });

  it("returns the completion as is, with OpenAI usage and cached tokens", () => {
    const json = completion({
      prompt_tokens: 120,
      completion_tokens: 7,
      total_tokens: 127,
      prompt_tokens_details: { cached_tokens: 64 },
    });
    const { completion: out, usage } = openaiAdapter.chat.parseChatResponse(json, target);
    expect(out).toBe(json);
    expect(usage).toEqual({
      inputTokens: 120,
      outputTokens: 7,
      cachedInputTokens: 64,
      cacheWriteTokens: null,
      source: "provider",
    });
  });

  it("counts DeepSeek prompt_cache_hit_tokens as cached input", () => {
    const json = completion({
      prompt_tokens: 50,
      completion_tokens: 3,
      prompt_cache_hit_tokens: 40,
      prompt_cache_miss_tokens: 10,
    });
    expect(deepseekAdapter.chat.parseChatResponse(json, target).usage).toEqual({
      inputTokens: 50,
      outputTokens: 3,
      cachedInputTokens: 40,
      cacheWriteTokens: null,
      source: "provider",
    });
  });

  it("missing usage is null and unreported cache is null, never 0", () => {
    expect(openaiAdapter.chat.parseChatResponse(completion(), target).usage).toBeNull();
    expect(
      openaiAdapter.chat.parseChatResponse(completion({ prompt_tokens: 5, completion_tokens: 1 }), target).usage,
    ).toMatchObject({ inputTokens: 5, outputTokens: 1, cachedInputTokens: null });
  });

  it("throws a clear error for bodies without choices", () => {
    expect(() => openaiAdapter.chat.parseChatResponse({ object: "list" }, target)).toThrow("choices is not an array");
    expect(() => openaiAdapter.chat.parseChatResponse("nope", target)).toThrow("the chat completion is not an object");
  });
});

describe("chat stream parser", () => {
  const chunk = (content: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: "c1",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
      usage: null,
      ...extra,
    });
  const usageChunk = JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [],
    usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13, prompt_tokens_details: { cached_tokens: 0 } },
  });
  const stream = [
    ": keep-alive comment\n\n",
    `data: ${chunk("Héllo")}\n\n`,
    `data: ${chunk(" wörld 👋")}\r\n\r\n`,
    `data: ${usageChunk}\n\n`,
    "data: [DONE]\n\n",
  ].join("");

  function feed(text: string, size: number) {
    const parser = openaiAdapter.chat.createChatStreamParser(target);
    const bytes = new TextEncoder().encode(text);
    const chunks: ChatCompletionChunk[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(...parser.push(bytes.slice(i, i + size)));
    chunks.push(...parser.end());
    return { parser, chunks };
  }

  it.each([1, 2, 3, 4, 5, 6, 7])("decodes the same chunks when split into %i-byte pieces", (size) => {
    const { parser, chunks } = feed(stream, size);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual(["Héllo", " wörld 👋", null]);
    expect(chunks[2]?.choices).toEqual([]);
    expect(parser.usage()).toEqual({
      inputTokens: 11,
      outputTokens: 2,
      cachedInputTokens: 0,
      cacheWriteTokens: null,
      source: "provider",
    });
    expect(parser.error()).toBeNull();
  });

  it("stops at [DONE]", () => {
    const { chunks } = feed(`data: ${chunk("a")}\n\ndata: [DONE]\n\ndata: ${chunk("late")}\n\n`, 1000);
    expect(chunks).toHaveLength(1);
  });

  it("reports an in-stream error object and does not emit it as a chunk", () => {
    const body = `data: ${chunk("a")}\n\ndata: {"error":{"message":"The server had an error","type":"server_error","code":null}}\n\n`;
    const { parser, chunks } = feed(body, 5);
    expect(chunks).toHaveLength(1);
    expect(parser.error()).toEqual({
      status: 500,
      type: "server_error",
      code: null,
      message: "The server had an error",
      retryable: true,
    });
  });

  it("uses OpenRouter's numeric error code as the status", () => {
    const { parser } = feed(`data: {"error":{"code":429,"message":"Rate limited upstream"},"choices":[]}\n\n`, 7);
    expect(parser.error()).toMatchObject({ status: 429, type: "rate_limit_error", code: null, retryable: true });
  });

  it("usage is null when the stream carried none", () => {
    const { parser, chunks } = feed(`data: ${chunk("a")}\n\ndata: [DONE]\n\n`, 3);
    expect(chunks).toHaveLength(1);
    expect(parser.usage()).toBeNull();
  });

  it("usage seen but the body cut before [DONE] is partial", () => {
    const { parser } = feed(`data: ${chunk("a")}\n\ndata: ${usageChunk}\n\n`, 4);
    expect(parser.usage()).toMatchObject({ inputTokens: 11, outputTokens: 2, source: "partial" });
  });

  it("flags malformed JSON as a retryable stream error", () => {
    const { parser } = feed("data: {not json\n\n", 2);
    expect(parser.error()).toMatchObject({ status: 502, retryable: true });
  });
});

describe("embeddings and images", () => {
  it("embeddings pass through and report input usage", () => {
    const req = openaiAdapter.embeddings!.buildEmbeddingsRequest(
      { model: "alias", input: ["a", "b"], dimensions: 8, user: "u1" },
      { ...target, model: "text-embedding-3-small" },
    );
    expect(JSON.parse(req.body!)).toEqual({
      model: "text-embedding-3-small",
      input: ["a", "b"],
      dimensions: 8,
      user: "u1",
    });
    const json = {
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.1] }],
      model: "m",
      usage: { prompt_tokens: 4, total_tokens: 4 },
    };
    const { response, usage } = openaiAdapter.embeddings!.parseEmbeddingsResponse(json, target);
    expect(response).toBe(json);
    expect(usage).toEqual({
      inputTokens: 4,
      outputTokens: 0,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "provider",
    });
  });

  it("images report gpt-image-1 token usage, and null when absent", () => {
    const req = openaiAdapter.images!.buildImageRequest(
      { prompt: "a cat", size: "1024x1024", quality: "low" },
      { ...target, model: "gpt-image-1" },
    );
    expect(req.url).toBe("https://api.openai.com/v1/images/generations");
    expect(JSON.parse(req.body!)).toEqual({ prompt: "a cat", size: "1024x1024", quality: "low", model: "gpt-image-1" });
    const withUsage = {
      created: 1,
      data: [{ b64_json: "AA==" }],
      usage: {
        input_tokens: 9,
        output_tokens: 272,
        total_tokens: 281,
        input_tokens_details: { text_tokens: 9, image_tokens: 0 },
      },
    };
    expect(openaiAdapter.images!.parseImageResponse(withUsage, target).usage).toEqual({
      inputTokens: 9,
      outputTokens: 272,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "provider",
    });
    expect(
      openaiAdapter.images!.parseImageResponse({ created: 1, data: [{ url: "https://x" }] }, target).usage,
    ).toBeNull();
    expect(() => openaiAdapter.images!.parseImageResponse({ created: 1 }, target)).toThrow(/data/);
  });
});

describe("parseOpenAIError", () => {
  const none = new Headers();
  const body = (type: string | null, code: string | null, message = "msg") =>
    JSON.stringify({ error: { message, type, param: null, code } });

  const invalid = "invalid_request_error";
  it.each([
    [400, 400, invalid, false],
    [401, 401, "authentication_error", false],
    [403, 403, "permission_error", false],
    [404, 404, "not_found_error", false],
    [408, 504, "api_error", true],
    [409, 409, invalid, true],
    [413, 413, invalid, false],
    [422, 400, invalid, false],
    [429, 429, "rate_limit_error", true],
    [500, 500, "api_error", true],
    [502, 502, "api_error", true],
    [503, 503, "api_error", true],
    [504, 504, "api_error", true],
    [529, 503, "api_error", true],
    [418, 400, invalid, false],
  ] as const)("HTTP %i → %i %s (retryable %s)", (status, mapped, type, retryable) => {
    expect(parseOpenAIError(status, body(null, null), none)).toEqual({
      status: mapped,
      type,
      code: null,
      message: "msg",
      retryable,
    });
  });

  it("keeps OpenAI's own type and code", () => {
    const err = parseOpenAIError(
      401,
      body("invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-abc*****wxyz."),
      none,
    );
    expect(err).toEqual({
      status: 401,
      type: "invalid_request_error",
      code: "invalid_api_key",
      message: "Incorrect API key provided: [redacted].",
      retryable: false,
    });
  });

  it("accepts Ollama's string error and other shapes", () => {
    expect(parseOpenAIError(404, '{"error":"model \\"llama9\\" not found"}', none).message).toBe(
      'model "llama9" not found',
    );
    expect(parseOpenAIError(400, '{"message":"bad thing"}', none).message).toBe("bad thing");
    expect(parseOpenAIError(422, '{"detail":"field required"}', none).message).toBe("field required");
  });

  it.each([
    ["retry-after-ms", "1500", 1500],
    ["retry-after", "2", 2000],
    ["retry-after", "0.5", 500],
    ["x-ratelimit-reset-requests", "1s", 1000],
    ["x-ratelimit-reset-requests", "6m0s", 360_000],
    ["x-ratelimit-reset-tokens", "20ms", 20],
  ])("429 retryAfterMs from %s: %s", (name, value, ms) => {
    const err = parseOpenAIError(429, body("requests", "rate_limit_exceeded"), new Headers({ [name]: value }));
    expect(err).toMatchObject({
      status: 429,
      type: "requests",
      code: "rate_limit_exceeded",
      retryable: true,
      retryAfterMs: ms,
    });
  });

  it("reads retry-after as an HTTP date and prefers retry-after-ms", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }), now)).toBe(30_000);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Tue, 31 Dec 2024 23:00:00 GMT" }), now)).toBe(0);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "3", "retry-after-ms": "250" }), now)).toBe(250);
    const dated = parseOpenAIError(
      503,
      "",
      new Headers({ "retry-after": new Date(Date.now() + 60_000).toUTCString() }),
    );
    expect(dated.retryAfterMs).toBeGreaterThan(58_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it("falls back to 'Please try again in Ns' in the message", () => {
    expect(
      parseOpenAIError(
        429,
        body("tokens", "rate_limit_exceeded", "Limit reached. Please try again in 6.5s. Visit"),
        none,
      ).retryAfterMs,
    ).toBe(6500);
    expect(parseOpenAIError(429, body("tokens", null, "Please try again in 350ms."), none).retryAfterMs).toBe(350);
    expect(parseOpenAIError(429, body(null, null), none).retryAfterMs).toBeUndefined();
  });

  it("parses Go-style durations", () => {
    expect(parseDurationMs("1h2m3.5s")).toBe(3_723_500);
    expect(parseDurationMs("soon")).toBeUndefined();
  });

  it("never echoes HTML pages, and truncates other non-JSON bodies", () => {
    const html = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1>cloudflare</body></html>";
    expect(parseOpenAIError(502, html, none)).toEqual({
      status: 502,
      type: "api_error",
      code: null,
      message: "Upstream returned HTTP 502",
      retryable: true,
    });
    expect(parseOpenAIError(503, "", none).message).toBe("Upstream returned HTTP 503");
    const long = parseOpenAIError(500, "x".repeat(5000), none).message;
    expect(long.startsWith("Upstream returned HTTP 500: xxx")).toBe(true);
    expect(long.length).toBeLessThanOrEqual("Upstream returned HTTP 500: ".length + 300);
  });

  it("redacts keys, bearer tokens and credentials in URLs", () => {
    const text =
      "bad key sk-proj-AbC123xyz_-789 and Bearer abc.def-ghi sent to https://x/v1?key=AIzaSecret&alt=sse, xai-ABCDEFGH1234";
    const out = redactSecrets(text);
    expect(out).toBe("bad key [redacted] and [redacted] sent to https://x/v1?key=[redacted]&alt=sse, [redacted]");
    const err = parseOpenAIError(400, `oops: Authorization: Bearer sk-live-1234567890 was rejected`, none);
    expect(err.message).not.toMatch(/sk-live|1234567890/);
    expect(parseOpenAIError(401, body(null, null, "key sk-abcdef1234 invalid"), none).message).toBe(
      "key [redacted] invalid",
    );
  });
});

describe("OpenAI image models", () => {
  it("drops response_format for gpt-image models only", () => {
    const target = { baseUrl: "https://api.openai.com/v1", secret: "sk-x", model: "gpt-image-1" };
    const gpt = JSON.parse(
      openaiAdapter.images!.buildImageRequest({ model: "x", prompt: "p", response_format: "b64_json" }, target).body!,
    );
    expect(gpt).toEqual({ model: "gpt-image-1", prompt: "p" });
    const dalle = JSON.parse(
      openaiAdapter.images!.buildImageRequest(
        { model: "x", prompt: "p", response_format: "b64_json" },
        { ...target, model: "dall-e-3" },
      ).body!,
    );
    expect(dalle).toEqual({ model: "dall-e-3", prompt: "p", response_format: "b64_json" });
  });
});
