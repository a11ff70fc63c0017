/**
 * The Messages API in front of Bedrock (docs/messages-api.md), with the real @anthropic-ai/sdk: its Anthropic models
 * natively through InvokeModel / InvokeModelWithResponseStream (Anthropic's body with Bedrock's anthropic_version,
 * SigV4-signed, no betas, nothing Bedrock would refuse as an extraneous key), and a non-Anthropic Bedrock model
 * translated through Converse.
 */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBedrock, FAKE_ANSWER } from "@test/fake-upstreams/bedrock";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { callRecord } from "@test/helpers/chat-checks";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let bedrock: FakeUpstream;
let client: Anthropic;

const AWS = {
  accessKeyId: "AKIDFAKEEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "eu-west-1",
};
const CLAUDE = "bedrock/anthropic.claude-3-haiku-20240307-v1:0";
const NOVA = "bedrock/amazon.nova-lite-v1:0";
const WEATHER: Anthropic.Tool = {
  name: "get_weather",
  input_schema: { type: "object", properties: { location: { type: "string" } } },
};

beforeAll(async () => {
  hub = await createTempHub();
  bedrock = await startFakeBedrock(AWS);
  await seedProvider({ kind: "bedrock", name: "bedrock", baseUrl: bedrock.url, apiKey: JSON.stringify(AWS) }, [
    { model: "anthropic.claude-3-haiku-20240307-v1:0" },
    { model: "amazon.nova-lite-v1:0" },
  ]);
  const { key } = await seedUserWithKey("bedrock@example.com");
  api = await startApiServer();
  client = new Anthropic({ authToken: key, baseURL: api.url, maxRetries: 0 });
});

afterAll(async () => {
  await api.close();
  await bedrock.close();
  await hub.cleanup();
});

const betas = { headers: { "anthropic-beta": "claude-code-20250219,context-management-2025-06-27" } };

describe("Bedrock's Anthropic models, natively", () => {
  it("answers through InvokeModel with Bedrock's body: its anthropic_version, no model, metadata or betas", async () => {
    const { data, response } = await client.messages
      .create(
        {
          model: CLAUDE,
          max_tokens: 100,
          system: "Be brief.",
          metadata: { user_id: "u1" },
          messages: [{ role: "user", content: "Hi Bedrock" }],
        },
        betas,
      )
      .withResponse();
    expect(data).toMatchObject({
      id: "msg_bdrk_01",
      content: [{ type: "text", text: "You said: Hi Bedrock" }],
      stop_reason: "end_turn",
    });
    const sent = bedrock.requests.at(-1)!;
    expect(sent.path).toBe(`/model/${encodeURIComponent("anthropic.claude-3-haiku-20240307-v1:0")}/invoke`);
    expect(sent.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(sent.headers["anthropic-beta"]).toBeUndefined();
    expect(JSON.parse(sent.body)).toEqual({
      anthropic_version: "bedrock-2023-05-31",
      system: "Be brief.",
      messages: [{ role: "user", content: "Hi Bedrock" }],
      max_tokens: 100,
    });
    const row = await callRecord(hub, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      status: "success",
      providerName: "bedrock",
      inputTokens: data.usage.input_tokens,
      outputTokens: data.usage.output_tokens,
      usageSource: "provider",
    });
  });

  it("streams Anthropic's events out of Bedrock's chunk frames, tool input included, leaving out typed tools", async () => {
    const stream = client.messages.stream(
      {
        model: CLAUDE,
        max_tokens: 100,
        tools: [WEATHER, { type: "web_search_20250305", name: "web_search" }],
        messages: [{ role: "user", content: "Weather in Seattle?" }],
      },
      betas,
    );
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content).toEqual([
      { type: "tool_use", id: "toolu_bdrk_01", name: "get_weather", input: { location: "Seattle, WA" } },
    ]);
    const sent = bedrock.requests.at(-1)!;
    expect(sent.path).toMatch(/\/invoke-with-response-stream$/);
    expect(JSON.parse(sent.body).tools).toEqual([WEATHER]);

    const text = client.messages.stream({
      model: CLAUDE,
      max_tokens: 100,
      messages: [{ role: "user", content: "Stream from Bedrock" }],
    });
    const pieces: string[] = [];
    text.on("text", (t) => pieces.push(t));
    expect((await text.finalMessage()).content).toEqual([{ type: "text", text: "You said: Stream from Bedrock" }]);
    expect(pieces.length).toBeGreaterThan(1);
    const { response } = await text.withResponse();
    const row = await callRecord(hub, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ status: "success", stream: true, usageSource: "provider", outputTokens: 5 });
    expect(row.ttftMs).not.toBeNull();
  });

  it("passes Bedrock's throttling on as Anthropic's rate_limit_error, in Bedrock's words", async () => {
    const error = (await client.messages
      .create({ model: CLAUDE, max_tokens: 10, messages: [{ role: "user", content: "[[429]]" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.type).toBe("rate_limit_error");
    expect(error.apiMessage).toBe("Too many requests, please wait before trying again.");
  });
});

describe("a non-Anthropic Bedrock model", () => {
  it("is translated through Converse", async () => {
    const final = await client.messages
      .stream(
        {
          model: NOVA,
          max_tokens: 100,
          metadata: { user_id: "u1" },
          messages: [{ role: "user", content: "Hello Nova" }],
        },
        betas,
      )
      .finalMessage();
    expect(final.content).toEqual([{ type: "text", text: FAKE_ANSWER }]);
    const sent = bedrock.requests.at(-1)!;
    expect(sent.path).toBe(`/model/${encodeURIComponent("amazon.nova-lite-v1:0")}/converse-stream`);
    expect(JSON.parse(sent.body)).toMatchObject({
      messages: [{ role: "user", content: [{ text: "Hello Nova" }] }],
      inferenceConfig: { maxTokens: 100 },
    });
  });
});
