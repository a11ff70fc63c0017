/**
 * Every answer on the OpenAI paths, as raw JSON over real HTTP, against the required fields of OpenAI's published
 * schemas (test/helpers/openai-shapes.ts): chat completions as JSON and as each stream chunk, embeddings, images
 * (with and without upstream usage), the model list, and errors. Behind the hub: the mock provider and a fake
 * OpenAI upstream.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelRates, models } from "@drizzle/schema";
import { publish } from "@server/cache/invalidation.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import {
  chatChunkProblems,
  chatCompletionProblems,
  embeddingsProblems,
  errorProblems,
  imagesProblems,
  modelListProblems,
} from "@test/helpers/openai-shapes";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let upstream: FakeUpstream;
let key: string;

beforeAll(async () => {
  hub = await createTempHub();
  upstream = await startFakeOpenAI({ reply: "Shaped like OpenAI." });
  await seedProvider({ kind: "openai", name: "openai", baseUrl: `${upstream.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini", input: 150_000, output: 600_000 },
    { model: "text-embedding-3-small", type: "embedding", input: 20_000 },
    { model: "dall-e-3", type: "image" },
    { model: "gpt-image-1", type: "image", input: 5_000_000, output: 40_000_000 },
  ]);
  await seedProvider({ kind: "mock", name: "mock" });
  // A per-image price, so the DALL·E answer (no usage from the upstream) has a cost the hub must place somewhere.
  const [dalle] = await hub.database.db.select().from(models).where(eq(models.model, "dall-e-3"));
  await hub.database.db.update(modelRates).set({ perImage: 40_000 }).where(eq(modelRates.modelId, dalle!.id));
  publish("catalog");
  ({ key } = await seedUserWithKey("shapes@example.com"));
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await upstream.close();
  await hub.cleanup();
});

const post = (path: string, body: unknown, auth = key) =>
  fetch(api.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** The `data:` payloads of an SSE answer, `[DONE]` left out. */
async function sseData(response: Response): Promise<unknown[]> {
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trim())
    .filter((data) => data !== "[DONE]")
    .map((data) => JSON.parse(data) as unknown);
}

const TOOLS = [
  {
    type: "function",
    function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } },
  },
];

describe("answers on the OpenAI paths match OpenAI's schemas", () => {
  it.each([
    ["mock", "/v1/chat/completions", { model: "mock/mock-chat", messages: [{ role: "user", content: "Hi" }] }],
    [
      "openai upstream",
      "/api/v2/chat/completions",
      { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] },
    ],
    [
      "a tool call",
      "/v1/chat/completions",
      { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "weather?" }], tools: TOOLS },
    ],
  ])("chat completion as JSON (%s)", async (_name, path, body) => {
    const response = await post(path, body);
    expect(response.status).toBe(200);
    const json = (await response.json()) as { choices: unknown[] };
    expect(chatCompletionProblems(json)).toEqual([]);
    expect(json.choices.length).toBeGreaterThan(0);
  });

  it.each([
    ["mock", { model: "mock/mock-chat", messages: [{ role: "user", content: "Hi there" }] }],
    ["openai upstream", { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }],
    ["a tool call", { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "weather?" }], tools: TOOLS }],
  ])("every chat stream chunk (%s), with the usage chunk last", async (_name, body) => {
    const response = await post("/v1/chat/completions", {
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.status).toBe(200);
    const chunks = await sseData(response);
    expect(chunks.length).toBeGreaterThan(2);
    chunks.forEach((chunk, i) => expect(chatChunkProblems(chunk), `chunk ${i}: ${JSON.stringify(chunk)}`).toEqual([]));
    const last = chunks.at(-1) as { choices: unknown[]; usage: { total_tokens: number } };
    expect(last.choices).toEqual([]);
    expect(last.usage.total_tokens).toBeGreaterThan(0);
  });

  it("an upstream failure after the stream began is an in-band error event in OpenAI's error shape", async () => {
    const response = await post("/v1/chat/completions", {
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "[[break]]" }],
      stream: true,
    });
    expect(response.status).toBe(200);
    const events = await sseData(response);
    const last = events.at(-1);
    expect(errorProblems(last)).toEqual([]);
    events.slice(0, -1).forEach((chunk, i) => expect(chatChunkProblems(chunk), `chunk ${i}`).toEqual([]));
  });

  it.each([
    ["mock", { model: "mock/mock-embedding", input: ["one", "two"] }],
    ["openai upstream", { model: "openai/text-embedding-3-small", input: "one" }],
  ])("embeddings (%s)", async (_name, body) => {
    const response = await post("/v1/embeddings", body);
    expect(response.status).toBe(200);
    expect(embeddingsProblems(await response.json())).toEqual([]);
  });

  it("an image whose upstream reported no usage has no usage object; its cost is in x-hub-cost", async () => {
    const response = await post("/v1/images/generations", { model: "openai/dall-e-3", prompt: "a lighthouse" });
    expect(response.status).toBe(200);
    const json = (await response.json()) as Record<string, unknown>;
    expect(imagesProblems(json)).toEqual([]);
    expect(json).not.toHaveProperty("usage");
    expect(Number(response.headers.get("x-hub-cost"))).toBeGreaterThan(0);
  });

  it.each([
    ["openai upstream", { model: "openai/gpt-image-1", prompt: "a lighthouse" }],
    ["mock", { model: "mock/mock-image", prompt: "a lighthouse" }],
  ])("an image with upstream usage keeps the complete usage, with the cost (%s)", async (_name, body) => {
    const response = await post("/api/v2/images/generations", body);
    expect(response.status).toBe(200);
    const json = (await response.json()) as { usage: { input_tokens: number; cost: number } };
    expect(imagesProblems(json)).toEqual([]);
    expect(json.usage.input_tokens).toBeGreaterThan(0);
    const cost = response.headers.get("x-hub-cost");
    if (cost === null) expect(json.usage).not.toHaveProperty("cost");
    else expect(json.usage.cost).toBe(Number(cost));
  });

  it.each(["/v1/models", "/api/v2/models"])("the model list at %s", async (path) => {
    const response = await fetch(api.url + path, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(200);
    const json = (await response.json()) as { data: unknown[] };
    expect(modelListProblems(json)).toEqual([]);
    expect(json.data.length).toBeGreaterThan(3);
  });

  it.each([
    [
      "a bad key",
      () =>
        post(
          "/v1/chat/completions",
          { model: "mock/mock-chat", messages: [{ role: "user", content: "x" }] },
          "hub-sk-wrong",
        ),
      401,
    ],
    [
      "an unknown model",
      () => post("/v1/chat/completions", { model: "nobody/nothing", messages: [{ role: "user", content: "x" }] }),
      404,
    ],
    ["a bad body", () => post("/v1/chat/completions", { model: "mock/mock-chat" }), 400],
    [
      "bad JSON",
      () =>
        fetch(api.url + "/v1/embeddings", { method: "POST", headers: { authorization: `Bearer ${key}` }, body: "{" }),
      400,
    ],
    [
      "an upstream failure",
      () =>
        post("/v1/chat/completions", { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "[[500]]" }] }),
      500,
    ],
    ["an unknown path", () => post("/v1/assistants", {}), 404],
    [
      "a wrong method",
      () => fetch(api.url + "/v1/chat/completions", { headers: { authorization: `Bearer ${key}` } }),
      405,
    ],
  ])("errors: %s", async (_name, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(errorProblems(await response.json())).toEqual([]);
  });
});
