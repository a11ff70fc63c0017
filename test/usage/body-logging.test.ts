/**
 * Body logging and the /metrics token through the real HTTP listener with fake upstreams (docs/decisions/007-call-body-logging.md): with
 * retention on, JSON chat, streaming chat (tool calls included), a client-aborted stream, an upstream error and an
 * image answer keep redacted bodies (a secret seeded in the request never reaches the database); with it off
 * nothing is kept; the prune job drops expired bodies in batches and keeps fresh ones; a metrics token generated
 * through tRPC opens GET /metrics and stops working once replaced or revoked.
 */
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Json } from "../helpers/json";
import { modelCalls } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createUser } from "@server/auth/users.server";
import { pruneCallBodies, resetPruneWatermark } from "@server/jobs/prune-bodies.server";
import { updateSettings } from "@server/settings/settings.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { callerFor } from "@test/helpers/trpc-caller";
import { callByRequestId } from "@test/billing/billing-helpers";

const SECRET = "sk-proj-SeededSecretNeverStored0123456789";
const REPLY = "Hello from upstream, streaming in pieces.";
const DAY = 86_400_000;

let hub: TempHub;
let api: ApiServer;
let fake: FakeUpstream;
let key: string;
let client: OpenAI;

const json = (text: string | null) => (text === null ? null : JSON.parse(text));

/** The call's record is found by the hub's own request id, which every answer carries in x-request-id. */
async function post(path: string, body: unknown): Promise<{ status: number; body: Json; requestId: string }> {
  const res = await fetch(`${api.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), requestId: res.headers.get("x-request-id") ?? "" };
}

const setRetention = (days: number) => updateSettings({ bodyLogRetentionDays: days }, CLI_ACTOR);

beforeAll(async () => {
  hub = await createTempHub();
  fake = await startFakeOpenAI({ reply: REPLY });
  await seedProvider({ kind: "openai", name: "up", baseUrl: `${fake.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini" },
    { model: "gpt-image-1", type: "image" },
  ]);
  await seedProvider({ kind: "mock", name: "mock" });
  ({ key } = await seedUserWithKey("bodies@example.com"));
  api = await startApiServer();
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await api.close();
  await fake.close();
  await hub.cleanup();
});

describe("with body logging on", () => {
  beforeAll(() => setRetention(7));

  it("keeps a JSON chat's request and answer, redacted", async () => {
    const res = await post("/v1/chat/completions", {
      model: "up/gpt-4o-mini",
      messages: [{ role: "user", content: `Use my key ${SECRET} please` }],
      api_key: "field-named-secret-value",
      max_tokens: 50,
    });
    expect(res.status).toBe(200);
    const row = await callByRequestId(hub, res.requestId);
    expect(json(row.requestBody)).toEqual({
      model: "up/gpt-4o-mini",
      messages: [{ role: "user", content: "Use my key [redacted] please" }],
      api_key: "[redacted]",
      max_tokens: 50,
    });
    const answer = json(row.responseBody);
    expect(answer.choices[0].message.content).toBe(REPLY);
    expect(answer.usage).toMatchObject({
      prompt_tokens: res.body.usage.prompt_tokens,
      completion_tokens: res.body.usage.completion_tokens,
    });
  });

  it("keeps a stream's assembled output, tool calls included", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "up/gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hello" }] })
      .withResponse();
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe(REPLY);
    const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
    expect(row.stream).toBe(true);
    expect(json(row.responseBody)).toMatchObject({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: REPLY }, finish_reason: "stop" }],
    });
    expect(json(row.requestBody)).toMatchObject({ stream: true, messages: [{ role: "user", content: "hello" }] });

    const tools = [
      {
        type: "function" as const,
        function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } },
      },
    ];
    const withTool = await client.chat.completions
      .create({
        model: "up/gpt-4o-mini",
        stream: true,
        tools,
        messages: [{ role: "user", content: "What is the weather?" }],
      })
      .withResponse();
    for await (const _ of withTool.data) void _;
    const toolRow = await callByRequestId(hub, withTool.response.headers.get("x-request-id")!);
    expect(json(toolRow.responseBody).choices[0]).toMatchObject({
      message: {
        tool_calls: [{ type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } }],
      },
      finish_reason: "tool_calls",
    });
  });

  it("keeps what a client-aborted stream generated before it went away", async () => {
    const controller = new AbortController();
    const { data, response } = await client.chat.completions
      .create(
        {
          model: "mock/mock-chat",
          stream: true,
          messages: [{ role: "user", content: "[[delay=100]] one two three four five six seven eight" }],
        },
        { signal: controller.signal },
      )
      .withResponse();
    let text = "";
    for await (const chunk of data) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (text) controller.abort();
    }
    const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
    expect(row.status).toBe("aborted");
    const answer = json(row.responseBody);
    // The record keeps what the hub sent: at least what the client read, perhaps a chunk more that was on the wire
    // when the client went away, never the rest of the reply.
    const kept: string = answer.choices[0].message.content;
    expect(kept.startsWith(text)).toBe(true);
    expect(kept.split(" ").length).toBeLessThan(8);
    expect(answer.hub_end).toMatch(/aborted/);
  });

  it("keeps an upstream error as the OpenAI-shaped body the client got", async () => {
    const res = await post("/v1/chat/completions", {
      model: "up/gpt-4o-mini",
      messages: [{ role: "user", content: `[[500]] ${SECRET}` }],
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const row = await callByRequestId(hub, res.requestId);
    expect(row.status).toBe("failed");
    expect(json(row.responseBody)).toEqual(res.body);
    expect(json(row.requestBody).messages[0].content).toBe("[[500]] [redacted]");
  });

  it("keeps an image answer with its base64 replaced by a placeholder", async () => {
    const res = await post("/v1/images/generations", { model: "up/gpt-image-1", prompt: "a red square" });
    expect(res.status).toBe(200);
    expect(res.body.data[0].b64_json.length).toBeGreaterThan(64);
    const row = await callByRequestId(hub, res.requestId);
    expect(json(row.responseBody).data[0].b64_json).toMatch(/^\[base64 image, \d+ KB\]$/);
  });

  it("never stores the seeded secret anywhere in the call records", async () => {
    await callRecorder.flush();
    const rs = await hub.database.client.execute({
      sql: "select count(*) as n from model_calls where instr(request_body, ?) or instr(response_body, ?) or instr(error_message, ?)",
      args: [SECRET, SECRET, SECRET],
    });
    expect(Number(rs.rows[0]!.n)).toBe(0);
    const withBodies = await hub.database.client.execute(
      "select count(*) as n from model_calls where request_body is not null",
    );
    expect(Number(withBodies.rows[0]!.n)).toBeGreaterThanOrEqual(6);
  });
});

describe("with body logging off", () => {
  beforeAll(() => setRetention(0));

  it("keeps no bodies, for JSON, streams and errors alike", async () => {
    const ok = await post("/v1/chat/completions", {
      model: "up/gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    const failed = await post("/v1/chat/completions", {
      model: "up/gpt-4o-mini",
      messages: [{ role: "user", content: "[[500]]" }],
    });
    const { data, response } = await client.chat.completions
      .create({ model: "up/gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    for await (const _ of data) void _;
    for (const id of [ok.requestId, failed.requestId, response.headers.get("x-request-id")!]) {
      const row = await callByRequestId(hub, id);
      expect(row.requestedModel).toBe("up/gpt-4o-mini");
      expect([row.requestBody, row.responseBody]).toEqual([null, null]);
    }
  });
});

describe("the prune-bodies job", () => {
  const now = Date.UTC(2026, 5, 1);
  const base = {
    requestId: "prune",
    type: "chat",
    endpoint: "/v1/chat/completions",
    status: "success" as const,
    requestBody: "{}",
    responseBody: "{}",
  };

  async function seed(prefix: string, ages: number[]) {
    await hub.database.db
      .insert(modelCalls)
      .values(ages.map((age, i) => ({ ...base, id: `${prefix}_${i}`, createdAt: new Date(now - age) })));
  }
  async function kept(prefix: string) {
    const rs = await hub.database.client.execute({
      sql: "select id from model_calls where id like ? and (request_body is not null or response_body is not null) order by id",
      args: [`${prefix}_%`],
    });
    return rs.rows.map((r) => String(r.id));
  }

  it("drops bodies older than the retention, in batches, and keeps fresh ones", async () => {
    await setRetention(7);
    resetPruneWatermark();
    await seed("old", [8 * DAY, 9 * DAY, 30 * DAY, 365 * DAY, 7 * DAY + 1000]);
    await seed("fresh", [DAY, 6 * DAY, 7 * DAY - 1000]);
    expect(await pruneCallBodies(now, 2)).toBe(5);
    expect(await kept("old")).toEqual([]);
    expect(await kept("fresh")).toEqual(["fresh_0", "fresh_1", "fresh_2"]);
    const [row] = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.id, "old_0"));
    expect(row).toMatchObject({ status: "success", requestBody: null, responseBody: null });
    expect(await pruneCallBodies(now, 2)).toBe(0);

    // Half a day later one more call has expired; the next run (from its watermark) finds it.
    expect(await pruneCallBodies(now + DAY / 2, 2)).toBe(1);
    expect(await kept("fresh")).toEqual(["fresh_0", "fresh_1"]);
  });

  it("drops every stored body once body logging is turned off", async () => {
    await setRetention(0);
    // The two fresh rows above and the calls the HTTP tests logged (made today, after `now`: age does not matter).
    const before = await hub.database.client.execute(
      "select count(*) as n from model_calls where request_body is not null or response_body is not null",
    );
    expect(Number(before.rows[0]!.n)).toBeGreaterThanOrEqual(2 + 6);
    expect(await pruneCallBodies(now + DAY)).toBe(Number(before.rows[0]!.n));
    expect(await kept("fresh")).toEqual([]);
    const rs = await hub.database.client.execute(
      "select count(*) as n from model_calls where request_body is not null or response_body is not null",
    );
    expect(Number(rs.rows[0]!.n)).toBe(0);
  });
});

describe("the /metrics token set in the Settings page", () => {
  const scrape = (token?: string) =>
    fetch(`${api.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("is generated by the owner, works, and is refused once replaced or revoked", async () => {
    const owner = await createUser({ email: "owner@example.com", role: "owner" }, CLI_ACTOR);
    const caller = callerFor(owner);
    expect((await scrape("anything")).status).toBe(404);

    const first = await caller.settings.generateMetricsToken();
    expect(first.settings.metrics).toMatchObject({ tokenSet: true, fromEnv: false });
    expect(JSON.stringify(first.settings)).not.toContain(first.token);
    const ok = await scrape(first.token);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("aihub_requests_total");
    expect((await scrape()).status).toBe(401);
    expect((await scrape("wrong-token-0123456789")).status).toBe(401);

    const second = await caller.settings.generateMetricsToken();
    expect(second.token).not.toBe(first.token);
    expect((await scrape(first.token)).status).toBe(401);
    expect((await scrape(second.token)).status).toBe(200);

    const revoked = await caller.settings.revokeMetricsToken();
    expect(revoked.metrics.tokenSet).toBe(false);
    expect((await scrape(second.token)).status).toBe(404);
    // Only its hash was ever stored.
    const rs = await hub.database.client.execute("select value from settings");
    expect(JSON.stringify(rs.rows)).not.toContain(second.token);
  });
});
