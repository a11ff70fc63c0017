/**
 * POST /v1/responses with the real `openai` SDK against the hub (real HTTP, real routes): a provider translated onto
 * chat (the OpenAI-compatible chat fake) and one that serves the Responses API natively (the Responses fake).
 * Checks what each upstream received as well as what the client got, the event order the SDK's ResponseStream
 * enforces, function-call round trips, the hub's response store (previous_response_id across providers, another
 * user's id, retention 0, store:false, GET/DELETE), tools left out or mapped, and the call records.
 */
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Json } from "../helpers/json";
import { modelCalls, storedResponses } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { addModel } from "@server/catalog/models.server";
import { breaker } from "@server/gateway/credential-health.server";
import { pruneStoredResponses } from "@server/gateway/responses/store.server";
import { updateSettings } from "@server/settings/settings.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import { startFakeOpenAIResponses } from "@test/fake-upstreams/openai-responses";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { callByRequestId } from "@test/billing/billing-helpers";
import { setFallbackModels } from "@test/helpers/routing";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let chatFake: FakeUpstream;
let nativeFake: FakeUpstream;
let client: OpenAI;
let other: OpenAI;
let key: string;

const COMPAT = "compat/gpt-4o-mini";
const NATIVE = "openai/gpt-4o-mini";
const WEATHER: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Current weather for a place",
  parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  strict: false,
};

beforeAll(async () => {
  hub = await createTempHub();
  chatFake = await startFakeOpenAI({ reply: "Hello from chat!" });
  nativeFake = await startFakeOpenAIResponses({ reply: "Hello from Responses!", cachedTokens: 4 });
  // An OpenAI-compatible vendor without a Responses endpoint of its own: translated onto chat.
  await seedProvider({ kind: "deepseek", name: "compat", baseUrl: `${chatFake.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini", input: 150_000, output: 600_000 },
  ]);
  await seedProvider({ kind: "openai", name: "openai", baseUrl: `${nativeFake.url}/v1`, apiKey: "sk-test" });
  await addModel(
    {
      provider: "openai",
      model: "gpt-4o-mini",
      inputPerMillion: 150_000,
      outputPerMillion: 600_000,
      cachedInputPerMillion: 75_000,
    },
    CLI_ACTOR,
  );
  // The same OpenAI credential with pass-through turned off by the provider option.
  await seedProvider(
    {
      kind: "openai",
      name: "openai-chat",
      baseUrl: `${chatFake.url}/v1`,
      apiKey: "sk-test",
      options: { nativeResponses: false },
    },
    [{ model: "gpt-4o-mini" }],
  );
  // A native provider nobody answers for, whose model falls back to the translated one.
  await seedProvider({ kind: "openai", name: "openai-down", baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-test" });
  const down = await addModel({ provider: "openai-down", model: "gpt-4o-mini" }, CLI_ACTOR);
  await setFallbackModels(down.id, [COMPAT]);
  ({ key } = await seedUserWithKey("dev@example.com"));
  const { key: otherKey } = await seedUserWithKey("other@example.com");
  api = await startApiServer();
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
  other = new OpenAI({ apiKey: otherKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await api.close();
  await chatFake.close();
  await nativeFake.close();
  await hub.cleanup();
});

beforeEach(() => breaker.reset());

async function callRecord(id: string) {
  await callRecorder.flush();
  const [row] = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.id, id));
  return row!;
}

const sent = (fake: FakeUpstream) => JSON.parse(fake.requests.at(-1)!.body) as Json;

async function create(params: OpenAI.Responses.ResponseCreateParamsNonStreaming, c = client) {
  const { data, response } = await c.responses.create(params).withResponse();
  return { data, requestId: response.headers.get("x-request-id")!, headers: response.headers };
}

/** Streams with the SDK's helper; returns the final response, the events in order and the request id. */
async function stream(params: Omit<OpenAI.Responses.ResponseCreateParamsStreaming, "stream">) {
  const s = client.responses.stream(params);
  const events: OpenAI.Responses.ResponseStreamEvent[] = [];
  s.on("event", (e) => events.push(e));
  const final = await s.finalResponse();
  return { final, events, types: events.map((e) => e.type) };
}

/** The rules the SDK and Codex rely on: created first, numbered in order, announced before deltas, a terminal last. */
function expectWellFormed(events: OpenAI.Responses.ResponseStreamEvent[], terminal = "response.completed") {
  expect(events[0]!.type).toBe("response.created");
  expect(events[1]!.type).toBe("response.in_progress");
  expect(events.at(-1)!.type).toBe(terminal);
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  const items = new Set<number>();
  for (const e of events) {
    if (e.type === "response.output_item.added") items.add(e.output_index);
    if ("output_index" in e && e.type !== "response.output_item.added")
      expect(items.has(e.output_index), e.type).toBe(true);
  }
}

describe.each([
  ["translated onto chat", COMPAT, () => chatFake, "Hello from chat!"],
  ["native pass-through", NATIVE, () => nativeFake, "Hello from Responses!"],
] as const)("Responses API, %s", (_label, model, fake, reply) => {
  it("answers a string input and records the call", async () => {
    const { data, requestId, headers } = await create({ model, input: "Say hello" });
    expect(data.object).toBe("response");
    expect(data.status).toBe("completed");
    expect(data.output_text).toBe(reply);
    expect(data.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(data.model).toBe(model);
    expect(data.usage!.input_tokens).toBeGreaterThan(0);
    expect(Number(headers.get("x-hub-overhead-ms"))).toBeGreaterThanOrEqual(0);
    const up = sent(fake());
    expect(up.model).toBe("gpt-4o-mini");
    if (model === COMPAT) expect(up.messages).toEqual([{ role: "user", content: "Say hello" }]);
    else
      expect(up).toMatchObject({
        store: false,
        stream: false,
        input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "Say hello" }] }],
      });
    expect(await callByRequestId(hub, requestId)).toMatchObject({
      status: "success",
      endpoint: "/v1/responses",
      requestedModel: model,
      model: "gpt-4o-mini",
      inputTokens: data.usage!.input_tokens,
      outputTokens: data.usage!.output_tokens,
      usageSource: "provider",
      notes: null,
    });
  });

  it("takes items: instructions and developer messages go first, as system for a chat upstream", async () => {
    const { data } = await create({
      model,
      instructions: "Be brief.",
      input: [
        { role: "developer", content: "Answer in English." },
        { type: "message", role: "user", content: [{ type: "input_text", text: "Hi" }] },
        { type: "message", role: "assistant", content: "Hello." },
        { role: "user", content: "Again" },
      ],
      max_output_tokens: 300,
      temperature: 0.5,
    });
    expect(data.output_text).toBe(reply);
    expect(data).toMatchObject({ instructions: "Be brief.", max_output_tokens: 300, temperature: 0.5 });
    const up = sent(fake());
    if (model === COMPAT) {
      expect(up.messages.map((m: { role: string }) => m.role)).toEqual([
        "system",
        "system",
        "user",
        "assistant",
        "user",
      ]);
      expect(up.messages[0].content).toBe("Be brief.");
      expect(up.messages[3].content).toBe("Hello.");
      expect(up).toMatchObject({ max_completion_tokens: 300, temperature: 0.5 });
    } else {
      expect(up).toMatchObject({ instructions: "Be brief.", max_output_tokens: 300, temperature: 0.5 });
      expect(up.input[0]).toEqual({ role: "developer", content: "Answer in English." });
    }
  });

  it("streams the events the SDK's ResponseStream accepts, and records TTFT", async () => {
    const { final, events, types } = await stream({ model, input: "Stream please" });
    expectWellFormed(events);
    expect(final.output_text).toBe(reply);
    expect(final.status).toBe("completed");
    expect(final.usage!.output_tokens).toBeGreaterThan(0);
    expect(types).toEqual(
      expect.arrayContaining([
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
      ]),
    );
    expect(types.indexOf("response.content_part.added")).toBeLessThan(types.indexOf("response.output_text.delta"));
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.id).toBe(final.id);
    expect(completed.response.id).toMatch(/^resp_[0-9a-f]{48}$/);
    const rows = await hub.database.db.select().from(storedResponses).where(eq(storedResponses.id, final.id));
    expect(rows).toHaveLength(1);
    const row = await callRecord(rows[0]!.callId!);
    expect(row).toMatchObject({
      status: "success",
      stream: true,
      usageSource: "provider",
      outputTokens: final.usage!.output_tokens,
    });
    expect(row.ttftMs).not.toBeNull();
  });

  it("round-trips a function call, streamed and not", async () => {
    const first = await stream({ model, input: "What is the weather in Paris?", tools: [WEATHER] });
    expectWellFormed(first.events);
    expect(first.types).toContain("response.function_call_arguments.delta");
    const call = first.final.output.find(
      (o) => o.type === "function_call",
    ) as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call).toMatchObject({ name: "get_weather", arguments: '{"location":"Paris"}', status: "completed" });
    expect(call.call_id).toBeTruthy();

    const { data } = await create({
      model,
      tools: [WEATHER],
      input: [
        { role: "user", content: "What is the weather in Paris?" },
        { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: "function_call_output", call_id: call.call_id, output: "Sunny, 22C" },
      ],
    });
    expect(data.output_text).toBe(reply);
    const up = sent(fake());
    if (model === COMPAT) {
      expect(up.tools).toEqual([
        {
          type: "function",
          function: {
            name: "get_weather",
            description: WEATHER.description,
            parameters: WEATHER.parameters,
            strict: false,
          },
        },
      ]);
      expect(up.messages.slice(1)).toEqual([
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: call.call_id,
              type: "function",
              function: { name: "get_weather", arguments: '{"location":"Paris"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: call.call_id, content: "Sunny, 22C" },
      ]);
    } else {
      expect(up.tools).toEqual([WEATHER]);
      expect(up.input.at(-1)).toEqual({ type: "function_call_output", call_id: call.call_id, output: "Sunny, 22C" });
    }
  });
});

describe("the hub's response store", () => {
  it("continues from previous_response_id across providers, native then translated, sending the whole transcript", async () => {
    const first = await create({ model: NATIVE, input: "My name is Ada." });
    const second = await create({ model: COMPAT, input: "What is my name?", previous_response_id: first.data.id });
    expect(second.data.previous_response_id).toBe(first.data.id);
    expect(sent(chatFake).messages).toEqual([
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "Hello from Responses!" },
      { role: "user", content: "What is my name?" },
    ]);
    // And back to the native provider, which gets the transcript with store:false and no ids it never stored.
    const third = await create({ model: NATIVE, input: "And now?", previous_response_id: second.data.id });
    const up = sent(nativeFake);
    expect(up.previous_response_id).toBeUndefined();
    expect(up.store).toBe(false);
    expect(up.input.map((i: { role?: string; type?: string }) => i.role ?? i.type)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
    ]);
    expect(up.input.some((i: { id?: string }) => i.id)).toBe(false);
    expect(third.data.output_text).toBe("Hello from Responses!");
  });

  it("answers another user's id or an unknown one with OpenAI's 404", async () => {
    const mine = await create({ model: COMPAT, input: "private" });
    for (const [c, id] of [
      [other, mine.data.id],
      [client, "resp_unknown"],
    ] as const) {
      const error = await c.responses
        .create({ model: COMPAT, input: "x", previous_response_id: id })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({
        message: `Response with id '${id}' not found.`,
        type: "invalid_request_error",
      });
      expect(await c.responses.retrieve(id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    }
    expect(await other.responses.delete(mine.data.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    expect((await client.responses.retrieve(mine.data.id)).id).toBe(mine.data.id);
  });

  it("serves GET and DELETE by id under /v1 and /api/v2", async () => {
    const { data } = await create({ model: COMPAT, input: "keep me", metadata: { topic: "test" } });
    const v2 = new OpenAI({ apiKey: key, baseURL: `${api.url}/api/v2`, maxRetries: 0 });
    for (const c of [client, v2]) {
      const got = await c.responses.retrieve(data.id);
      expect(got).toMatchObject({ id: data.id, status: "completed", metadata: { topic: "test" }, store: true });
      expect(got.output_text).toBe("Hello from chat!");
    }
    const res = await fetch(`${api.url}/api/v2/responses/${data.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(await res.json()).toEqual({ id: data.id, object: "response.deleted", deleted: true });
    expect(await client.responses.retrieve(data.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await client.responses.delete(data.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    expect((await fetch(`${api.url}/v1/responses/${data.id}`)).status).toBe(401);
  });

  it("lists a stored response's input items, the whole conversation, paged with the SDK's cursor", async () => {
    const first = await create({ model: COMPAT, input: "My name is Ada." });
    const second = await create({
      model: COMPAT,
      input: [
        { role: "user", content: "What is my name?" },
        { type: "message", role: "user", content: [{ type: "input_text", text: "Answer briefly." }] },
      ],
      previous_response_id: first.data.id,
    });
    const firstOutput = first.data.output[0]!;
    const all: OpenAI.Responses.ResponseItem[] = [];
    for await (const item of client.responses.inputItems.list(second.data.id, { order: "asc", limit: 2 }))
      all.push(item);
    expect(all.map((i) => ("role" in i ? i.role : i.type))).toEqual(["user", "assistant", "user", "user"]);
    expect(all[0]).toMatchObject({ type: "message", content: [{ type: "input_text", text: "My name is Ada." }] });
    // The answer the conversation continued from keeps the id the client saw.
    expect(all[1]).toMatchObject({ id: firstOutput.id, type: "message", status: "completed" });
    expect(all[2]).toMatchObject({ content: [{ type: "input_text", text: "What is my name?" }] });
    expect(new Set(all.map((i) => i.id)).size).toBe(4);

    // Newest first by default, as OpenAI's API; one page's cursors frame it; /api/v2 serves the same list.
    const v2 = new OpenAI({ apiKey: key, baseURL: `${api.url}/api/v2`, maxRetries: 0 });
    const page = await v2.responses.inputItems.list(second.data.id, { limit: 3 });
    expect(page.data.map((i) => i.id)).toEqual(
      all
        .slice(1)
        .reverse()
        .map((i) => i.id),
    );
    expect(page.has_more).toBe(true);
    const raw = await fetch(`${api.url}/v1/responses/${second.data.id}/input_items?limit=3`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(await raw.json()).toMatchObject({
      object: "list",
      first_id: all[3]!.id,
      last_id: all[1]!.id,
      has_more: true,
    });

    // Another user's response is not found; bad query values are 400s naming the parameter.
    expect(await other.responses.inputItems.list(second.data.id).catch((e: unknown) => e)).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    for (const [query, param] of [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["order=up", "order"],
      ["after=msg_nowhere", "after"],
    ] as const) {
      const res = await fetch(`${api.url}/v1/responses/${second.data.id}/input_items?${query}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(res.status, query).toBe(400);
      expect((await res.json()).error).toMatchObject({ type: "invalid_request_error", param });
    }
  });

  it("stores nothing for store:false, streamed or not", async () => {
    const before = (await hub.database.db.select().from(storedResponses)).length;
    const { data } = await create({ model: NATIVE, input: "forget me", store: false });
    expect(data).toMatchObject({ store: false });
    const streamed = await stream({ model: COMPAT, input: "forget me too", store: false });
    expect(streamed.final).toMatchObject({ store: false });
    expect((await hub.database.db.select().from(storedResponses)).length).toBe(before);
    expect(await client.responses.retrieve(data.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("with retention 0 stores nothing and refuses previous_response_id with a clear 400", async () => {
    const kept = await create({ model: COMPAT, input: "kept while storing is on" });
    await updateSettings({ responseStoreRetentionDays: 0 }, CLI_ACTOR);
    try {
      const { data } = await create({ model: COMPAT, input: "not kept" });
      expect(data).toMatchObject({ store: false });
      const error = await client.responses
        .create({ model: COMPAT, input: "x", previous_response_id: kept.data.id })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
        param: "previous_response_id",
        code: "responses_store_disabled",
      });
      expect((error as Error).message).toMatch(/does not store responses/);
    } finally {
      await updateSettings({ responseStoreRetentionDays: 30 }, CLI_ACTOR);
    }
  });
});

describe("retention", () => {
  it("hides responses past the retention at once, and the prune job deletes them", async () => {
    const old = await create({ model: COMPAT, input: "old news" });
    const fresh = await create({ model: COMPAT, input: "fresh news" });
    const DAY = 86_400_000;
    await hub.database.db
      .update(storedResponses)
      .set({ createdAt: new Date(Date.now() - 31 * DAY) })
      .where(eq(storedResponses.id, old.data.id));
    expect(await client.responses.retrieve(old.data.id).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    const continued = await client.responses
      .create({ model: COMPAT, input: "x", previous_response_id: old.data.id })
      .catch((e: unknown) => e);
    expect(continued).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await pruneStoredResponses()).toBe(1);
    const left = await hub.database.db.select({ id: storedResponses.id }).from(storedResponses);
    expect(left.map((r) => r.id)).toContain(fresh.data.id);
    expect(left.map((r) => r.id)).not.toContain(old.data.id);
  });
});

describe("the response cache", () => {
  it("answers an identical non-streaming request from the cache, with the stored answer's id", async () => {
    await updateSettings({ responseCacheEnabled: true }, CLI_ACTOR);
    try {
      const first = await create({ model: COMPAT, input: "cache me please" });
      const before = chatFake.requests.length;
      const again = await create({ model: COMPAT, input: "cache me please" });
      expect(again.headers.get("x-hub-cache")).toBe("hit");
      expect(again.data.id).toBe(first.data.id);
      expect(again.data.output_text).toBe(first.data.output_text);
      expect(chatFake.requests.length).toBe(before);
      expect(await callByRequestId(hub, again.requestId)).toMatchObject({
        status: "success",
        usageSource: "cache",
        inputTokens: 0,
      });
    } finally {
      await updateSettings({ responseCacheEnabled: false }, CLI_ACTOR);
    }
  });
});

describe("tools a chat upstream cannot run", () => {
  const tools = [
    WEATHER,
    {
      type: "custom",
      name: "apply_patch",
      description: "Apply a patch",
      format: { type: "grammar", syntax: "lark", definition: "start: /.+/" },
    },
    { type: "web_search_preview" },
  ] as OpenAI.Responses.Tool[];

  it("maps a custom tool to a one-string function, leaves web search out and notes it on the record", async () => {
    const { data, requestId } = await create({ model: COMPAT, input: "Hello", tools });
    expect(data.output_text).toBe("Hello from chat!");
    const up = sent(chatFake);
    expect(up.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual([
      "get_weather",
      "apply_patch",
    ]);
    expect(up.tools[1].function.parameters).toMatchObject({
      type: "object",
      required: ["input"],
      properties: { input: { type: "string" } },
    });
    expect(up.tools[1].function.description).toContain("start: /.+/");
    const row = await callByRequestId(hub, requestId);
    expect(row.notes).toBe("Left out tools the provider cannot run: web_search_preview");
  });

  it("sends every tool to a native provider, and notes nothing", async () => {
    const { requestId } = await create({ model: NATIVE, input: "Hello", tools });
    expect(sent(nativeFake).tools).toEqual(tools);
    expect((await callByRequestId(hub, requestId)).notes).toBeNull();
  });

  it("returns a custom tool's call as custom_tool_call items, and takes them back", async () => {
    // The chat fake calls the first tool offered when the user asks about the weather.
    const { final, events } = await stream({ model: COMPAT, input: "weather patch please", tools: [tools[1]!] });
    expectWellFormed(events);
    const call = final.output[0] as OpenAI.Responses.ResponseCustomToolCall;
    expect(call).toMatchObject({ type: "custom_tool_call", name: "apply_patch" });
    expect(events.map((e) => e.type)).toContain("response.custom_tool_call_input.done");
    await create({
      model: COMPAT,
      tools: [tools[1]!],
      input: [
        { role: "user", content: "weather patch please" },
        { type: "custom_tool_call", call_id: call.call_id, name: "apply_patch", input: "*** Begin Patch" },
        { type: "custom_tool_call_output", call_id: call.call_id, output: "Done" },
      ],
    });
    expect(sent(chatFake).messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: call.call_id,
            type: "function",
            function: { name: "apply_patch", arguments: '{"input":"*** Begin Patch"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: call.call_id, content: "Done" },
    ]);
  });

  it("refuses a tool_choice that forces a tool only a native provider can run, before any upstream call", async () => {
    const before = chatFake.requests.length;
    const error = await client.responses
      .create({ model: COMPAT, input: "x", tools, tool_choice: { type: "web_search_preview" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
      param: "tool_choice",
      code: "unsupported_tool_choice",
    });
    expect(chatFake.requests.length).toBe(before);
    // The same choice is fine where the provider runs the tool itself.
    await create({ model: NATIVE, input: "x", tools, tool_choice: { type: "web_search_preview" } });
    expect(sent(nativeFake).tool_choice).toEqual({ type: "web_search_preview" });
  });
});

describe("content only a native provider takes", () => {
  const input: OpenAI.Responses.ResponseInput = [
    {
      role: "user",
      content: [
        { type: "input_text", text: "What is in this file?" },
        { type: "input_image", file_id: "file-abc", detail: "auto" },
      ],
    },
  ];

  it("refuses an image by file id for a translated provider, naming the part, and passes it to a native one", async () => {
    const before = chatFake.requests.length;
    const error = await client.responses.create({ model: COMPAT, input }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
      param: "input[0].content[1].image_url",
    });
    expect(chatFake.requests.length).toBe(before);
    const { data } = await create({ model: NATIVE, input });
    expect(data.output_text).toBe("Hello from Responses!");
    expect(sent(nativeFake).input[0].content[1]).toEqual({ type: "input_image", file_id: "file-abc", detail: "auto" });
  });
});

describe("native pass-through details", () => {
  it("records cached input tokens and prices them at the cached rate", async () => {
    const { data, requestId } = await create({
      model: NATIVE,
      input: "A prompt long enough to have some cached tokens in it.",
    });
    expect(data.usage!.input_tokens_details.cached_tokens).toBe(4);
    const row = await callByRequestId(hub, requestId);
    expect(row).toMatchObject({
      cachedInputTokens: 4,
      inputTokens: data.usage!.input_tokens,
      outputTokens: data.usage!.output_tokens,
    });
    // (input − cached) × 0.15 + cached × 0.075 + output × 0.6 micro-USD per token, rounded up once, at 1 credit = $1.
    const exact = (data.usage!.input_tokens - 4) * 150_000 + 4 * 75_000 + data.usage!.output_tokens * 600_000;
    expect(row.costMicro).toBe(Math.ceil(exact / 1_000_000));
  });

  it("uses chat for an OpenAI provider whose option turns pass-through off", async () => {
    const before = nativeFake.requests.length;
    const { data } = await create({ model: "openai-chat/gpt-4o-mini", input: "Hi" });
    expect(data.output_text).toBe("Hello from chat!");
    expect(chatFake.requests.at(-1)!.path).toBe("/v1/chat/completions");
    expect(nativeFake.requests.length).toBe(before);
  });

  it("maps an upstream 500 to the client's 5xx in OpenAI's shape", async () => {
    const error = await client.responses.create({ model: NATIVE, input: "[[500]]" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it.each([
    ["[[fail]]", "failed mid-answer"],
    ["[[break]]", ""],
  ])("ends a stream that fails after the first byte (%s) with error and response.failed", async (word, message) => {
    const { data, response } = await client.responses
      .create({ model: NATIVE, input: `go ${word}`, stream: true })
      .withResponse();
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const e of data) events.push(e);
    expect(events[0]!.type).toBe("response.created");
    expect(events.map((e) => e.type).slice(-2)).toEqual(["error", "response.failed"]);
    const failed = events.at(-1) as OpenAI.Responses.ResponseFailedEvent;
    expect(failed.response.status).toBe("failed");
    expect(failed.response.error!.message).toContain(message);
    const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
    expect(row.status).toBe("failed");
    expect(await client.responses.retrieve(failed.response.id).catch((e: unknown) => e)).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });
});

describe("failover", () => {
  it.each([false, true])(
    "moves from a native candidate to a translated fallback in the same call (stream: %s)",
    async (streamed) => {
      const tools = [WEATHER, { type: "web_search_preview" }] as OpenAI.Responses.Tool[];
      const { data, response } = streamed
        ? await client.responses
            .create({ model: "openai-down/gpt-4o-mini", input: "Hello", tools, stream: true })
            .withResponse()
        : await client.responses.create({ model: "openai-down/gpt-4o-mini", input: "Hello", tools }).withResponse();
      let text = "";
      if (Symbol.asyncIterator in data) {
        for await (const e of data) if (e.type === "response.output_text.delta") text += e.delta;
      } else text = data.output_text;
      expect(text).toBe("Hello from chat!");
      const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
      expect(row).toMatchObject({
        status: "success",
        providerName: "compat",
        attempts: 2,
        notes: "Left out tools the provider cannot run: web_search_preview",
      });
    },
  );
});
