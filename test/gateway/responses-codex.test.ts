/**
 * What Codex CLI sends, replayed over plain HTTP with billing on: two developer items and user items, no
 * instructions, store:false, include reasoning.encrypted_content, reasoning.summary, prompt_cache_key,
 * client_metadata, eight tools of which one is not a function tool, session-id/thread-id headers, SSE. The stream
 * must be well framed (`event:` equal to the data's type, numbered, no [DONE]) and end with response.completed,
 * and the record and the ledger must be exact. Also: a Responses call and the same chat call leave the same record
 * and ledger, and an abandoned stream stops the upstream and is recorded as aborted.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Json } from "../helpers/json";
import { storedResponses } from "@drizzle/schema";
import { FAKE_ANTHROPIC_KEY, startFakeAnthropic } from "@test/fake-upstreams/anthropic";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import { startFakeOpenAIResponses } from "@test/fake-upstreams/openai-responses";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { account, billingOn, callByRequestId, grant, ledgerOf } from "@test/billing/billing-helpers";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let anthropic: FakeUpstream;
let chatFake: FakeUpstream;
let nativeFake: Awaited<ReturnType<typeof startFakeOpenAIResponses>>;
let key: string;
let userId: string;

const GRANT = 50_000_000;

beforeAll(async () => {
  hub = await createTempHub();
  anthropic = await startFakeAnthropic();
  chatFake = await startFakeOpenAI({ reply: "Same answer either way." });
  nativeFake = await startFakeOpenAIResponses({ reply: "Done: listed the files." });
  await seedProvider({ kind: "anthropic", name: "anthropic", baseUrl: anthropic.url, apiKey: FAKE_ANTHROPIC_KEY }, [
    { model: "claude-sonnet-4-5-20250929", input: 3_000_000, output: 15_000_000 },
  ]);
  await seedProvider({ kind: "openai", name: "openai", baseUrl: `${nativeFake.url}/v1`, apiKey: "sk-test" }, [
    { model: "o4-mini", input: 1_100_000, output: 4_400_000 },
  ]);
  await seedProvider({ kind: "deepseek", name: "compat", baseUrl: `${chatFake.url}/v1`, apiKey: "sk-test" }, [
    { model: "deepseek-chat", input: 270_000, output: 1_100_000 },
  ]);
  await seedProvider({ kind: "mock", name: "mock" });
  const seeded = await seedUserWithKey("codex@example.com", { appName: "codex" });
  key = seeded.key;
  userId = seeded.user.id;
  await billingOn();
  await grant(userId, GRANT);
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await anthropic.close();
  await chatFake.close();
  await nativeFake.close();
  await hub.cleanup();
});

const fn = (name: string, properties: Record<string, unknown>) => ({
  type: "function",
  name,
  description: `The ${name} tool.`,
  strict: false,
  parameters: { type: "object", properties, required: Object.keys(properties), additionalProperties: false },
});

/** The body Codex CLI 0.171 sent (docs/responses-api.md, "Clients"), with the prompt last. */
function codexBody(model: string, prompt: string) {
  return {
    model,
    input: [
      {
        type: "message",
        role: "developer",
        content: [
          {
            type: "input_text",
            text: "<permissions instructions>Sandbox: workspace-write.</permissions instructions>",
          },
        ],
      },
      {
        type: "message",
        role: "developer",
        content: [{ type: "input_text", text: "You are Codex, a coding agent. Keep answers short." }],
      },
      {
        type: "message",
        role: "user",
        content: [
          {
            type: "input_text",
            text: "<environment_context><cwd>/work/demo</cwd><shell>bash</shell></environment_context>",
          },
        ],
      },
      { type: "message", role: "user", content: [{ type: "input_text", text: prompt }] },
    ],
    tools: [
      fn("shell", { command: { type: "array", items: { type: "string" } }, workdir: { type: "string" } }),
      fn("update_plan", { plan: { type: "array", items: { type: "object" } } }),
      fn("view_image", { path: { type: "string" } }),
      fn("list_mcp_resources", { server: { type: "string" } }),
      fn("read_mcp_resource", { server: { type: "string" }, uri: { type: "string" } }),
      fn("request_user_input", { question: { type: "string" } }),
      fn("write_stdin", { session_id: { type: "number" }, chars: { type: "string" } }),
      {
        type: "custom",
        name: "apply_patch",
        description: "Use apply_patch to edit files.",
        format: {
          type: "grammar",
          syntax: "lark",
          definition: 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch" LF',
        },
      },
    ],
    tool_choice: "auto",
    parallel_tool_calls: true,
    reasoning: { summary: "auto" },
    store: false,
    stream: true,
    include: ["reasoning.encrypted_content"],
    prompt_cache_key: "0199f1c2-5a7e-7c3b-9d41-2f6a8b0c1d2e",
    client_metadata: { originator: "codex_exec" },
  };
}

const CODEX_HEADERS = {
  accept: "text/event-stream",
  "content-type": "application/json",
  originator: "codex_exec",
  "session-id": "0199f1c2-5a7e-7c3b-9d41-2f6a8b0c1d2e",
  "thread-id": "0199f1c2-5a7e-7c3b-9d41-2f6a8b0c1d2f",
  "x-client-request-id": "0199f1c2-5a7e-7c3b-9d41-2f6a8b0c1d30",
  "user-agent": "codex_exec/0.171.0 (Debian 12; x86_64) xterm",
};

/** Reads an SSE answer the way Codex does, checking the framing of every event. */
async function readSse(res: Response) {
  const text = await res.text();
  expect(text).not.toContain("[DONE]");
  const events = text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const name = lines.find((l) => l.startsWith("event: "))?.slice(7);
      const data = JSON.parse(lines.find((l) => l.startsWith("data: "))!.slice(6)) as {
        type: string;
        sequence_number: number;
        response?: Json;
      };
      expect(name).toBe(data.type);
      return data;
    });
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  return events;
}

async function expectExactCharge(requestId: string, rates: { input: number; output: number }) {
  const row = await callByRequestId(hub, requestId);
  const expected = Math.ceil((row.inputTokens! * rates.input + row.outputTokens! * rates.output) / 1_000_000);
  expect(row.costMicro).toBe(expected);
  const ledger = await ledgerOf(hub, row.id);
  expect(ledger.reduce((sum, e) => sum + e.amountMicro, 0)).toBe(-expected);
  expect(ledger.find((e) => e.kind === "settle")?.amountMicro).toBe(-expected);
  return row;
}

describe("a Codex-shaped request", () => {
  it.each([
    ["anthropic/claude-sonnet-4-5-20250929", { input: 3_000_000, output: 15_000_000 }],
    ["openai/o4-mini", { input: 1_100_000, output: 4_400_000 }],
  ] as const)("streams to response.completed through %s, stores nothing and charges exactly", async (model, rates) => {
    const before = await account(hub, userId);
    const stored = (await hub.database.db.select().from(storedResponses)).length;
    const res = await fetch(`${api.url}/v1/responses`, {
      method: "POST",
      headers: { ...CODEX_HEADERS, authorization: `Bearer ${key}` },
      body: JSON.stringify(codexBody(model, "List the files here.")),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readSse(res);
    expect(events[0]!.type).toBe("response.created");
    const last = events.at(-1)!;
    expect(last.type).toBe("response.completed");
    expect(last.response).toMatchObject({ status: "completed", store: false, model });
    expect(last.response!.usage.output_tokens).toBeGreaterThan(0);

    const row = await expectExactCharge(res.headers.get("x-request-id")!, rates);
    expect(row).toMatchObject({
      status: "success",
      stream: true,
      appName: "codex",
      endpoint: "/v1/responses",
      usageSource: "provider",
    });
    expect(row.inputTokens).toBe(last.response!.usage.input_tokens);
    expect(row.outputTokens).toBe(last.response!.usage.output_tokens);
    expect((await account(hub, userId)).balanceMicro).toBe(before.balanceMicro - row.costMicro!);
    expect((await hub.database.db.select().from(storedResponses)).length).toBe(stored);

    if (model.startsWith("anthropic")) {
      // Developer items became Anthropic's system prompt; the custom tool a one-string function; the prompt last.
      const up = JSON.parse(anthropic.requests.at(-1)!.body);
      expect(JSON.stringify(up.system)).toContain("You are Codex");
      expect(up.tools.map((t: { name: string }) => t.name)).toEqual([
        "shell",
        "update_plan",
        "view_image",
        "list_mcp_resources",
        "read_mcp_resource",
        "request_user_input",
        "write_stdin",
        "apply_patch",
      ]);
      expect(JSON.stringify(up.messages.at(-1).content)).toContain("List the files here.");
      expect(row.notes).toBeNull();
    } else {
      // Native: everything Codex sent reaches OpenAI, and the encrypted reasoning comes back for Codex to resend.
      const up = JSON.parse(nativeFake.requests.at(-1)!.body);
      expect(up).toMatchObject({
        model: "o4-mini",
        store: false,
        include: ["reasoning.encrypted_content"],
        prompt_cache_key: "0199f1c2-5a7e-7c3b-9d41-2f6a8b0c1d2e",
        client_metadata: { originator: "codex_exec" },
      });
      expect(up.tools).toHaveLength(8);
      expect(last.response!.output[0]).toMatchObject({
        type: "reasoning",
        encrypted_content: "gAAAAABfakeEncryptedReasoning==",
      });
    }
  });
});

describe("a Responses call and the same chat call", () => {
  it("leave the same call record and the same ledger entries", async () => {
    const client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
    const chat = await client.chat.completions
      .create({
        model: "compat/deepseek-chat",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "The same question" },
        ],
        max_tokens: 500,
      })
      .withResponse();
    const responses = await client.responses
      .create({
        model: "compat/deepseek-chat",
        instructions: "Be brief.",
        input: "The same question",
        max_output_tokens: 500,
      })
      .withResponse();
    expect(responses.data.output_text).toBe(chat.data.choices[0]!.message.content);
    const a = await callByRequestId(hub, chat.response.headers.get("x-request-id")!);
    const b = await callByRequestId(hub, responses.response.headers.get("x-request-id")!);
    const same = (r: typeof a) => ({
      status: r.status,
      type: r.type,
      providerName: r.providerName,
      model: r.model,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      cachedInputTokens: r.cachedInputTokens,
      usageSource: r.usageSource,
      costMicro: r.costMicro,
      rateId: r.rateId,
      httpStatus: r.httpStatus,
      attempts: r.attempts,
    });
    expect(same(b)).toEqual(same(a));
    expect(a.costMicro).toBeGreaterThan(0);
    const entries = async (id: string) => (await ledgerOf(hub, id)).map((e) => [e.kind, e.amountMicro]).sort();
    expect(await entries(b.id)).toEqual(await entries(a.id));
  });
});

describe("an abandoned stream", () => {
  it.each([
    ["translated (mock)", "mock/mock-chat", "[[delay=100]] one two three four five six seven eight nine ten"],
    ["native", "openai/o4-mini", "[[slow]] go"],
  ])("stops the upstream and is recorded as aborted: %s", async (_label, model, prompt) => {
    const closedBefore = nativeFake.closedEarly();
    const controller = new AbortController();
    const client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
    const { data, response } = await client.responses
      .create({ model, input: prompt, stream: true }, { signal: controller.signal })
      .withResponse();
    const seen: string[] = [];
    for await (const e of data) {
      seen.push(e.type);
      if (e.type === "response.output_text.delta") controller.abort();
    }
    expect(seen[0]).toBe("response.created");
    expect(seen).not.toContain("response.completed");
    const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      status: "aborted",
      httpStatus: 499,
      errorCode: "client_closed_request",
      usageSource: "partial",
    });
    expect(row.outputTokens).toBeGreaterThan(0);
    if (model.startsWith("openai")) {
      for (let i = 0; i < 50 && nativeFake.closedEarly() === closedBefore; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(nativeFake.closedEarly()).toBe(closedBefore + 1);
    }
  });
});
