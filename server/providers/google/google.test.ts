import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatCompletionMessageFunctionToolCall } from "openai/resources/chat/completions";
import type { Json } from "@test/helpers/json";
import { defined } from "@test/helpers/defined";
import { FAKE_GEMINI_KEY, startFakeGemini, TINY_PNG_BASE64 } from "../../../test/fake-upstreams/google";
import type { FakeUpstream } from "../../../test/fake-upstreams/server";
import type { ChatCompletionChunk, ChatCompletionCreateParams, UpstreamTarget } from "../types";
import * as F from "./fixtures";
import { googleAdapter } from "./index";
import { GoogleRequestError, toGenerateContentRequest } from "./request";
import { aspectRatioFor } from "./images";
import { floatsToBase64 } from "./embeddings";

const NOW = new Date("2025-06-01T00:00:00Z");
const target = (over: Partial<UpstreamTarget> = {}): UpstreamTarget => ({
  baseUrl: "https://generativelanguage.googleapis.com",
  secret: "AIzaSyTestKey0000000000000000000000000",
  model: "gemini-2.5-flash",
  now: NOW,
  ...over,
});
const chat = (messages: ChatCompletionCreateParams["messages"], extra: Partial<ChatCompletionCreateParams> = {}) => ({
  model: "gemini-2.5-flash",
  messages,
  ...extra,
});
const gemini = (body: ChatCompletionCreateParams): Json => toGenerateContentRequest(body);
const { chat: chatAdapter, embeddings, images } = googleAdapter;

describe("request mapping", () => {
  it("moves system/developer text to systemInstruction, maps roles and merges consecutive turns", () => {
    const req = gemini(
      chat([
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Answer in English." }] },
        { role: "user", content: "Hi" },
        { role: "user", content: [{ type: "text", text: "Are you there?" }] },
        { role: "assistant", content: "Yes." },
        { role: "user", content: "Good." },
      ]),
    );
    expect(req.systemInstruction).toEqual({ parts: [{ text: "Be brief." }, { text: "Answer in English." }] });
    expect(req.contents).toEqual([
      { role: "user", parts: [{ text: "Hi" }, { text: "Are you there?" }] },
      { role: "model", parts: [{ text: "Yes." }] },
      { role: "user", parts: [{ text: "Good." }] },
    ]);
    expect(req.generationConfig).toBeUndefined();
  });

  it("maps data: URLs to inlineData and http(s) URLs to fileData with a guessed MIME type", () => {
    const req = gemini(
      chat([
        {
          role: "user",
          content: [
            { type: "text", text: "Compare" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.webp?size=large" } },
            { type: "image_url", image_url: { url: "https://example.com/photo" } },
          ],
        },
      ]),
    );
    expect(req.contents[0].parts).toEqual([
      { text: "Compare" },
      { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
      { fileData: { mimeType: "image/webp", fileUri: "https://example.com/cat.webp?size=large" } },
      { fileData: { mimeType: "image/jpeg", fileUri: "https://example.com/photo" } },
    ]);
  });

  const weatherTool = {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Current weather",
      parameters: {
        type: "object",
        properties: { location: { type: "string" } },
        required: ["location"],
        additionalProperties: false,
      },
    },
  };

  it("maps tools, tool calls and tool results (name looked up from the call id)", () => {
    const req = gemini(
      chat(
        [
          { role: "user", content: "Weather in Boston and Paris?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"location":"Boston"}' } },
              { id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
            ],
          },
          { role: "tool", tool_call_id: "call_a", content: '{"temp_c":21}' },
          { role: "tool", tool_call_id: "call_b", content: "sunny, 25C" },
        ],
        { tools: [weatherTool] },
      ),
    );
    expect(req.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Current weather",
            parametersJsonSchema: weatherTool.function.parameters,
          },
        ],
      },
    ]);
    expect(req.contents.slice(1)).toEqual([
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { location: "Boston" } } },
          { functionCall: { name: "get_weather", args: { location: "Paris" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { content: { temp_c: 21 } } } },
          { functionResponse: { name: "get_weather", response: { content: { result: "sunny, 25C" } } } },
        ],
      },
    ]);
  });

  it("rejects invalid tool arguments and unknown tool_call_ids with GoogleRequestError", () => {
    const badArgs = chat([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{oops" } }],
      },
    ]);
    expect(() => gemini(badArgs)).toThrow(GoogleRequestError);
    expect(() => gemini(badArgs)).toThrow(/"f" has arguments that are not a JSON object/);
    expect(() => gemini(chat([{ role: "tool", tool_call_id: "nope", content: "x" }]))).toThrow(
      /unknown tool_call_id "nope"/,
    );
  });

  it("round-trips Gemini 3 thought signatures through tool_calls", () => {
    const { completion } = chatAdapter.parseChatResponse(F.FUNCTION_CALL_RESPONSE, target());
    const { message } = defined(completion.choices[0]);
    const req = gemini(chat([{ role: "user", content: "Weather?" }, message]));
    expect(req.contents[1].parts[0]).toEqual({
      functionCall: { name: "get_weather", args: { location: "Boston, MA" } },
      thoughtSignature: "Q2lRQjBlMmRsOA==",
    });
    expect(req.contents[1].parts[1].thoughtSignature).toBeUndefined();
  });

  it.each([
    ["auto", { mode: "AUTO" }],
    ["none", { mode: "NONE" }],
    ["required", { mode: "ANY" }],
    [
      { type: "function", function: { name: "get_weather" } },
      { mode: "ANY", allowedFunctionNames: ["get_weather"] },
    ],
    [
      {
        type: "allowed_tools",
        allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "get_weather" } }] },
      },
      { mode: "AUTO", allowedFunctionNames: ["get_weather"] },
    ],
  ])("maps tool_choice %j", (toolChoice, expected) => {
    const req = gemini(
      chat([{ role: "user", content: "x" }], {
        tools: [weatherTool],
        tool_choice: toolChoice as ChatCompletionCreateParams["tool_choice"],
      }),
    );
    expect(req.toolConfig).toEqual({ functionCallingConfig: expected });
  });

  it("maps sampling options and response formats to generationConfig", () => {
    const base = {
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 100,
      stop: "END",
      n: 2,
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
    };
    expect(
      gemini(chat([{ role: "user", content: "x" }], { ...base, response_format: { type: "json_object" } }))
        .generationConfig,
    ).toEqual({
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 100,
      stopSequences: ["END"],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      responseMimeType: "application/json",
    });
    const schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    const withSchema = gemini(
      chat([{ role: "user", content: "x" }], {
        max_tokens: 10,
        max_completion_tokens: 50,
        stop: ["a", "b"],
        response_format: { type: "json_schema", json_schema: { name: "person", schema } },
      }),
    );
    expect(withSchema.generationConfig).toEqual({
      maxOutputTokens: 50,
      stopSequences: ["a", "b"],
      responseMimeType: "application/json",
      responseJsonSchema: schema,
    });
  });

  it("builds URLs with the key only in the x-goog-api-key header", () => {
    const body = chat([{ role: "user", content: "x" }]);
    const plain = chatAdapter.buildChatRequest(body, target());
    expect(plain.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    expect(plain.headers).toEqual({ "content-type": "application/json", "x-goog-api-key": target().secret });
    const streamed = chatAdapter.buildChatRequest(
      { ...body, stream: true },
      target({ baseUrl: "http://127.0.0.1:9/v1beta/" }),
    );
    expect(streamed.url).toBe("http://127.0.0.1:9/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(streamed.url).not.toContain(target().secret);
    expect(googleAdapter.buildListModelsRequest!(target()).url).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000",
    );
  });
});

describe("response mapping", () => {
  it("maps text, ids, created, model and usage", () => {
    const { completion, usage } = chatAdapter.parseChatResponse(F.TEXT_RESPONSE, target());
    expect(completion).toEqual({
      id: "mBQhaJ7nHdKE7dcPoLHB-AE",
      object: "chat.completion",
      created: NOW.getTime() / 1000,
      model: "gemini-2.5-flash",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "AI learns patterns from data and uses them to predict.",
            refusal: null,
          },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 8,
        completion_tokens: 12,
        total_tokens: 20,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(usage).toEqual({
      inputTokens: 8,
      outputTokens: 12,
      cachedInputTokens: 0,
      cacheWriteTokens: null,
      source: "provider",
    });
  });

  it("maps thought parts to reasoning_content and counts thoughts and cache", () => {
    const { completion, usage } = chatAdapter.parseChatResponse(F.THINKING_RESPONSE, target());
    // The adapter adds reasoning_content beside content, which the OpenAI SDK's type does not name.
    const message: { content: string | null; reasoning_content?: string } = defined(completion.choices[0]).message;
    expect(message.content).toBe("There are 4 primes below 10: 2, 3, 5 and 7.");
    expect(message.reasoning_content).toBe("**Counting primes**\nI list the primes below 10.");
    expect(completion.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 120, total_tokens: 130 });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(6);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(100);
    expect(usage).toEqual({
      inputTokens: 10,
      outputTokens: 120,
      cachedInputTokens: 6,
      cacheWriteTokens: null,
      source: "provider",
    });
  });

  it("maps function calls to tool_calls with generated ids", () => {
    const { completion } = chatAdapter.parseChatResponse(F.FUNCTION_CALL_RESPONSE, target());
    const choice = defined(completion.choices[0]);
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      {
        id: "call_0",
        type: "function",
        function: { name: "get_weather", arguments: '{"location":"Boston, MA"}' },
        extra_content: { google: { thought_signature: "Q2lRQjBlMmRsOA==" } },
      },
      { id: "call_1", type: "function", function: { name: "get_time", arguments: '{"timezone":"America/New_York"}' } },
    ]);
  });

  it.each([
    ["STOP", "stop"],
    ["MAX_TOKENS", "length"],
    ["SAFETY", "content_filter"],
    ["RECITATION", "content_filter"],
    ["BLOCKLIST", "content_filter"],
    ["PROHIBITED_CONTENT", "content_filter"],
    ["SPII", "content_filter"],
    ["OTHER", "stop"],
  ])("maps finishReason %s to %s", (reason, expected) => {
    const json = { candidates: [{ content: { parts: [{ text: "x" }], role: "model" }, finishReason: reason }] };
    expect(chatAdapter.parseChatResponse(json, target()).completion.choices[0]?.finish_reason).toBe(expected);
  });

  it("maps safety stops and blocked prompts to content_filter with empty content", () => {
    const stopped = chatAdapter.parseChatResponse(F.SAFETY_RESPONSE, target());
    expect(stopped.completion.choices[0]).toMatchObject({ finish_reason: "content_filter", message: { content: "" } });
    expect(stopped.usage).toMatchObject({ inputTokens: 9, outputTokens: 0 });
    const blocked = chatAdapter.parseChatResponse(F.PROMPT_BLOCKED_RESPONSE, target());
    expect(blocked.completion.id).toBe("blocked-1");
    expect(blocked.completion.choices).toEqual([
      {
        index: 0,
        message: { role: "assistant", content: "", refusal: null },
        finish_reason: "content_filter",
        logprobs: null,
      },
    ]);
    expect(blocked.usage).toEqual({
      inputTokens: 7,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: null,
      source: "provider",
    });
  });

  it("generates a chatcmpl id and returns null usage when Gemini sends none", () => {
    const { completion, usage } = chatAdapter.parseChatResponse(
      { candidates: [{ content: { parts: [{ text: "hi" }] } }] },
      target(),
    );
    expect(completion.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(completion.usage).toBeUndefined();
    expect(usage).toBeNull();
  });
});

/** Feed `body` to a fresh parser in pieces of 1..7 bytes (or whole when `whole`). */
function runStream(body: string | Uint8Array, whole = false) {
  const parser = chatAdapter.createChatStreamParser(target());
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const chunks: ChatCompletionChunk[] = [];
  if (whole) chunks.push(...parser.push(bytes));
  else
    for (let i = 0, step = 1; i < bytes.length; i += step, step = (step % 7) + 1)
      chunks.push(...parser.push(bytes.slice(i, i + step)));
  return { parser, chunks, endChunks: parser.end() };
}

describe("stream parsing", () => {
  it("turns SSE chunks into OpenAI chunks with a final usage chunk", () => {
    const { parser, chunks, endChunks } = runStream(F.TEXT_STREAM, true);
    expect(endChunks).toEqual([]);
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: "assistant", reasoning_content: "Pondering." },
      { content: "Once upon a time, " },
      { content: "a café 🐉 opened." },
      {},
      null,
    ]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, null, "stop", null]);
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(["stream-1"]));
    expect(chunks[4]).toMatchObject({ choices: [], created: NOW.getTime() / 1000, model: "gemini-2.5-flash" });
    expect(chunks[4]?.usage).toEqual({
      prompt_tokens: 5,
      completion_tokens: 13,
      total_tokens: 18,
      prompt_tokens_details: { cached_tokens: 2 },
      completion_tokens_details: { reasoning_tokens: 3 },
    });
    expect(parser.usage()).toEqual({
      inputTokens: 5,
      outputTokens: 13,
      cachedInputTokens: 2,
      cacheWriteTokens: null,
      source: "provider",
    });
    expect(parser.error()).toBeNull();
  });

  it("gives the same chunks when bytes arrive in 1..7-byte pieces", () => {
    const whole = runStream(F.TEXT_STREAM, true);
    const split = runStream(F.TEXT_STREAM);
    expect([...split.chunks, ...split.endChunks]).toEqual([...whole.chunks, ...whole.endChunks]);
  });

  it("emits a function call as one complete tool_calls delta", () => {
    const { chunks } = runStream(F.FUNCTION_CALL_STREAM);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "Let me check." });
    expect(chunks[1]?.choices[0]?.delta.tool_calls).toEqual([
      {
        index: 0,
        id: "call_0",
        type: "function",
        function: { name: "get_weather", arguments: '{"location":"Paris"}' },
      },
    ]);
    expect(chunks[2]?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(chunks[3]?.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 11 });
  });

  it("reports partial usage when the stream breaks before finishReason", () => {
    const events = F.TEXT_STREAM.split("\r\n\r\n");
    const { parser, chunks, endChunks } = runStream(`${events.slice(0, 3).join("\r\n\r\n")}\r\n\r\n`);
    expect(chunks.every((c) => c.choices.length === 1 && c.choices[0]?.finish_reason === null)).toBe(true);
    expect(endChunks).toEqual([]);
    expect(parser.usage()).toEqual({
      inputTokens: 5,
      outputTokens: 9,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "partial",
    });
  });

  it("surfaces an error object sent inside the stream", () => {
    const body = `${
      F.TEXT_STREAM.split("\r\n\r\n")[1]
    }\r\n\r\ndata: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}\r\n\r\n`;
    const { parser, endChunks } = runStream(body);
    expect(endChunks).toEqual([]);
    expect(parser.error()).toEqual({
      status: 503,
      type: "api_error",
      code: "UNAVAILABLE",
      message: "The model is overloaded. Please try again later.",
      retryable: true,
    });
    expect(parser.usage()?.source).toBe("partial");
  });

  it("finishes a blocked prompt with content_filter", () => {
    const { chunks } = runStream(`data: ${JSON.stringify(F.PROMPT_BLOCKED_RESPONSE)}\r\n\r\n`);
    expect(chunks[0]?.choices[0]).toEqual({
      index: 0,
      delta: { role: "assistant", content: "" },
      finish_reason: "content_filter",
    });
    expect(chunks[1]?.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 0 });
  });
});

describe("embeddings", () => {
  const body = { model: "gemini-embedding-001", input: ["hello", "world!"], dimensions: 3 };
  const answer = { embeddings: [{ values: [0.25, -0.5, 1] }, { values: [0.125, 0, -1] }] };

  it("builds batchEmbedContents and maps float vectors with an estimated usage", () => {
    const t = target({ model: "gemini-embedding-001" });
    const req = embeddings!.buildEmbeddingsRequest(body, t);
    expect(req.url).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents",
    );
    expect(JSON.parse(req.body!)).toEqual({
      requests: [
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "hello" }] }, outputDimensionality: 3 },
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "world!" }] }, outputDimensionality: 3 },
      ],
    });
    const { response, usage } = embeddings!.parseEmbeddingsResponse(answer, t);
    expect(response).toEqual({
      object: "list",
      model: "gemini-embedding-001",
      data: [
        { object: "embedding", index: 0, embedding: [0.25, -0.5, 1] },
        { object: "embedding", index: 1, embedding: [0.125, 0, -1] },
      ],
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
    expect(usage).toEqual({
      inputTokens: 3,
      outputTokens: 0,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "estimated",
    });
  });

  it("encodes base64 as float32 little-endian", () => {
    const t = target({ model: "gemini-embedding-001" });
    embeddings!.buildEmbeddingsRequest({ ...body, encoding_format: "base64" }, t);
    const { response } = embeddings!.parseEmbeddingsResponse(answer, t);
    const decoded = response.data.map((d) => {
      const buf = Buffer.from(String(d.embedding), "base64");
      return Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4));
    });
    expect(decoded).toEqual([
      [0.25, -0.5, 1],
      [0.125, 0, -1],
    ]);
    expect(floatsToBase64([1])).toBe("AACAPw==");
  });

  it("rejects token-array input", () => {
    expect(() => embeddings!.buildEmbeddingsRequest({ model: "m", input: [1, 2, 3] }, target())).toThrow(
      GoogleRequestError,
    );
  });
});

describe("images", () => {
  it.each([
    ["1024x1024", "1:1"],
    ["1792x1024", "16:9"],
    ["1024x1792", "9:16"],
    ["1536x1024", "4:3"],
    ["1024x1536", "3:4"],
    ["auto", undefined],
  ])("maps size %s to aspect ratio %s", (size, ratio) => expect(aspectRatioFor(size)).toBe(ratio));

  it("builds :predict and maps predictions to b64_json", () => {
    const t = target({ model: "imagen-4.0-generate-001" });
    const req = images!.buildImageRequest({ prompt: "a robot", n: 2, size: "1792x1024" }, t);
    expect(req.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/imagen-4.0-generate-001:predict");
    expect(JSON.parse(req.body!)).toEqual({
      instances: [{ prompt: "a robot" }],
      parameters: { sampleCount: 2, aspectRatio: "16:9" },
    });
    const json = {
      predictions: [{ mimeType: "image/png", bytesBase64Encoded: TINY_PNG_BASE64 }, { raiFilteredReason: "filtered" }],
    };
    expect(images!.parseImageResponse(json, t)).toEqual({
      response: { created: NOW.getTime() / 1000, data: [{ b64_json: TINY_PNG_BASE64 }], output_format: "png" },
      usage: null,
    });
  });
});

describe("errors", () => {
  const parse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    googleAdapter.parseError(status, typeof body === "string" ? body : JSON.stringify(body), new Headers(headers));

  it("maps RESOURCE_EXHAUSTED with RetryInfo to a retryable 429", () => {
    expect(parse(429, F.RATE_LIMIT_ERROR)).toEqual({
      status: 429,
      type: "rate_limit_error",
      code: "RESOURCE_EXHAUSTED",
      message: "You exceeded your current quota, please check your plan and billing details.",
      retryable: true,
      retryAfterMs: 13_000,
    });
    const noInfo = { error: { code: 429, message: "slow down", status: "RESOURCE_EXHAUSTED" } };
    expect(parse(429, noInfo, { "retry-after": "7" }).retryAfterMs).toBe(7000);
  });

  it("maps an invalid API key (400 INVALID_ARGUMENT) to 401", () => {
    expect(parse(400, F.API_KEY_INVALID_ERROR)).toMatchObject({
      status: 401,
      type: "authentication_error",
      code: "invalid_api_key",
      retryable: false,
    });
  });

  it.each([
    ["INVALID_ARGUMENT", 400, 400, "invalid_request_error", false],
    ["FAILED_PRECONDITION", 400, 400, "invalid_request_error", false],
    ["UNAUTHENTICATED", 401, 401, "authentication_error", false],
    ["PERMISSION_DENIED", 403, 403, "permission_error", false],
    ["NOT_FOUND", 404, 404, "invalid_request_error", false],
    ["INTERNAL", 500, 500, "api_error", true],
    ["UNAVAILABLE", 503, 503, "api_error", true],
    ["DEADLINE_EXCEEDED", 504, 504, "api_error", true],
  ])("maps %s", (status, http, expected, type, retryable) => {
    expect(parse(http, { error: { code: http, message: "m", status } })).toMatchObject({
      status: expected,
      type,
      retryable,
      code: status,
    });
  });

  it("handles non-JSON and empty bodies and never echoes a key", () => {
    expect(parse(502, "<html>Bad Gateway</html>")).toEqual({
      status: 502,
      type: "api_error",
      code: null,
      message: "Gemini returned HTTP 502: <html>Bad Gateway</html>",
      retryable: true,
    });
    expect(parse(503, "", { "retry-after": "3" })).toMatchObject({
      message: "Gemini returned HTTP 503",
      retryAfterMs: 3000,
    });
    const leaky = {
      error: {
        code: 400,
        message: "bad url ?key=AIzaSyTestKey0000000000000000000000000 x",
        status: "INVALID_ARGUMENT",
      },
    };
    expect(parse(400, leaky).message).not.toContain("AIza");
  });
});

describe("end to end against the fake Gemini", () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await startFakeGemini({ cached: true });
  });
  afterAll(() => fake.close());
  const live = (model = "gemini-2.5-flash", secret = FAKE_GEMINI_KEY) => target({ baseUrl: fake.url, model, secret });
  const send = (req: { url: string; method: string; headers: Record<string, string>; body?: string }) =>
    fetch(req.url, { method: req.method, headers: req.headers, body: req.body });

  it("answers chat JSON with cached usage", async () => {
    const res = await send(
      chatAdapter.buildChatRequest(
        chat([
          { role: "system", content: "Be kind." },
          { role: "user", content: "Hello there" },
        ]),
        live(),
      ),
    );
    expect(res.status).toBe(200);
    const { completion, usage } = chatAdapter.parseChatResponse(await res.json(), live());
    expect(completion.choices[0]?.message.content).toBe(
      "This is gemini-2.5-flash answering. You said: Hello there. That is all.",
    );
    expect(usage).toEqual({
      inputTokens: 5,
      outputTokens: 18,
      cachedInputTokens: 2,
      cacheWriteTokens: null,
      source: "provider",
    });
    expect(fake.requests.at(-1)!.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
  });

  it("streams chat text over CRLF-framed SSE with the same text and usage as the JSON answer", async () => {
    const body = chat([{ role: "user", content: "Stream this please" }]);
    const json = await send(chatAdapter.buildChatRequest(body, live()));
    const { completion, usage } = chatAdapter.parseChatResponse(await json.json(), live());
    const res = await send(chatAdapter.buildChatRequest({ ...body, stream: true }, live()));
    const raw = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(raw)).toMatch(/^data: \{.*\}\r\n\r\ndata: /);
    const parser = chatAdapter.createChatStreamParser(live());
    const chunks = [...parser.push(raw), ...parser.end()];
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(
      defined(completion.choices[0]).message.content,
    );
    expect(chunks.filter((c) => c.choices[0]?.finish_reason === "stop")).toHaveLength(1);
    expect(chunks.at(-1)!.usage).toEqual(completion.usage);
    expect(parser.usage()).toEqual(usage);
  });

  it("delays [[slow]] answers and maps [[500]] to a retryable error", async () => {
    const started = Date.now();
    const slow = await send(chatAdapter.buildChatRequest(chat([{ role: "user", content: "[[slow]] hi" }]), live()));
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const failed = await send(chatAdapter.buildChatRequest(chat([{ role: "user", content: "[[500]]" }]), live()));
    expect(googleAdapter.parseError(failed.status, await failed.text(), failed.headers)).toMatchObject({
      status: 500,
      type: "api_error",
      code: "INTERNAL",
      retryable: true,
    });
  });

  it("streams chat and runs a tool round trip", async () => {
    const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object" } } }];
    const ask = chat([{ role: "user", content: "What is the weather?" }], { tools, stream: true });
    const res = await send(chatAdapter.buildChatRequest(ask, live()));
    const parser = chatAdapter.createChatStreamParser(live());
    const chunks = [...parser.push(new Uint8Array(await res.arrayBuffer())), ...parser.end()];
    const call = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])[0];
    expect(call).toMatchObject({
      id: "call_0",
      function: { name: "get_weather", arguments: '{"location":"Boston, MA"}' },
    });
    expect(chunks.at(-1)!.usage?.prompt_tokens).toBe(5);
    const follow = chat(
      [
        ...ask.messages,
        { role: "assistant", content: null, tool_calls: [call as ChatCompletionMessageFunctionToolCall] },
        { role: "tool", tool_call_id: "call_0", content: '{"temp_c":22}' },
      ],
      { tools },
    );
    const second = await send(chatAdapter.buildChatRequest(follow, live()));
    const sent = JSON.parse(fake.requests.at(-1)!.body);
    expect(sent.contents[1].parts[0].thoughtSignature).toBe("c2lnbmF0dXJlLTE=");
    const { completion } = chatAdapter.parseChatResponse(await second.json(), live());
    expect(completion.choices[0]?.message.content).toBe('Function get_weather returned {"content":{"temp_c":22}}.');
  });

  it("reports partial usage for a broken stream and parses 429 and bad-key errors", async () => {
    const res = await send(
      chatAdapter.buildChatRequest(
        chat([{ role: "user", content: "Tell me a story [[break]]" }], { stream: true }),
        live(),
      ),
    );
    const parser = chatAdapter.createChatStreamParser(live());
    const reader = res.body!.getReader();
    const text: string[] = [];
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          for (const c of parser.push(value)) text.push(c.choices[0]?.delta.content ?? "");
        }
      })(),
    ).rejects.toThrow();
    // The fake slices its answer in four and cuts the socket after two slices.
    const full = "This is gemini-2.5-flash answering. You said: Tell me a story. That is all.";
    const seen = full.slice(0, 2 * Math.ceil(full.length / 4));
    expect(text.join("")).toBe(seen);
    expect(parser.usage()).toEqual({
      inputTokens: 7, // "Tell me a story [[break]]" is 25 characters, the fake counts ceil(chars / 4)
      outputTokens: Math.ceil(seen.length / 2 / 4) * 2,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "partial",
    });
    const limited = await send(chatAdapter.buildChatRequest(chat([{ role: "user", content: "[[429]]" }]), live()));
    expect(googleAdapter.parseError(limited.status, await limited.text(), limited.headers)).toMatchObject({
      status: 429,
      retryAfterMs: 2000,
    });
    const badKey = await send(
      chatAdapter.buildChatRequest(chat([{ role: "user", content: "hi" }]), live(undefined, "wrong")),
    );
    expect(googleAdapter.parseError(badKey.status, await badKey.text(), badKey.headers)).toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
  });

  it("embeds and generates images", async () => {
    const t = live("gemini-embedding-001");
    const res = await send(embeddings!.buildEmbeddingsRequest({ model: "x", input: "hello", dimensions: 4 }, t));
    const { response } = embeddings!.parseEmbeddingsResponse(await res.json(), t);
    expect(response.data[0]?.embedding).toHaveLength(4);
    expect(response.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    const i = live("imagen-4.0-generate-001");
    const img = await send(images!.buildImageRequest({ prompt: "a cat", n: 2, size: "1024x1024" }, i));
    const { response: pics } = images!.parseImageResponse(await img.json(), i);
    expect(pics.data).toHaveLength(2);
    expect(Buffer.from(defined(pics.data?.[0]?.b64_json), "base64").subarray(1, 4).toString()).toBe("PNG");
    const models = await send(googleAdapter.buildListModelsRequest!(i));
    expect((await models.json()).models.map((m: Json) => m.name)).toContain("models/gemini-2.5-flash");
  });
});
