/**
 * AIGNE's real client (@aigne/aigne-hub's AIGNEHubChatModel and AIGNEHubImageModel) against the hub's API:
 * discovery, the chat envelope (invoke and streaming) and images, served by the real gateway with a fake OpenAI
 * upstream and the mock provider. Also the OpenAI-style path the client uses for `openai/...` models.
 */
import { AIGNEHubChatModel, AIGNEHubImageModel } from "@aigne/aigne-hub";
import type { AgentResponseStream, ChatModelOutput } from "@aigne/core";
import { mergeAgentResponseChunk } from "@aigne/core/utils/stream-utils.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelCalls } from "@drizzle/schema";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

const CLIENT_ENV = [
  "BLOCKLET_AIGNE_API_PROVIDER",
  "BLOCKLET_AIGNE_API_MODEL",
  "BLOCKLET_AIGNE_API_CREDENTIAL",
  "AIGNE_HUB_API_KEY",
  "BLOCKLET_AIGNE_API_URL",
  "BLOCKLET_APP_PID",
];
const saved = new Map<string, string | undefined>();

let hub: TempHub;
let api: ApiServer;
let upstream: FakeUpstream;
let key: string;

beforeAll(async () => {
  for (const name of CLIENT_ENV) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
  process.env.BLOCKLET_APP_PID = "zAigneTestApp"; // the client sends it as x-aigne-hub-client-did
  hub = await createTempHub();
  upstream = await startFakeOpenAI({ reply: "Hello from upstream!" });
  await seedProvider({ kind: "openai", name: "openai", baseUrl: `${upstream.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini" },
    { model: "dall-e-3", type: "image" },
  ]);
  await seedProvider({ kind: "mock", name: "mock" }, [{ model: "mock-chat" }, { model: "mock-image", type: "image" }]);
  ({ key } = await seedUserWithKey());
  api = await startApiServer();
  process.env.BLOCKLET_AIGNE_API_URL = api.url; // where models() looks (it ignores baseURL)
});

afterAll(async () => {
  await api?.close();
  await upstream?.close();
  await hub?.cleanup();
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function collect(stream: AgentResponseStream<ChatModelOutput>) {
  const output: ChatModelOutput = {};
  const deltas: string[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { output, deltas };
    if ("delta" in value && value.delta.text?.text) deltas.push(value.delta.text.text);
    mergeAgentResponseChunk(output, value);
  }
}

const chat = (model: string) => new AIGNEHubChatModel({ baseURL: api.url, apiKey: key, model });

describe("AIGNE client through the hub", () => {
  it("invokes a chat model over the hub protocol and records the calling app", async () => {
    const out = await chat("aignehub/openai/gpt-4o-mini").invoke({
      messages: [{ role: "user", content: "Say hello" }],
    });
    expect(out.text).toBe("Hello from upstream!");
    expect(out.usage?.inputTokens).toBeGreaterThan(0);
    expect(out.usage?.outputTokens).toBeGreaterThan(0);

    await callRecorder.flush();
    const rows = await hub.database.db.select().from(modelCalls);
    expect(rows.at(-1)).toMatchObject({
      endpoint: "/api/v2/chat",
      status: "success",
      appName: "zAigneTestApp",
      providerName: "openai",
      model: "gpt-4o-mini",
    });
  });

  it("streams deltas as they arrive from the mock provider, with usage at the end", async () => {
    const stream = await chat("aignehub/mock/mock-chat").invoke(
      { messages: [{ role: "user", content: "count to three" }] },
      { streaming: true },
    );
    const { output, deltas } = await collect(stream);
    expect(output.text).toBe("Mock reply to: count to three");
    expect(deltas.length).toBeGreaterThan(3); // word by word, not one blob
    expect(output.usage?.outputTokens).toBeGreaterThan(0);
  });

  it("returns tool calls with object arguments", async () => {
    const out = await chat("aignehub/mock/mock-chat").invoke({
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Weather",
            parameters: { type: "object", properties: { location: { type: "string" } } },
          },
        },
      ],
    });
    expect(out.toolCalls?.[0]).toMatchObject({
      type: "function",
      function: { name: "get_weather", arguments: { location: "Paris" } },
    });
  });

  it("raises the hub's error before the stream, with its message", async () => {
    const error = await chat("aignehub/nope/unknown")
      .invoke({ messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(String(error)).toContain("does not exist");
  });

  it("resolves the bare model id the client sends when it speaks OpenAI style", async () => {
    // `openai/...` models make the client call <baseURL>/chat/completions with the bare id and stream: true.
    const before = upstream.requests.length;
    const out = await new AIGNEHubChatModel({
      baseURL: `${api.url}/api/v2`,
      apiKey: key,
      model: "openai/gpt-4o-mini",
    }).invoke({
      messages: [{ role: "user", content: "bare" }],
    });
    expect(out.text).toBe("Hello from upstream!");
    const sent = JSON.parse(upstream.requests.at(-1)!.body);
    expect(upstream.requests.length).toBe(before + 1);
    expect(sent).toMatchObject({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } });
    await callRecorder.flush();
    const rows = await hub.database.db.select().from(modelCalls);
    expect(rows.at(-1)).toMatchObject({
      endpoint: "/api/v2/chat/completions",
      requestedModel: "gpt-4o-mini",
      providerName: "openai",
      status: "success",
    });
  });

  it("generates images inline and lists models without a key", async () => {
    const images = new AIGNEHubImageModel({ baseURL: api.url, apiKey: key, model: "aignehub/mock/mock-image" });
    const out = await images.invoke({ prompt: "a red square", outputFileType: "file" });
    expect(out.images.length).toBe(1);
    expect(out.images[0]).toMatchObject({ type: "file", mimeType: "image/png" });

    const models = await chat("aignehub/openai/gpt-4o-mini").models();
    const names = (models as Array<{ model: string; provider: string }>).map((m) => `${m.provider}/${m.model}`);
    expect(names).toEqual(expect.arrayContaining(["openai/gpt-4o-mini", "mock/mock-chat"]));
  });
});
