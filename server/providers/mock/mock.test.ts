import { describe, expect, it } from "vitest";
import { defined } from "@test/helpers/defined";
import type { ChatCompletionChunk, ChatCompletionCreateParams, UpstreamTarget } from "../types";
import { handleMockRequest, isMockRequest, mockAdapter, MOCK_BASE_URL } from "./index";
import { inputTokensFor, mockEmbedding, mockReplyText, replyPieces, streamDelayMs } from "./reply";

const target: UpstreamTarget = { baseUrl: MOCK_BASE_URL, secret: "", model: "mock-chat" };
const user = (content: string, extra: Record<string, unknown> = {}) =>
  ({
    model: "mock/chat",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content },
    ],
    ...extra,
  }) as ChatCompletionCreateParams;

async function chatJson(body: ChatCompletionCreateParams, t: UpstreamTarget = target) {
  const res = await handleMockRequest(mockAdapter.chat.buildChatRequest(body, t));
  expect(res.status).toBe(200);
  return mockAdapter.chat.parseChatResponse(await res.json(), t);
}

/** Streams through the adapter's own parser, recording when each chunk arrived. */
async function chatStream(body: ChatCompletionCreateParams, t: UpstreamTarget = target, signal?: AbortSignal) {
  const res = await handleMockRequest(mockAdapter.chat.buildChatRequest({ ...body, stream: true }, t), signal);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const parser = mockAdapter.chat.createChatStreamParser(t);
  const chunks: ChatCompletionChunk[] = [];
  const times: number[] = [];
  let raw = "";
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    raw += new TextDecoder().decode(value);
    for (const c of parser.push(value)) {
      chunks.push(c);
      times.push(performance.now());
    }
  }
  chunks.push(...parser.end());
  return { chunks, times, raw, usage: parser.usage() };
}

describe("mock chat", () => {
  it("answers deterministically with predictable tokens", async () => {
    const { completion, usage } = await chatJson(user("What is the capital of France?"));
    expect(completion.choices[0]?.message.content).toBe("Mock reply to: What is the capital of France?");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.model).toBe("mock-chat");
    // ceil(("Be brief." 9 + 30 chars) / 4) = 10; reply words: Mock reply to: What is the capital of France? = 9
    expect(usage).toEqual({
      inputTokens: 10,
      outputTokens: 9,
      cachedInputTokens: 0,
      cacheWriteTokens: null,
      source: "provider",
    });
    const again = await chatJson(user("What is the capital of France?"));
    expect(again.completion.id).toBe(completion.id);
  });

  it("echoes at most 200 characters of the last user text, text parts included", async () => {
    expect(mockReplyText("é".repeat(250))).toBe(`Mock reply to: ${"é".repeat(200)}`);
    const body = {
      model: "m",
      messages: [
        { role: "user", content: "old" },
        { role: "assistant", content: "x" },
        {
          role: "user",
          content: [
            { type: "text", text: "newest" },
            { type: "image_url", image_url: { url: "data:," } },
          ],
        },
      ],
    };
    const { completion } = await chatJson(body as ChatCompletionCreateParams);
    expect(completion.choices[0]?.message.content).toBe("Mock reply to: newest");
    expect(inputTokensFor(body.messages)).toBe(Math.ceil((3 + 1 + 6) / 4));
  });

  it("streams one word per chunk, then finish, usage and [DONE]", async () => {
    const { chunks, raw, usage } = await chatStream(user("tell me a joke [[delay=1]]"));
    const contents = chunks.map((c) => c.choices[0]?.delta.content);
    expect(contents).toEqual([
      "",
      "Mock ",
      "reply ",
      "to: ",
      "tell ",
      "me ",
      "a ",
      "joke ",
      "[[delay=1]]",
      undefined,
      undefined,
    ]);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks[9]?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks[10]?.choices).toEqual([]);
    expect(raw.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(usage).toMatchObject({ inputTokens: Math.ceil((9 + 26) / 4), outputTokens: 8, source: "provider" });
    expect(replyPieces(mockReplyText("tell me a joke [[delay=1]]")).join("")).toBe(
      mockReplyText("tell me a joke [[delay=1]]"),
    );
  });

  it("spaces chunks by the marker, then options.delayMs, then 20 ms", async () => {
    expect(streamDelayMs("hi [[delay=50]]", 5)).toBe(50);
    expect(streamDelayMs("hi", 5)).toBe(5);
    expect(streamDelayMs("hi", undefined)).toBe(20);
    const req = mockAdapter.chat.buildChatRequest(user("x", { stream: true }), { ...target, options: { delayMs: 5 } });
    expect(req.headers["x-mock-delay-ms"]).toBe("5");
    const { times } = await chatStream(user("one two three [[delay=40]]"));
    const gaps = times.slice(2, 7).map((t, i) => t - defined(times[i + 1]));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(30);
  });

  it("omits the usage chunk when include_usage is off", async () => {
    const res = await handleMockRequest({
      url: "mock://local/chat/completions",
      method: "POST",
      headers: {},
      body: JSON.stringify(user("hi [[delay=0]]", { stream: true })),
    });
    const text = await res.text();
    expect(text).not.toContain('"usage"');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("stops emitting when the signal aborts", async () => {
    const controller = new AbortController();
    const req = mockAdapter.chat.buildChatRequest(user(`${"word ".repeat(50)}[[delay=30]]`, { stream: true }), target);
    const res = await handleMockRequest(req, controller.signal);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: "AbortError" });
    await expect(handleMockRequest(req, controller.signal)).rejects.toMatchObject({ name: "AbortError" });
  });

  it("calls the first tool for weather questions, and answers the tool result", async () => {
    const tools = [
      {
        type: "function",
        function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } },
      },
      { type: "function", function: { name: "other", parameters: {} } },
    ];
    const { completion, usage } = await chatJson(user("What's the weather?", { tools }));
    const call = defined(completion.choices[0]?.message.tool_calls?.[0], "a tool call");
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(completion.choices[0]?.message.content).toBeNull();
    expect(call).toMatchObject({
      type: "function",
      function: { name: "get_weather", arguments: '{"location":"Paris"}' },
    });
    expect(usage?.outputTokens).toBe(Math.ceil(("get_weather".length + 20) / 4));

    const streamed = await chatStream(user("weather please [[delay=0]]", { tools }));
    const deltas = streamed.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({ index: 0, id: call.id, function: { name: "get_weather", arguments: "" } });
    expect(deltas.map((d) => d.function?.arguments ?? "").join("")).toBe('{"location":"Paris"}');
    expect(streamed.chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");

    const followUp = {
      model: "m",
      tools,
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: "18°C" },
      ],
    };
    const answer = await chatJson(followUp as ChatCompletionCreateParams);
    expect(answer.completion.choices[0]?.message.content).toBe("Mock reply to: weather?");
  });

  it("answers magic words with OpenAI errors the adapter maps", async () => {
    const res = await handleMockRequest(mockAdapter.chat.buildChatRequest(user("boom [[error]]"), target));
    expect(res.status).toBe(500);
    expect(mockAdapter.parseError(res.status, await res.text(), res.headers)).toMatchObject({
      status: 500,
      type: "api_error",
      retryable: true,
    });
    const limited = await handleMockRequest(
      mockAdapter.chat.buildChatRequest(user("[[429]]", { stream: true }), target),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(mockAdapter.parseError(429, await limited.text(), limited.headers)).toMatchObject({
      status: 429,
      type: "rate_limit_error",
      code: "rate_limit_exceeded",
      retryable: true,
      retryAfterMs: 1000,
    });
  });

  it("routes by path: models list, unknown paths, bad JSON", async () => {
    expect(isMockRequest(mockAdapter.buildListModelsRequest!(target))).toBe(true);
    const models = await (await handleMockRequest(mockAdapter.buildListModelsRequest!(target))).json();
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(["mock-chat", "mock-embedding", "mock-image"]);
    expect(
      (await handleMockRequest({ url: "mock://local/nope", method: "POST", headers: {}, body: "{}" })).status,
    ).toBe(404);
    expect(
      (await handleMockRequest({ url: "mock://local/chat/completions", method: "POST", headers: {}, body: "{" }))
        .status,
    ).toBe(400);
    expect(mockAdapter.chat.buildChatRequest(user("x"), target).headers).not.toHaveProperty("authorization");
  });
});

describe("mock embeddings", () => {
  const embed = async (body: Record<string, unknown>) => {
    const res = await handleMockRequest(
      mockAdapter.embeddings!.buildEmbeddingsRequest(body as never, { ...target, model: "mock-embedding" }),
    );
    return mockAdapter.embeddings!.parseEmbeddingsResponse(await res.json(), target);
  };

  it("returns deterministic unit vectors of the requested size", async () => {
    const { response, usage } = await embed({ model: "x", input: ["hello", "world!"] });
    expect(response.data).toHaveLength(2);
    const [a, b] = response.data.map((d) => d.embedding);
    expect(a).toHaveLength(16);
    expect(a).toEqual(mockEmbedding("hello"));
    expect(a).not.toEqual(b);
    expect(Math.hypot(...defined(a))).toBeCloseTo(1, 10);
    expect(usage).toMatchObject({ inputTokens: 2 + 2, outputTokens: 0 });
    const sized = await embed({ model: "x", input: "hello", dimensions: 64 });
    expect(sized.response.data[0]?.embedding.length).toBe(64);
  });

  it("encodes base64 as little-endian float32", async () => {
    const { response } = await embed({ model: "x", input: "hello", encoding_format: "base64" });
    const bytes = Buffer.from(String(defined(response.data[0]).embedding), "base64");
    const floats = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(floats).toEqual(mockEmbedding("hello").map((v) => Math.fround(v)));
  });
});

describe("mock images", () => {
  const generate = async (body: Record<string, unknown>) => {
    const res = await handleMockRequest(
      mockAdapter.images!.buildImageRequest(body as never, { ...target, model: "mock-image" }),
    );
    return {
      status: res.status,
      ...(res.status === 200 ? mockAdapter.images!.parseImageResponse(await res.json(), target) : {}),
    };
  };

  it("returns n tiny valid PNGs as b64_json", async () => {
    const { response, usage } = await generate({ prompt: "a red fox", n: 2 });
    expect(response!.data).toHaveLength(2);
    const png = Buffer.from(defined(response?.data?.[0]?.b64_json), "base64");
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1, 1]);
    expect(usage).toMatchObject({ inputTokens: 3, outputTokens: 2 });
  });

  it("returns a data: URL for response_format url, and honours magic words", async () => {
    const { response } = await generate({ prompt: "x", response_format: "url" });
    expect(response?.data?.[0]?.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect((await generate({ prompt: "[[error]]" })).status).toBe(500);
  });
});
