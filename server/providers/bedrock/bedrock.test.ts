import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defined } from "@test/helpers/defined";
import { FAKE_ANSWER, FAKE_TOOL_INPUT, startFakeBedrock } from "../../../test/fake-upstreams/bedrock";
import type { FakeUpstream } from "../../../test/fake-upstreams/server";
import type { ChatCompletionChunk, ChatCompletionCreateParams, UpstreamRequest, UpstreamTarget } from "../types";
import { parseError } from "./error";
import {
  EventStreamDecoder,
  EventStreamError,
  type EventStreamHeaders,
  encodeEventStreamMessage,
} from "./event-stream";
import { bedrockAdapter, BedrockRequestError } from "./index";
import { buildConverseBody } from "./request";
import { parseChatResponse } from "./response";
import { canonicalRequest, canonicalUri, sha256Hex, stringToSign } from "../../../test/fake-upstreams/sigv4-check";
import { signRequest } from "./signing";
import { createChatStreamParser } from "./stream";

const hex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
const NOW = new Date("2025-01-02T03:04:05Z");
const target = (over: Partial<UpstreamTarget> = {}): UpstreamTarget => ({
  baseUrl: bedrockAdapter.defaultBaseUrl,
  secret: JSON.stringify({ accessKeyId: "AKIDFAKE", secretAccessKey: "s3cret", region: "eu-west-3" }),
  model: MODEL,
  now: NOW,
  ...over,
});
const frame = (type: string, payload: object) =>
  encodeEventStreamMessage(
    { ":event-type": type, ":message-type": "event", ":content-type": "application/json" },
    JSON.stringify(payload),
  );

describe("sigv4", () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html (GET ListUsers example)
  it("reproduces the AWS documented example (and the fake's spec-based checker agrees)", async () => {
    const headers = await signRequest({
      method: "GET",
      url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      region: "us-east-1",
      service: "iam",
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      now: new Date("2015-08-30T12:36:00Z"),
    });
    expect(headers["x-amz-date"]).toBe("20150830T123600Z");
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
    const canonical = canonicalRequest({
      method: "GET",
      path: "/",
      query: "Version=2010-05-08&Action=ListUsers",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        host: "iam.amazonaws.com",
        "x-amz-date": "20150830T123600Z",
      },
      payloadHash: sha256Hex(""),
    });
    expect(sha256Hex(canonical)).toBe("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
    expect(stringToSign("20150830T123600Z", "20150830/us-east-1/iam/aws4_request", canonical).split("\n")[3]).toBe(
      sha256Hex(canonical),
    );
  });

  it("double-encodes path segments (model ids with ':') and signs the session token", async () => {
    expect(canonicalUri(`/model/${encodeURIComponent(MODEL)}/converse`)).toBe(
      "/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse",
    );
    const h = await signRequest({
      method: "POST",
      url: "https://x.test/a",
      headers: {},
      body: "{}",
      region: "r",
      service: "bedrock",
      accessKeyId: "K",
      secretAccessKey: "S",
      sessionToken: "TOKEN",
      now: NOW,
    });
    expect(h["x-amz-security-token"]).toBe("TOKEN");
    expect(h.authorization).toContain("SignedHeaders=host;x-amz-date;x-amz-security-token,");
  });
});

describe("event stream", () => {
  // Vectors from smithy-typescript packages/eventstream-codec/src/TestVectors.fixture.ts
  const ONE_STR_HEADER =
    "0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1";
  it("matches the reference encoding and decodes int32 headers", () => {
    expect(
      Buffer.from(encodeEventStreamMessage({ "content-type": "application/json" }, "{'foo':'bar'}")).toString("hex"),
    ).toBe(ONE_STR_HEADER);
    const [decoded] = new EventStreamDecoder().push(
      hex("0000002d0000001041c424b80a6576656e742d74797065040000a00c7b27666f6f273a27626172277d36f480a0"),
    );
    const m = defined(decoded, "the decoded message");
    expect(m.headers).toEqual({ "event-type": 40972 });
    expect(Buffer.from(m.payload).toString()).toBe("{'foo':'bar'}");
  });

  it("round-trips messages pushed in 1..7-byte pieces", () => {
    const sent: Array<{ headers: EventStreamHeaders; payload: string }> = [
      { headers: { ":event-type": "a", flag: true, n: 42 }, payload: "héllo" },
      { headers: {}, payload: "" },
      { headers: { ":message-type": "exception", off: false }, payload: JSON.stringify({ message: "x".repeat(300) }) },
    ];
    const bytes = Buffer.concat(sent.map((s) => encodeEventStreamMessage(s.headers, s.payload)));
    for (let size = 1; size <= 7; size++) {
      const decoder = new EventStreamDecoder();
      const got = [];
      for (let at = 0; at < bytes.length; at += size) got.push(...decoder.push(bytes.subarray(at, at + size)));
      expect(got.map((m) => ({ headers: m.headers, payload: Buffer.from(m.payload).toString() }))).toEqual(sent);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it("detects CRC mismatches in the prelude and the message", () => {
    const bad = hex(ONE_STR_HEADER);
    bad[45] = defined(bad[45]) ^ 0xff; // a payload byte
    expect(() => new EventStreamDecoder().push(bad)).toThrow(/message checksum/);
    const badLength = hex(ONE_STR_HEADER);
    badLength[3] = 62;
    expect(() => new EventStreamDecoder().push(badLength)).toThrow(EventStreamError);
  });
});

describe("request mapping", () => {
  const png = "data:image/png;base64,iVBORw0KGgo=";
  const body: ChatCompletionCreateParams = {
    model: "x",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "developer", content: [{ type: "text", text: "Use metric units." }] },
      { role: "user", content: "Hi" },
      {
        role: "user",
        content: [
          { type: "text", text: "Look:" },
          { type: "image_url", image_url: { url: png } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
          { id: "call_2", type: "function", function: { name: "weather", arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "18C" },
      { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "21C" }] },
      { role: "user", content: "Thanks" },
    ],
    max_tokens: 100,
    max_completion_tokens: 200,
    temperature: 0.2,
    top_p: 0.9,
    stop: "END",
    tools: [
      {
        type: "function",
        function: {
          name: "weather",
          description: "Weather now",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
    ],
    tool_choice: { type: "function", function: { name: "weather" } },
  };

  it("maps system, merged roles, images, tool uses/results, inference and tool config", () => {
    expect(buildConverseBody(body)).toEqual({
      system: [{ text: "Be brief." }, { text: "Use metric units." }],
      messages: [
        {
          role: "user",
          content: [{ text: "Hi" }, { text: "Look:" }, { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } }],
        },
        {
          role: "assistant",
          content: [
            { toolUse: { toolUseId: "call_1", name: "weather", input: { city: "Paris" } } },
            { toolUse: { toolUseId: "call_2", name: "weather", input: { city: "Rome" } } },
          ],
        },
        {
          role: "user",
          content: [
            { toolResult: { toolUseId: "call_1", content: [{ text: "18C" }] } },
            { toolResult: { toolUseId: "call_2", content: [{ text: "21C" }] } },
            { text: "Thanks" },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 200, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: "weather",
              description: "Weather now",
              inputSchema: { json: { type: "object", properties: { city: { type: "string" } } } },
            },
          },
        ],
        toolChoice: { tool: { name: "weather" } },
      },
    });
  });

  it("maps tool_choice auto/required/none and rejects web image URLs", () => {
    const choice = (tool_choice: ChatCompletionCreateParams["tool_choice"]) =>
      buildConverseBody({ ...body, tool_choice }).toolConfig as Record<string, unknown> | undefined;
    expect(choice("auto")?.toolChoice).toEqual({ auto: {} });
    expect(choice("required")?.toolChoice).toEqual({ any: {} });
    expect(choice("none")).toBeUndefined();
    const web = {
      model: "x",
      messages: [
        { role: "user" as const, content: [{ type: "image_url" as const, image_url: { url: "https://e.com/a.png" } }] },
      ],
    };
    expect(() => buildConverseBody(web)).toThrow(BedrockRequestError);
    expect(() => buildConverseBody(web)).toThrow(/data: URLs/);
  });

  it("builds a signed request to the credential's region with the model id encoded", async () => {
    const req = bedrockAdapter.chat.buildChatRequest(
      { model: "x", messages: [{ role: "user", content: "Hi" }], stream: true },
      target(),
    );
    expect(req.url).toBe(
      "https://bedrock-runtime.eu-west-3.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream",
    );
    expect(req.headers.accept).toBe("application/vnd.amazon.eventstream");
    const signed = await req.sign!();
    expect(signed.accept).toBe("application/vnd.amazon.eventstream");
    expect(signed["x-amz-date"]).toBe("20250102T030405Z");
    expect(signed.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKE\/20250102\/eu-west-3\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(JSON.parse(req.body!)).toEqual({ messages: [{ role: "user", content: [{ text: "Hi" }] }] });
    expect(() => bedrockAdapter.chat.buildChatRequest(body, target({ secret: "not json s3cret" }))).toThrow(
      /must be JSON/,
    );
    expect(
      bedrockAdapter.buildListModelsRequest!(target({ secret: '{"accessKeyId":"A","secretAccessKey":"B"}' })).url,
    ).toBe("https://bedrock.us-east-1.amazonaws.com/foundation-models");
  });
});

describe("response mapping", () => {
  it("maps text, reasoning, toolUse, stop reason and cached usage", () => {
    const { completion, usage } = parseChatResponse(
      {
        output: {
          message: {
            role: "assistant",
            content: [
              { reasoningContent: { reasoningText: { text: "Think.", signature: "sig" } } },
              { text: "Checking " },
              { text: "now." },
              { toolUse: { toolUseId: "tu_1", name: "weather", input: { city: "Paris" } } },
            ],
          },
        },
        stopReason: "tool_use",
        usage: {
          inputTokens: 10,
          outputTokens: 7,
          totalTokens: 47,
          cacheReadInputTokens: 20,
          cacheWriteInputTokens: 10,
        },
        metrics: { latencyMs: 42 },
      },
      target(),
    );
    expect(completion.model).toBe(MODEL);
    expect(completion.created).toBe(NOW.getTime() / 1000);
    expect(completion.choices[0]).toEqual({
      index: 0,
      finish_reason: "tool_calls",
      logprobs: null,
      message: {
        role: "assistant",
        content: "Checking now.",
        refusal: null,
        reasoning_content: "Think.",
        tool_calls: [{ id: "tu_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }],
      },
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 40,
      completion_tokens: 7,
      total_tokens: 47,
      prompt_tokens_details: { cached_tokens: 20, cache_write_tokens: 10 },
    });
    expect(usage).toEqual({
      inputTokens: 40,
      outputTokens: 7,
      cachedInputTokens: 20,
      cacheWriteTokens: 10,
      source: "provider",
    });
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["guardrail_intervened", "content_filter"],
    ["content_filtered", "content_filter"],
  ])("stopReason %s → %s", (stopReason, finish) => {
    const { completion, usage } = parseChatResponse({ output: { message: { content: [] } }, stopReason }, target());
    expect(completion.choices[0]?.finish_reason).toBe(finish);
    expect(completion.choices[0]?.message.content).toBeNull();
    expect(usage).toBeNull();
  });
});

describe("stream parsing", () => {
  it("turns events into role, text, tool call, finish and usage chunks", () => {
    const parser = createChatStreamParser(target());
    const bytes = Buffer.concat([
      frame("messageStart", { role: "assistant", p: "abc" }),
      frame("contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { text: "Hmm." } } }),
      frame("contentBlockDelta", { contentBlockIndex: 1, delta: { text: "Hi" } }),
      frame("contentBlockStop", { contentBlockIndex: 1 }),
      frame("contentBlockStart", { contentBlockIndex: 2, start: { toolUse: { toolUseId: "tu_9", name: "weather" } } }),
      frame("contentBlockDelta", { contentBlockIndex: 2, delta: { toolUse: { input: '{"ci' } } }),
      frame("contentBlockDelta", { contentBlockIndex: 2, delta: { toolUse: { input: 'ty":"Oslo"}' } } }),
      frame("messageStop", { stopReason: "tool_use" }),
      frame("metadata", { usage: { inputTokens: 11, outputTokens: 5, totalTokens: 16 }, metrics: { latencyMs: 9 } }),
    ]);
    const chunks: ChatCompletionChunk[] = [];
    for (let at = 0; at < bytes.length; at += 5) chunks.push(...parser.push(bytes.subarray(at, at + 5)));
    chunks.push(...parser.end());
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: "assistant", content: "" },
      { reasoning_content: "Hmm." },
      { content: "Hi" },
      { tool_calls: [{ index: 0, id: "tu_9", type: "function", function: { name: "weather", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }] },
      {},
      null,
    ]);
    expect(chunks[6]?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(chunks[7]?.usage).toEqual({ prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(parser.usage()).toEqual({
      inputTokens: 11,
      outputTokens: 5,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "provider",
    });
    expect(parser.error()).toBeNull();
  });

  it("reports in-stream exceptions, corrupt frames and partial usage", () => {
    const parser = createChatStreamParser(target());
    parser.push(frame("messageStart", { role: "assistant" }));
    expect(parser.usage()).toEqual({
      inputTokens: null,
      outputTokens: null,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "partial",
    });
    parser.push(
      encodeEventStreamMessage(
        { ":message-type": "exception", ":exception-type": "throttlingException" },
        '{"message":"Slow down"}',
      ),
    );
    expect(parser.error()).toEqual({
      status: 429,
      type: "rate_limit_error",
      code: "ThrottlingException",
      message: "Slow down",
      retryable: true,
    });
    const corrupt = createChatStreamParser(target());
    const bad = frame("messageStart", { role: "assistant" });
    bad[bad.length - 1] = defined(bad.at(-1)) ^ 1;
    expect(corrupt.push(bad)).toEqual([]);
    expect(corrupt.error()).toMatchObject({ status: 502, code: "event_stream_corrupt", retryable: true });
  });
});

describe("error mapping", () => {
  const h = (type?: string) =>
    new Headers(type ? { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` } : {});
  it.each([
    ["ValidationException", 400, 400, "invalid_request_error", false],
    ["AccessDeniedException", 403, 403, "permission_error", false],
    ["UnrecognizedClientException", 403, 401, "authentication_error", false],
    ["InvalidSignatureException", 403, 401, "authentication_error", false],
    ["ExpiredTokenException", 403, 401, "authentication_error", false],
    ["ResourceNotFoundException", 404, 404, "not_found_error", false],
    ["ThrottlingException", 429, 429, "rate_limit_error", true],
    ["ServiceQuotaExceededException", 400, 429, "rate_limit_error", true],
    ["ModelTimeoutException", 408, 504, "timeout_error", true],
    ["InternalServerException", 500, 500, "api_error", true],
    ["ServiceUnavailableException", 503, 503, "api_error", true],
    ["ModelNotReadyException", 429, 503, "api_error", true],
  ])("%s (HTTP %i) → %i %s", (type, http, status, kind, retryable) => {
    expect(parseError(http, '{"message":"m"}', h(type))).toEqual({
      status,
      type: kind,
      code: type,
      message: "m",
      retryable,
    });
  });

  it("reads __type, falls back to status, keeps Retry-After and strips credentials", () => {
    expect(
      parseError(400, '{"__type":"com.amazon.coral.service#ExpiredTokenException","message":"expired"}', h()),
    ).toMatchObject({ status: 401, code: "ExpiredTokenException" });
    expect(parseError(502, "<html>bad gateway</html>", new Headers({ "retry-after": "2" }))).toEqual({
      status: 502,
      type: "api_error",
      code: null,
      message: "Bedrock returned HTTP 502",
      retryable: true,
      retryAfterMs: 2000,
    });
    const leaky =
      "Signature mismatch for AKIAABCDEFGHIJKLMNOP.\n\nThe Canonical String for this request should have been\n'POST ... x-amz-security-token:SECRET'";
    expect(parseError(403, JSON.stringify({ message: leaky }), h("InvalidSignatureException")).message).toBe(
      "Signature mismatch for [redacted].",
    );
  });
});

describe("end to end against the fake Bedrock", () => {
  let fake: FakeUpstream;
  const creds = { accessKeyId: "AKIDFAKE", secretAccessKey: "s3cret", region: "eu-west-3" };
  const t = (over: Partial<UpstreamTarget> = {}) => target({ baseUrl: fake.url, now: new Date(), ...over });
  const send = async (req: UpstreamRequest) =>
    fetch(req.url, { method: req.method, headers: req.sign ? await req.sign() : req.headers, body: req.body });
  const ask = (text: string, extra: Partial<ChatCompletionCreateParams> = {}) => ({
    model: "x",
    messages: [{ role: "user" as const, content: text }],
    ...extra,
  });
  async function streamed(body: ChatCompletionCreateParams, over: Partial<UpstreamTarget> = {}) {
    const res = await send(bedrockAdapter.chat.buildChatRequest({ ...body, stream: true }, t(over)));
    const parser = bedrockAdapter.chat.createChatStreamParser(t(over));
    const chunks: ChatCompletionChunk[] = [];
    let broken = false;
    try {
      const reader = res.body!.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(...parser.push(r.value));
      chunks.push(...parser.end());
    } catch {
      broken = true;
    }
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    return { res, parser, chunks, text, broken };
  }
  beforeAll(async () => {
    fake = await startFakeBedrock({ ...creds, slowMs: 150 });
  });
  afterAll(() => fake.close());

  it("answers a signed Converse request (model id with ':')", async () => {
    const res = await send(bedrockAdapter.chat.buildChatRequest(ask("Hello"), t()));
    expect(res.status).toBe(200);
    expect(fake.requests.at(-1)!.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    const { completion, usage } = bedrockAdapter.chat.parseChatResponse(await res.json(), t());
    expect(completion.choices[0]?.message.content).toBe(FAKE_ANSWER);
    expect(usage).toEqual({
      inputTokens: 21,
      outputTokens: 7,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "provider",
    });
  });

  it("streams, with tool use, and a tool-result round trip", async () => {
    const plain = await streamed(ask("Hello", { max_tokens: 3 }));
    expect(plain.res.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
    expect(plain.text).toBe("Hello! This is");
    expect(plain.chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe("length");
    expect(plain.parser.usage()).toMatchObject({ inputTokens: 21, outputTokens: 3, source: "provider" });

    const tools: ChatCompletionCreateParams["tools"] = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
    ];
    const call = await streamed(ask("What is the weather in Paris?", { tools }));
    const args = call.chunks
      .flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
      .map((d) => d.function?.arguments ?? "")
      .join("");
    expect(JSON.parse(args)).toEqual(FAKE_TOOL_INPUT);
    expect(
      call.chunks.find((c) => c.choices[0]?.delta.tool_calls?.[0]?.id)?.choices[0]?.delta.tool_calls?.[0],
    ).toMatchObject({ id: "tooluse_fake_1", function: { name: "get_weather" } });

    const followUp = ask("What is the weather in Paris?", { tools });
    followUp.messages.push(
      {
        role: "assistant",
        content: "Let me check.",
        tool_calls: [{ id: "tooluse_fake_1", type: "function", function: { name: "get_weather", arguments: args } }],
      },
      { role: "tool", tool_call_id: "tooluse_fake_1", content: "18C and sunny" },
    );
    const res = await send(bedrockAdapter.chat.buildChatRequest(followUp, t()));
    expect(bedrockAdapter.chat.parseChatResponse(await res.json(), t()).completion.choices[0]?.message.content).toBe(
      "The tool said: 18C and sunny",
    );
  });

  it("reports in-stream exceptions and broken streams", async () => {
    const ex = await streamed(ask("[[exception]]"));
    expect(ex.text).toBe("Hello! ");
    expect(ex.parser.error()).toMatchObject({
      status: 502,
      code: "ModelStreamErrorException",
      message: "The model stream failed.",
      retryable: true,
    });
    const broken = await streamed(ask("[[break]]"));
    expect(broken.broken).toBe(true);
    expect(broken.text).toBe("Hello! This ");
    expect(broken.parser.usage()).toEqual({
      inputTokens: null,
      outputTokens: null,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      source: "partial",
    });
  });

  it("maps HTTP errors, delays [[slow]] and lists models", async () => {
    const throttled = await send(bedrockAdapter.chat.buildChatRequest(ask("[[429]]"), t()));
    expect(bedrockAdapter.parseError(throttled.status, await throttled.text(), throttled.headers)).toMatchObject({
      status: 429,
      code: "ThrottlingException",
      retryable: true,
    });
    const failed = await send(bedrockAdapter.chat.buildChatRequest(ask("[[500]]"), t()));
    expect(bedrockAdapter.parseError(failed.status, await failed.text(), failed.headers)).toMatchObject({
      status: 500,
      type: "api_error",
    });
    const started = Date.now();
    expect((await send(bedrockAdapter.chat.buildChatRequest(ask("[[slow]]"), t()))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const models = await send(bedrockAdapter.buildListModelsRequest!(t()));
    expect(((await models.json()) as { modelSummaries: { modelId: string }[] }).modelSummaries[0]?.modelId).toBe(MODEL);
  });

  it("refuses a wrong secret, an unknown key and a tampered body", async () => {
    const wrong = await send(
      bedrockAdapter.chat.buildChatRequest(
        ask("Hi"),
        t({ secret: JSON.stringify({ ...creds, secretAccessKey: "nope" }) }),
      ),
    );
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get("x-amzn-errortype")).toMatch(/^InvalidSignatureException:/);
    expect(bedrockAdapter.parseError(403, await wrong.text(), wrong.headers)).toMatchObject({
      status: 401,
      type: "authentication_error",
      code: "InvalidSignatureException",
    });
    const unknown = await send(
      bedrockAdapter.chat.buildChatRequest(
        ask("Hi"),
        t({ secret: JSON.stringify({ ...creds, accessKeyId: "AKIDOTHER" }) }),
      ),
    );
    expect(bedrockAdapter.parseError(unknown.status, await unknown.text(), unknown.headers)).toMatchObject({
      status: 401,
      code: "UnrecognizedClientException",
    });
    const good = bedrockAdapter.chat.buildChatRequest(ask("Hi"), t());
    expect((await send({ ...good, body: good.body!.replace("Hi", "Ho") })).status).toBe(403);
  });

  it("reports cache reads and requires the session token when one is configured", async () => {
    const cachedFake = await startFakeBedrock({ ...creds, cached: true, sessionToken: "TOKEN" });
    try {
      const over = { baseUrl: cachedFake.url, secret: JSON.stringify({ ...creds, sessionToken: "TOKEN" }) };
      const res = await send(bedrockAdapter.chat.buildChatRequest(ask("Hello"), t(over)));
      expect(bedrockAdapter.chat.parseChatResponse(await res.json(), t(over)).usage).toEqual({
        inputTokens: 21,
        outputTokens: 7,
        cachedInputTokens: 16,
        cacheWriteTokens: null,
        source: "provider",
      });
      expect(
        (await send(bedrockAdapter.chat.buildChatRequest(ask("Hello"), t({ baseUrl: cachedFake.url })))).status,
      ).toBe(403);
    } finally {
      await cachedFake.close();
    }
  });
});
