/**
 * POST /v1/responses translated onto the chat path of Anthropic, Gemini and Bedrock (fakes that speak each
 * vendor's wire format), with the real `openai` SDK: the answer equals what /chat/completions gives for the same
 * input, streams keep the Responses event order, and a function call goes out and comes back in the vendor's own
 * terms (tool_use / functionCall / toolUse, then tool_result / functionResponse / toolResult).
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Json } from "../helpers/json";
import { FAKE_ANTHROPIC_KEY, startFakeAnthropic } from "@test/fake-upstreams/anthropic";
import { startFakeBedrock } from "@test/fake-upstreams/bedrock";
import { FAKE_GEMINI_KEY, startFakeGemini } from "@test/fake-upstreams/google";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { callByRequestId } from "@test/billing/billing-helpers";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let client: OpenAI;
const fakes: Record<string, FakeUpstream> = {};

const AWS = {
  accessKeyId: "AKIDFAKEEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "eu-west-1",
};
const WEATHER: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Current weather for a place",
  parameters: {
    type: "object",
    properties: { location: { type: "string" }, unit: { type: "string" } },
    required: ["location"],
  },
  strict: false,
};

beforeAll(async () => {
  hub = await createTempHub();
  fakes.anthropic = await startFakeAnthropic();
  fakes.google = await startFakeGemini();
  fakes.bedrock = await startFakeBedrock(AWS);
  await seedProvider(
    { kind: "anthropic", name: "anthropic", baseUrl: fakes.anthropic.url, apiKey: FAKE_ANTHROPIC_KEY },
    [{ model: "claude-haiku-4-5-20251001", input: 1_000_000, output: 5_000_000 }],
  );
  await seedProvider({ kind: "google", name: "google", baseUrl: fakes.google.url, apiKey: FAKE_GEMINI_KEY }, [
    { model: "gemini-2.5-flash" },
  ]);
  await seedProvider({ kind: "bedrock", name: "bedrock", baseUrl: fakes.bedrock.url, apiKey: JSON.stringify(AWS) }, [
    { model: "anthropic.claude-3-haiku-20240307-v1:0" },
  ]);
  const { key } = await seedUserWithKey("providers@example.com");
  api = await startApiServer();
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await api.close();
  for (const fake of Object.values(fakes)) await fake.close();
  await hub.cleanup();
});

const sent = (name: string) => JSON.parse(fakes[name]!.requests.at(-1)!.body) as Json;

describe.each([
  ["anthropic", "anthropic/claude-haiku-4-5-20251001"],
  ["google", "google/gemini-2.5-flash"],
  ["bedrock", "bedrock/anthropic.claude-3-haiku-20240307-v1:0"],
] as const)("Responses API translated onto %s", (name, model) => {
  it("answers what chat answers for the same input, with the same usage on the record", async () => {
    const chat = await client.chat.completions.create({
      model,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi there" },
      ],
    });
    const chatSent = sent(name);
    const { data, response } = await client.responses
      .create({ model, instructions: "Be brief.", input: "Hi there" })
      .withResponse();
    expect(data.output_text).toBe(chat.choices[0]!.message.content);
    // The vendor got the same request either way.
    expect(sent(name)).toEqual(chatSent);
    expect(data.usage).toMatchObject({
      input_tokens: chat.usage!.prompt_tokens,
      output_tokens: chat.usage!.completion_tokens,
    });
    expect(await callByRequestId(hub, response.headers.get("x-request-id")!)).toMatchObject({
      status: "success",
      providerName: name,
      inputTokens: chat.usage!.prompt_tokens,
      outputTokens: chat.usage!.completion_tokens,
      usageSource: "provider",
    });
  });

  it("streams in the Responses event order and ends with response.completed", async () => {
    const chat = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "Stream this reply to me" }],
    });
    const s = client.responses.stream({ model, input: "Stream this reply to me" });
    const types: string[] = [];
    s.on("event", (e) => types.push(e.type));
    const final = await s.finalResponse();
    expect(final.output_text).toBe(chat.choices[0]!.message.content);
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    expect(types.filter((t) => t === "response.output_text.delta").length).toBeGreaterThan(0);
    expect(final.usage!.output_tokens).toBeGreaterThan(0);
  });

  it("round-trips a function call in the vendor's own terms", async () => {
    const first = await client.responses
      .stream({ model, input: "What is the weather in Paris today?", tools: [WEATHER] })
      .finalResponse();
    const call = first.output.find((o) => o.type === "function_call") as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call.name).toBe("get_weather");
    expect(JSON.parse(call.arguments)).toHaveProperty("location");
    const final = await client.responses.create({
      model,
      tools: [WEATHER],
      input: [
        { role: "user", content: "What is the weather in Paris today?" },
        ...first.output
          .filter((o) => o.type === "function_call")
          .map(() => ({
            type: "function_call" as const,
            call_id: call.call_id,
            name: call.name,
            arguments: call.arguments,
          })),
        { type: "function_call_output", call_id: call.call_id, output: "Sunny, 22C" },
      ],
    });
    expect(final.output_text.length).toBeGreaterThan(0);
    const body = JSON.stringify(sent(name));
    if (name === "anthropic") expect(body).toContain(`"tool_use_id":"${call.call_id}"`);
    if (name === "google") expect(body).toContain('"functionResponse":{"name":"get_weather"');
    if (name === "bedrock") expect(body).toContain(`"toolUseId":"${call.call_id}"`);
    expect(body).toContain("Sunny, 22C");
  });
});
