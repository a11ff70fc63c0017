/**
 * The real `openai` SDK against the hub's API (real HTTP, real route modules, real listener), with a fake OpenAI
 * upstream and the mock provider behind it. Checks answers, streaming, tools, embeddings, images, models,
 * errors, and the call records each request leaves.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelCalls } from "@drizzle/schema";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let upstream: FakeUpstream;
let client: OpenAI;
let key: string;

beforeAll(async () => {
  hub = await createTempHub();
  upstream = await startFakeOpenAI({ reply: "Hello from upstream!" });
  await seedProvider({ kind: "openai", name: "openai", baseUrl: `${upstream.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini", input: 150_000, output: 600_000 },
    { model: "text-embedding-3-small", type: "embedding" },
    { model: "dall-e-3", type: "image" },
  ]);
  await seedProvider({ kind: "mock", name: "mock" });
  ({ key } = await seedUserWithKey("dev@example.com", { appName: "sdk-test" }));
  api = await startApiServer();
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/api/v2`, maxRetries: 0 });
});

afterAll(async () => {
  await api.close();
  await upstream.close();
  await hub.cleanup();
});

async function callRows() {
  await callRecorder.flush();
  return hub.database.db.select().from(modelCalls);
}

describe("OpenAI SDK through the hub", () => {
  it("answers a chat completion and records the call", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Say hello" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from upstream!");
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(response.headers.get("x-hub-overhead-ms"))).toBeGreaterThanOrEqual(0);

    // The upstream got the provider's model id and its own key, not ours.
    const sent = upstream.requests.at(-1)!;
    expect(JSON.parse(sent.body).model).toBe("gpt-4o-mini");
    expect(sent.headers.authorization).toBe("Bearer sk-test");

    const rows = await callRows();
    const row = rows.find((r) => r.requestId === response.headers.get("x-request-id"))!;
    expect(row).toMatchObject({
      status: "success",
      type: "chat",
      providerName: "openai",
      model: "gpt-4o-mini",
      requestedModel: "openai/gpt-4o-mini",
      appName: "sdk-test",
      inputTokens: data.usage!.prompt_tokens,
      outputTokens: data.usage!.completion_tokens,
      usageSource: "provider",
      httpStatus: 200,
    });
    expect(row.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("streams with usage, asking the upstream for usage even when the client does not", async () => {
    const stream = await client.chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "Stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Hello from upstream!");
    expect(usage?.completion_tokens).toBeGreaterThan(0);

    const noUsage = await client.chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "Again" }],
      stream: true,
    });
    let sawUsage = false;
    for await (const chunk of noUsage) if (chunk.usage) sawUsage = true;
    expect(sawUsage).toBe(false);
    expect(JSON.parse(upstream.requests.at(-1)!.body).stream_options).toEqual({ include_usage: true });

    const rows = (await callRows()).filter((r) => r.stream);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.status).toBe("success");
      expect(row.outputTokens).toBeGreaterThan(0);
      expect(row.usageSource).toBe("provider");
      expect(row.ttftMs).not.toBeNull();
    }
  });

  it("passes tools through and streams tool-call deltas", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: "function",
        function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } },
      },
    ];
    const reply = await client.chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "What is the weather?" }],
      tools,
    });
    expect(reply.choices[0]!.message.tool_calls![0]).toMatchObject({
      type: "function",
      function: { name: "get_weather", arguments: '{"location":"Paris"}' },
    });

    const stream = client.chat.completions.stream({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools,
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function.arguments).toBe('{"location":"Paris"}');
  });

  it("serves embeddings (float and base64), images and the model list", async () => {
    const emb = await client.embeddings.create({ model: "openai/text-embedding-3-small", input: ["one", "two"] });
    expect(emb.data).toHaveLength(2);
    expect(emb.data[0]!.embedding.length).toBeGreaterThan(0);
    const b64 = await client.embeddings.create({
      model: "openai/text-embedding-3-small",
      input: "one",
      encoding_format: "base64",
    });
    expect(typeof b64.data[0]!.embedding === "string" || Array.isArray(b64.data[0]!.embedding)).toBe(true);

    const image = await client.images.generate({
      model: "openai/dall-e-3",
      prompt: "a red square",
      response_format: "b64_json",
    });
    expect(image.data![0]!.b64_json!.length).toBeGreaterThan(20);

    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining(["openai/gpt-4o-mini", "openai/text-embedding-3-small", "openai/dall-e-3"]),
    );

    const rows = await callRows();
    expect(rows.find((r) => r.type === "image")).toMatchObject({ status: "success", images: 1 });
    expect(rows.filter((r) => r.type === "embedding").every((r) => r.status === "success" && r.inputTokens! > 0)).toBe(
      true,
    );
  });

  it("works with the mock provider and bare model ids", async () => {
    const reply = await client.chat.completions.create({
      model: "mock/mock-chat",
      messages: [{ role: "user", content: "ping" }],
    });
    expect(reply.choices[0]!.message.content).toBe("Mock reply to: ping");
    // A bare id (AIGNE's client strips the provider prefix) goes to a provider that lists it.
    const bare = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "bare" }],
    });
    expect(bare.choices[0]!.message.content).toBe("Hello from upstream!");
  });

  it("answers bad input in the OpenAI error shape with the right status", async () => {
    const cases: Array<[unknown, number, string | null, RegExp]> = [
      [{ messages: [{ role: "user", content: "x" }] }, 400, "model", /Missing required parameter: 'model'/],
      [{ model: "openai/gpt-4o-mini" }, 400, "messages", /Missing required parameter: 'messages'/],
      [
        { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }], temperature: "hot" },
        400,
        "temperature",
        /Invalid type for 'temperature'/,
      ],
      [
        { model: "openai/gpt-4o-mini", messages: [{ role: "wizard", content: "x" }] },
        400,
        "messages[0].role",
        /Invalid value/,
      ],
      [{ model: "nope/unknown-model", messages: [{ role: "user", content: "x" }] }, 404, "model", /does not exist/],
    ];
    for (const [body, status, param, message] of cases) {
      const res = await fetch(`${api.url}/api/v2/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status, JSON.stringify(body)).toBe(status);
      const json = (await res.json()) as {
        error: { message: string; type: string; code: string; param: string | null };
      };
      expect(json.error.param).toBe(param);
      expect(json.error.message).toMatch(message);
      expect(json.error.type).toBe("invalid_request_error");
    }
    const notJson = await fetch(`${api.url}/api/v2/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}` },
      body: "{nope",
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe("invalid_json");

    const unknownModel = await client.chat.completions
      .create({ model: "openai-nope/x", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(unknownModel).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknownModel as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
  });

  it("refuses a missing or wrong key with 401 and never echoes it", async () => {
    const bad = new OpenAI({ apiKey: "hub-sk-wrong-key-1234567890", baseURL: `${api.url}/v1`, maxRetries: 0 });
    const error = await bad.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(String((error as Error).message)).not.toContain("hub-sk-wrong-key");
    const none = await fetch(`${api.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("missing_api_key");
  });

  it("maps upstream errors without leaking the upstream key or URL", async () => {
    const error = await client.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "[[500]]" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify((error as InstanceType<typeof OpenAI.APIError>).error)).not.toContain("sk-test");
    expect(JSON.stringify((error as InstanceType<typeof OpenAI.APIError>).error)).not.toContain(upstream.url);
    const failed = (await callRows()).filter((r) => r.status === "failed" && r.providerName === null);
    expect(failed.length).toBeGreaterThan(0);
  });

  it("serves the same API under /v1 and the legacy /api/v1 paths", async () => {
    for (const base of ["/v1", "/api/v1"]) {
      const c = new OpenAI({ apiKey: key, baseURL: `${api.url}${base}`, maxRetries: 0 });
      const reply = await c.chat.completions.create({
        model: "mock/mock-chat",
        messages: [{ role: "user", content: base }],
      });
      expect(reply.choices[0]!.message.content).toBe(`Mock reply to: ${base}`);
    }
  });
});
