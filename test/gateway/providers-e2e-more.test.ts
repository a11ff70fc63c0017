/**
 * The hub in front of Amazon Bedrock (a fake that checks every SigV4 signature and streams binary event-stream
 * frames) and of the OpenAI-compatible kinds Ollama and DeepSeek (the fake OpenAI upstream), with the real
 * `openai` SDK as the client: text, streams, a tool call round trip, cached-token usage and 429 mapping.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_ANSWER, FAKE_TOOL_INPUT, startFakeBedrock } from "@test/fake-upstreams/bedrock";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { ask, callRecord, streamText, streamUntilError, toolRoundTrip } from "@test/helpers/chat-checks";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let bedrock: FakeUpstream;
let compat: FakeUpstream;
let client: OpenAI;

const AWS = {
  accessKeyId: "AKIDFAKEEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "eu-west-1",
};
const BEDROCK_MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
const BEDROCK = `bedrock/${BEDROCK_MODEL}`;
const COMPAT_REPLY = "Hello from the OpenAI-compatible upstream.";
const user = (content: string): OpenAI.ChatCompletionMessageParam[] => [{ role: "user", content }];

beforeAll(async () => {
  hub = await createTempHub();
  bedrock = await startFakeBedrock({ ...AWS, cached: true });
  compat = await startFakeOpenAI({ reply: COMPAT_REPLY, cachedTokens: 2 });
  await seedProvider({ kind: "bedrock", name: "bedrock", baseUrl: bedrock.url, apiKey: JSON.stringify(AWS) }, [
    { model: BEDROCK_MODEL },
  ]);
  await seedProvider({ kind: "ollama", name: "ollama", baseUrl: `${compat.url}/v1`, apiKey: "sk-test" }, [
    { model: "llama3.2" },
  ]);
  await seedProvider({ kind: "deepseek", name: "deepseek", baseUrl: `${compat.url}/v1`, apiKey: "sk-test" }, [
    { model: "deepseek-chat" },
  ]);
  const { key } = await seedUserWithKey("e2e-more@example.com");
  api = await startApiServer();
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await api.close();
  await bedrock.close();
  await compat.close();
  await hub.cleanup();
});

describe("Bedrock behind the hub", () => {
  it("answers a signed Converse call and records usage with cache reads", async () => {
    const { data, requestId } = await ask(client, BEDROCK, [
      { role: "system", content: "Be brief." },
      ...user("Hi there"),
    ]);
    expect(data.choices[0]!.message.content).toBe(FAKE_ANSWER);
    expect(data.choices[0]!.finish_reason).toBe("stop");
    const sent = bedrock.requests.at(-1)!;
    expect(sent.path).toBe(`/model/${encodeURIComponent(BEDROCK_MODEL)}/converse`);
    expect(sent.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKEEXAMPLE\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
    );
    expect(JSON.parse(sent.body).system).toEqual([{ text: "Be brief." }]);
    expect(data.usage!.prompt_tokens_details!.cached_tokens).toBe(16);
    expect(await callRecord(hub, requestId)).toMatchObject({
      status: "success",
      providerName: "bedrock",
      model: BEDROCK_MODEL,
      inputTokens: data.usage!.prompt_tokens,
      outputTokens: data.usage!.completion_tokens,
      cachedInputTokens: 16,
      usageSource: "provider",
    });
  });

  it("streams ConverseStream event frames as chat chunks with usage", async () => {
    const s = await streamText(client, BEDROCK, user("Stream it"));
    expect(s.text).toBe(FAKE_ANSWER);
    expect(s.chunks).toBeGreaterThan(3);
    expect(s.finish).toBe("stop");
    expect(s.usage!.prompt_tokens_details!.cached_tokens).toBe(16);
    expect(bedrock.requests.at(-1)!.path).toBe(`/model/${encodeURIComponent(BEDROCK_MODEL)}/converse-stream`);
    expect(await callRecord(hub, s.requestId)).toMatchObject({
      status: "success",
      stream: true,
      usageSource: "provider",
      inputTokens: s.usage!.prompt_tokens,
      outputTokens: s.usage!.completion_tokens,
      cachedInputTokens: 16,
    });
  });

  it.each([false, true])("calls a tool and uses its result (streamed first turn: %s)", async (stream) => {
    const r = await toolRoundTrip(client, BEDROCK, { stream, result: "Sunny, 22C" });
    expect(r.finishReason).toBe("tool_calls");
    expect(r.call).toEqual({ id: "tooluse_fake_1", name: "get_weather", args: FAKE_TOOL_INPUT });
    expect(r.answer).toBe("The tool said: Sunny, 22C");
    const last = JSON.parse(bedrock.requests.at(-1)!.body).messages.at(-1);
    expect(last.content[0].toolResult).toMatchObject({
      toolUseId: "tooluse_fake_1",
      content: [{ text: "Sunny, 22C" }],
    });
  });

  it("maps ThrottlingException to 429", async () => {
    const error = await ask(client, BEDROCK, user("slow down [[429]]")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({ type: "rate_limit_error" });
  });

  it.each(["[[exception]]", "[[break]]"])(
    "a stream ended by %s gives an in-band error and a failed, partial record",
    async (magic) => {
      const r = await streamUntilError(client, BEDROCK, `fail later ${magic}`);
      expect(r.error).toBeInstanceOf(OpenAI.APIError);
      expect(r.text.length).toBeGreaterThan(0);
      expect(FAKE_ANSWER.startsWith(r.text)).toBe(true);
      const row = await callRecord(hub, r.requestId);
      expect(row).toMatchObject({ status: "failed", usageSource: "partial" });
      expect(row.outputTokens).not.toBeNull();
    },
  );
});

describe.each([
  ["ollama", "llama3.2"],
  ["deepseek", "deepseek-chat"],
])("%s (OpenAI-compatible) behind the hub", (provider, model) => {
  const name = `${provider}/${model}`;

  it("answers and streams with the provider's usage, cached tokens included", async () => {
    const { data, requestId } = await ask(client, name, user("Hello there, how are you?"));
    expect(data.choices[0]!.message.content).toBe(COMPAT_REPLY);
    const sent = compat.requests.at(-1)!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(JSON.parse(sent.body).model).toBe(model);
    expect(sent.headers.authorization).toBe("Bearer sk-test");
    expect(await callRecord(hub, requestId)).toMatchObject({
      status: "success",
      providerName: provider,
      model,
      inputTokens: data.usage!.prompt_tokens,
      outputTokens: data.usage!.completion_tokens,
      cachedInputTokens: 2,
      usageSource: "provider",
    });

    const s = await streamText(client, name, user("Stream, please"));
    expect(s.text).toBe(COMPAT_REPLY);
    expect(s.finish).toBe("stop");
    expect(await callRecord(hub, s.requestId)).toMatchObject({
      status: "success",
      stream: true,
      usageSource: "provider",
      outputTokens: s.usage!.completion_tokens,
      cachedInputTokens: 2,
    });
  });

  it.each([false, true])("calls a tool and uses its result (streamed first turn: %s)", async (stream) => {
    const r = await toolRoundTrip(client, name, { stream, result: "Sunny, 22C" });
    expect(r.finishReason).toBe("tool_calls");
    expect(r.call).toMatchObject({ name: "get_weather", args: { location: "Paris" } });
    expect(r.answer).toBe(COMPAT_REPLY);
    const messages = JSON.parse(compat.requests.at(-1)!.body).messages;
    expect(messages.at(-1)).toEqual({ role: "tool", tool_call_id: r.call.id, content: "Sunny, 22C" });
  });

  it("maps an upstream 429 to 429 with its Retry-After", async () => {
    const error = await ask(client, name, user("[[429]]")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("1");
  });
});
