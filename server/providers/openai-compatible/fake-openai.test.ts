/**
 * Proves test/fake-upstreams/openai.ts is faithful: the real `openai` SDK must accept every answer it gives,
 * and the requests our OpenAI-compatible adapters build must round-trip through it with global fetch.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defined } from "@test/helpers/defined";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ProviderAdapter,
  UpstreamRequest,
  UpstreamTarget,
} from "../types";
import { openaiAdapter } from "../openai";
import { deepseekAdapter } from "../deepseek";
import { xaiAdapter } from "../xai";
import { openrouterAdapter } from "../openrouter";
import { ollamaAdapter } from "../ollama";
import { doubaoAdapter } from "../doubao";
import { poeAdapter } from "../poe";

const REPLY = "The quick brown fox jumps.";
let fake: FakeUpstream;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ reply: REPLY, cachedTokens: 2 });
  client = new OpenAI({ apiKey: "sk-test", baseURL: `${fake.url}/v1`, maxRetries: 0 });
});
afterAll(() => fake.close());

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  },
};

describe("the real openai SDK against the fake", () => {
  it("chat completion", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Say hi" }],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message).toMatchObject({ role: "assistant", content: REPLY });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 2,
      completion_tokens: Math.ceil(REPLY.length / 4),
      prompt_tokens_details: { cached_tokens: 2 },
    });
    const sent = JSON.parse(fake.requests.at(-1)!.body);
    expect(sent).toEqual({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hi" }] });
  });

  it("streaming with the usage chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const all: ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      all.push(chunk);
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe(REPLY);
    expect(all.length).toBe(1 + REPLY.split(" ").length + 2);
    const last = all.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({
      prompt_tokens: Math.ceil(13 / 4),
      completion_tokens: Math.ceil(REPLY.length / 4),
    });
    expect(all.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(all.at(-2)?.choices[0]?.finish_reason).toBe("stop");
  });

  it("tool calls, plain and streamed through the SDK's accumulator", async () => {
    const params = {
      model: "gpt-4o-mini",
      messages: [{ role: "user" as const, content: "What's the weather in Paris?" }],
      tools: [weatherTool],
    };
    const completion = await client.chat.completions.create(params);
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      type: "function",
      function: { name: "get_weather", arguments: '{"location":"Paris"}' },
    });

    const pieces: string[] = [];
    const runner = client.chat.completions.stream(params).on("chunk", (chunk) => {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) pieces.push(delta.function?.arguments ?? "");
    });
    const final = await runner.finalChatCompletion();
    const call = defined(final.choices[0]?.message.tool_calls?.[0], "a tool call");
    expect(call).toMatchObject({
      id: expect.stringMatching(/^call_/),
      function: { name: "get_weather", arguments: '{"location":"Paris"}' },
    });
    expect(pieces.filter((p) => p !== "").length).toBeGreaterThan(2); // arguments arrive in pieces, as from OpenAI
  });

  it("response_format json_object and json_schema", async () => {
    const json = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "json" }],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(defined(json.choices[0]?.message.content))).toEqual({ reply: REPLY });
    const schema = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "json" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "x",
          schema: {
            type: "object",
            properties: {
              city: { type: "string" },
              temp: { type: "number" },
              tags: { type: "array", items: { type: "string" } },
            },
          },
        },
      },
    });
    expect(JSON.parse(defined(schema.choices[0]?.message.content))).toEqual({ city: REPLY, temp: 1, tags: [REPLY] });
  });

  it("embeddings, float and base64 (the SDK's default, which it decodes)", async () => {
    const floats = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["a", "bb"],
      encoding_format: "float",
    });
    expect(floats.data).toHaveLength(2);
    expect(floats.data[0]?.embedding).toHaveLength(16);
    expect(Math.hypot(...defined(floats.data[0]).embedding)).toBeCloseTo(1, 5);
    expect(floats.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    const decoded = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["a", "bb"],
      dimensions: 16,
    });
    expect(JSON.parse(fake.requests.at(-1)!.body).encoding_format).toBe("base64");
    expect(decoded.data[1]?.embedding).toEqual(defined(floats.data[1]).embedding);
  });

  it("images, b64_json and url", async () => {
    const gpt = await client.images.generate({ model: "gpt-image-1", prompt: "a lighthouse" });
    expect(Buffer.from(defined(gpt.data?.[0]?.b64_json), "base64").subarray(1, 4).toString()).toBe("PNG");
    expect(gpt.usage).toMatchObject({ input_tokens: 3, output_tokens: 272 });
    const dalle = await client.images.generate({ model: "dall-e-3", prompt: "a lighthouse", response_format: "url" });
    const png = await fetch(defined(dalle.data?.[0]?.url));
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(dalle.data?.[0]?.revised_prompt).toBe("a lighthouse");
  });

  it("models.list", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "gpt-image-1", "dall-e-3"]);
  });

  it("errors the SDK recognises: wrong key, 429, 500", async () => {
    const wrong = new OpenAI({ apiKey: "sk-wrong-key-123456", baseURL: `${fake.url}/v1`, maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });
    await expect(
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "[[429]]" }] }),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "[[500]]" }] }),
    ).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });
});

describe("fake timing scenarios", () => {
  it("[[slow]] delays the first byte; latencyMs delays every answer", async () => {
    const slow = await startFakeOpenAI({ slowMs: 150, latencyMs: 50 });
    try {
      const sdk = new OpenAI({ apiKey: "sk-test", baseURL: `${slow.url}/v1`, maxRetries: 0 });
      let start = performance.now();
      await sdk.chat.completions.create({ model: "m", messages: [{ role: "user", content: "[[slow]]" }] });
      expect(performance.now() - start).toBeGreaterThanOrEqual(190);
      start = performance.now();
      await sdk.models.list();
      expect(performance.now() - start).toBeGreaterThanOrEqual(45);
    } finally {
      await slow.close();
    }
  });

  it("[[stall]] sends one chunk and then nothing; [[503]] answers 503", async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: "m", messages: [{ role: "user", content: "[[stall]]" }], stream: true },
      { signal: controller.signal },
    );
    const seen: ChatCompletionChunk[] = [];
    const start = performance.now();
    setTimeout(() => controller.abort(), 300);
    for await (const chunk of stream) seen.push(chunk); // the SDK ends the iteration quietly on abort
    expect(performance.now() - start).toBeGreaterThanOrEqual(280);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.choices[0]?.delta.role).toBe("assistant");
    await expect(
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "[[503]]" }] }),
    ).rejects.toMatchObject({ status: 503 });
  });
});

describe("adapter requests sent with fetch", () => {
  const adapters: ProviderAdapter[] = [
    openaiAdapter,
    deepseekAdapter,
    xaiAdapter,
    openrouterAdapter,
    ollamaAdapter,
    doubaoAdapter,
    poeAdapter,
  ];
  const targetFor = (): UpstreamTarget => ({ baseUrl: `${fake.url}/v1`, secret: "sk-test", model: "gpt-4o-mini" });
  const body = (content: string, extra: Record<string, unknown> = {}) =>
    ({ model: "hub-alias", messages: [{ role: "user", content }], ...extra }) as ChatCompletionCreateParams;
  const send = (req: UpstreamRequest) => fetch(req.url, { method: req.method, headers: req.headers, body: req.body });

  async function stream(adapter: ProviderAdapter, content: string) {
    const target = targetFor();
    const res = await send(adapter.chat.buildChatRequest(body(content, { stream: true }), target));
    const parser = adapter.chat.createChatStreamParser(target);
    const chunks: ChatCompletionChunk[] = [];
    const reader = res.body!.getReader();
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(...parser.push(r.value));
    } catch {
      // a cut connection: the parser still reports what it saw
    }
    chunks.push(...parser.end());
    return { chunks, parser };
  }

  it.each(adapters.map((a) => [a.kind, a] as const))("%s: chat JSON and stream parse", async (_kind, adapter) => {
    const target = targetFor();
    const res = await send(adapter.chat.buildChatRequest(body("hello there"), target));
    expect(res.status).toBe(200);
    const { completion, usage } = adapter.chat.parseChatResponse(await res.json(), target);
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(usage).toEqual({
      inputTokens: 3,
      outputTokens: 7,
      cachedInputTokens: 2,
      cacheWriteTokens: null,
      source: "provider",
    });

    const { chunks, parser } = await stream(adapter, "hello there");
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(REPLY);
    expect(parser.usage()).toEqual({
      inputTokens: 3,
      outputTokens: 7,
      cachedInputTokens: 2,
      cacheWriteTokens: null,
      source: "provider",
    });
    expect(parser.error()).toBeNull();
  });

  it("a stream cut after 2 chunks leaves usage unknown", async () => {
    const { chunks, parser } = await stream(openaiAdapter, "[[break]]");
    expect(chunks.length).toBe(2);
    expect(parser.usage()).toBeNull();
  });

  it("embeddings, images, models and errors through the adapter", async () => {
    const target = targetFor();
    const emb = await send(
      openaiAdapter.embeddings!.buildEmbeddingsRequest(
        { model: "x", input: "abcdefgh" },
        { ...target, model: "text-embedding-3-small" },
      ),
    );
    expect(openaiAdapter.embeddings!.parseEmbeddingsResponse(await emb.json(), target).usage).toMatchObject({
      inputTokens: 2,
      outputTokens: 0,
    });
    const img = await send(
      openaiAdapter.images!.buildImageRequest({ prompt: "a cat" }, { ...target, model: "gpt-image-1" }),
    );
    expect(openaiAdapter.images!.parseImageResponse(await img.json(), target).usage).toMatchObject({
      inputTokens: 2,
      outputTokens: 272,
    });
    const models = await send(openaiAdapter.buildListModelsRequest!(target));
    expect((await models.json()).data.length).toBeGreaterThan(0);

    const limited = await send(openaiAdapter.chat.buildChatRequest(body("[[429]]"), target));
    expect(openaiAdapter.parseError(limited.status, await limited.text(), limited.headers)).toMatchObject({
      status: 429,
      code: "rate_limit_exceeded",
      retryable: true,
      retryAfterMs: 1000,
    });
    const unauthorized = await send(
      openaiAdapter.chat.buildChatRequest(body("hi"), { ...target, secret: "sk-live-abcdefghijklmnop" }),
    );
    const err = openaiAdapter.parseError(unauthorized.status, await unauthorized.text(), unauthorized.headers);
    expect(err).toMatchObject({ status: 401, code: "invalid_api_key", retryable: false });
    expect(err.message).toMatch(/^Incorrect API key provided: \[redacted\]\./);
  });
});
