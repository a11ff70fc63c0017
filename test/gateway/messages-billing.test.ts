/**
 * The Messages API's records and money, through real HTTP: a Claude Code-shaped request replayed end to end
 * against Anthropic (native) and an OpenAI-compatible provider (translated), with cache reads and writes priced
 * at the model's cached-input and cache-write rates to the micro-credit; an output budget lowered to what a small
 * balance covers (what the upstream received, the header, exact settlement, never below zero) on the Messages and
 * chat paths, 402 below 1,024 tokens; governance refusals in Anthropic's envelope; an abandoned stream recorded as
 * aborted.
 */
import Anthropic from "@anthropic-ai/sdk";
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ipRules, models, quotas } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { OUTPUT_CAP_HEADER } from "@server/billing/call-billing.server";
import { affordableOutputTokens, type RateCard } from "@server/billing/price-book";
import { chatBound, messagesBound } from "@server/billing/worst-case";
import { publish } from "@server/cache/invalidation.server";
import { setModelAliases } from "@server/catalog/model-aliases.server";
import { addRate } from "@server/catalog/model-rates.server";
import { addIpRule } from "@server/governance/ip-rules.server";
import { resetAdmissionCaches } from "@server/governance/admission.server";
import { setQuota } from "@server/governance/quotas.server";
import { FAKE_ANTHROPIC_KEY, FAKE_CACHE_READ_TOKENS, startFakeAnthropic } from "@test/fake-upstreams/anthropic";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { account, billingOn, callByRequestId, expectBooksBalanced, grant, ledgerOf } from "../billing/billing-helpers";
import type { Json } from "../helpers/json";

let hub: TempHub;
let api: ApiServer;
let anthropic: FakeUpstream;
let openai: FakeUpstream;

const CACHE_WRITE = 300;
const OPENAI_CACHED = 8;
const AT_COST = { creditPriceMicroUsd: 1_000_000, profitMarginBps: 0 };
/** micro-USD per million tokens; at the default credit price one micro-credit is one micro-USD. */
const CLAUDE_RATE: RateCard = {
  id: "",
  effectiveFrom: 0,
  inputPerMillion: 1_000_000,
  outputPerMillion: 5_000_000,
  cachedInputPerMillion: 100_000,
  cacheWritePerMillion: 1_250_000,
  perImage: null,
  imagePrices: null,
};
const GPT_RATE: RateCard = {
  id: "",
  effectiveFrom: 0,
  inputPerMillion: 150_000,
  outputPerMillion: 600_000,
  cachedInputPerMillion: 75_000,
  cacheWritePerMillion: null,
  perImage: null,
  imagePrices: null,
};

/** The SDK refuses a non-streaming call with a large max_tokens unless given an explicit timeout. */
const LONG = { timeout: 60_000 };

const CLAUDE_CODE_BETAS =
  "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,mid-conversation-tool-changes-2026-07-01," +
  "thinking-token-count-2026-05-13,advanced-tool-use-2025-11-20,effort-2025-11-24";

/** What Claude Code sends on a session's first turn (shape observed from Claude Code 2.1.332). */
function claudeCodeBody(model: string) {
  const schema = (props: Record<string, unknown>) => ({
    type: "object",
    properties: props,
    required: Object.keys(props),
  });
  return {
    model,
    messages: [
      { role: "user", content: "List the files in this directory." },
      { role: "system", content: "<system-reminder>The user is on macOS.</system-reminder>" },
    ],
    system: [
      { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.332; cc_entrypoint=sdk-cli" },
      {
        type: "text",
        text: "You are Claude Code, Anthropic's official CLI for Claude.",
        cache_control: { type: "ephemeral" },
      },
      {
        type: "text",
        text: "Use the tools to help the user with software engineering tasks.",
        cache_control: { type: "ephemeral" },
      },
    ],
    tools: [
      { name: "Bash", description: "Run a shell command", input_schema: schema({ command: { type: "string" } }) },
      { name: "Read", description: "Read a file", input_schema: schema({ file_path: { type: "string" } }) },
      { type: "tool_search_tool_regex_20251119", name: "tool_search_tool_regex" },
      {
        name: "mcp__github__create_issue",
        description: "Open an issue",
        input_schema: schema({ title: { type: "string" } }),
        defer_loading: true,
      },
    ],
    metadata: { user_id: JSON.stringify({ device_id: "d3v1ce", account_uuid: "", session_id: "5e55-10n" }) },
    max_tokens: 32000,
    thinking: { type: "adaptive", display: "omitted" },
    context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
    output_config: { effort: "high" },
    stream: true,
  };
}

function claudeCodePost(key: string, body: object) {
  return fetch(`${api.url}/v1/messages?beta=true`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "anthropic-version": "2023-06-01",
      "anthropic-beta": CLAUDE_CODE_BETAS,
      "anthropic-dangerous-direct-browser-access": "true",
      "x-app": "cli",
      "user-agent": "claude-cli/2.1.332 (external, sdk-cli)",
      "content-type": "application/json",
      accept: "application/json",
    },
    body: JSON.stringify(body),
  });
}

interface SseFrame {
  event: string;
  data: Json;
}

/** Every frame must carry `event:` (the SDK drops the others); returns them parsed. */
function frames(text: string): SseFrame[] {
  return text
    .split("\n\n")
    .filter((f) => f.trim())
    .map((f) => {
      const event = /^event: (.+)$/m.exec(f)?.[1];
      const data = /^data: (.+)$/m.exec(f)?.[1];
      if (!event || !data) throw new Error(`frame without event or data: ${f}`);
      return { event, data: JSON.parse(data) };
    });
}

/** Sets a model's rates the way an admin does (a new dated rate in force now), cache write rate included. */
async function setRates(model: string, rate: RateCard) {
  const [row] = await hub.database.db.select().from(models).where(eq(models.model, model));
  const { id: _id, effectiveFrom: _from, ...values } = rate;
  await addRate(row!.id, values, null, CLI_ACTOR);
  return row!;
}

beforeAll(async () => {
  hub = await createTempHub();
  anthropic = await startFakeAnthropic({ cacheWriteTokens: CACHE_WRITE });
  openai = await startFakeOpenAI({ cachedTokens: OPENAI_CACHED });
  await seedProvider({ kind: "anthropic", name: "anthropic", baseUrl: anthropic.url, apiKey: FAKE_ANTHROPIC_KEY }, [
    { model: "claude-sonnet-4-5-20250929" },
  ]);
  await seedProvider({ kind: "openai", name: "openai", baseUrl: `${openai.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini" },
  ]);
  const claude = await setRates("claude-sonnet-4-5-20250929", CLAUDE_RATE);
  const gpt = await setRates("gpt-4o-mini", GPT_RATE);
  // Claude Code's names: its main model to Anthropic's dated id, its background Haiku to an OpenAI model.
  await setModelAliases(claude.id, ["claude-sonnet-4-5"], CLI_ACTOR);
  await setModelAliases(gpt.id, ["claude-haiku-4-5"], CLI_ACTOR);
  publish("catalog");
  await billingOn();
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await Promise.all([anthropic.close(), openai.close()]);
  await hub.cleanup();
});

describe("a Claude Code session's request, end to end", () => {
  it("through Anthropic natively: streamed as sent, cache reads and writes recorded and priced exactly", async () => {
    const { user, key } = await seedUserWithKey("cc-native@example.com");
    await grant(user.id, 5_000_000);
    const body = claudeCodeBody("claude-sonnet-4-5");
    const res = await claudeCodePost(key, body);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = frames(await res.text());
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(["message_start", "content_block_delta", "message_delta", "message_stop"]),
    );
    expect(events[0]!.event).toBe("message_start");
    expect(events.at(-1)!.event).toBe("message_stop");

    const sent = anthropic.requests.at(-1)!;
    expect(JSON.parse(sent.body)).toEqual({ ...body, model: "claude-sonnet-4-5-20250929" });
    expect(sent.headers["anthropic-beta"]).toBe(CLAUDE_CODE_BETAS);
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers.authorization).toBeUndefined();

    const usage = events[0]!.data.message.usage;
    const output = events.find((e) => e.event === "message_delta")!.data.usage.output_tokens;
    expect(usage).toMatchObject({
      cache_read_input_tokens: FAKE_CACHE_READ_TOKENS,
      cache_creation_input_tokens: CACHE_WRITE,
    });
    const row = await callByRequestId(hub, res.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      status: "success",
      stream: true,
      providerName: "anthropic",
      model: "claude-sonnet-4-5-20250929",
      requestedModel: "claude-sonnet-4-5",
      inputTokens: usage.input_tokens + FAKE_CACHE_READ_TOKENS + CACHE_WRITE,
      cachedInputTokens: FAKE_CACHE_READ_TOKENS,
      cacheWriteTokens: CACHE_WRITE,
      outputTokens: output,
      usageSource: "provider",
    });
    // By hand: plain input at $1/M, cache reads at $0.10/M, cache writes at $1.25/M, output at $5/M, rounded up once.
    const expected = Math.ceil(
      (usage.input_tokens * 1_000_000 +
        FAKE_CACHE_READ_TOKENS * 100_000 +
        CACHE_WRITE * 1_250_000 +
        output * 5_000_000) /
        1_000_000,
    );
    expect(row.costMicro).toBe(expected);
    const settled = (await ledgerOf(hub, row.id)).find((e) => e.kind === "settle")!;
    expect(settled.amountMicro).toBe(-expected);
    expect(await account(hub, user.id)).toMatchObject({ balanceMicro: 5_000_000 - expected, reservedMicro: 0 });
  });

  it("through an OpenAI-compatible provider (an aliased Claude name): translated, cached_tokens priced at the cached rate", async () => {
    const { user, key } = await seedUserWithKey("cc-openai@example.com");
    await grant(user.id, 5_000_000);
    const res = await claudeCodePost(key, claudeCodeBody("claude-haiku-4-5"));
    expect(res.status).toBe(200);
    const events = frames(await res.text());
    expect(events[0]!.event).toBe("message_start");
    const text = events
      .filter((e) => e.event === "content_block_delta")
      .map((e) => e.data.delta.text)
      .join("");
    expect(text).toBe("Hello from the fake OpenAI upstream!");
    const delta = events.find((e) => e.event === "message_delta")!.data;
    expect(delta.delta.stop_reason).toBe("end_turn");

    const sent = openai.requests.at(-1)!;
    expect(sent.headers["anthropic-beta"]).toBeUndefined();
    const upstream = JSON.parse(sent.body);
    expect(upstream.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual([
      "Bash",
      "Read",
      "mcp__github__create_issue",
    ]);
    expect(upstream.messages[0].role).toBe("system");
    expect(upstream.messages.filter((m: { role: string }) => m.role === "system")).toHaveLength(1);
    for (const field of ["metadata", "thinking", "context_management", "output_config"])
      expect(upstream).not.toHaveProperty(field);

    const row = await callByRequestId(hub, res.headers.get("x-request-id")!);
    // Anthropic's input_tokens excludes the cache reads OpenAI's prompt_tokens includes.
    expect(delta.usage).toEqual({
      input_tokens: row.inputTokens! - OPENAI_CACHED,
      output_tokens: row.outputTokens,
      cache_read_input_tokens: OPENAI_CACHED,
      cache_creation_input_tokens: null,
    });
    expect(row).toMatchObject({ providerName: "openai", cachedInputTokens: OPENAI_CACHED, usageSource: "provider" });
    const expected = Math.ceil(
      ((row.inputTokens! - OPENAI_CACHED) * 150_000 + OPENAI_CACHED * 75_000 + row.outputTokens! * 600_000) / 1_000_000,
    );
    expect(row.costMicro).toBe(expected);
    expect(await account(hub, user.id)).toMatchObject({ balanceMicro: 5_000_000 - expected, reservedMicro: 0 });
  });
});

describe("an output budget the balance cannot cover", () => {
  it("is lowered to what the balance covers on /v1/messages, said in a header, settled exactly, never below zero", async () => {
    const { user, key } = await seedUserWithKey("small@example.com");
    const balance = 12_000;
    await grant(user.id, balance);
    const body = {
      model: "anthropic/claude-sonnet-4-5-20250929",
      max_tokens: 32_000,
      thinking: { type: "enabled", budget_tokens: 16_000 },
      messages: [{ role: "user", content: "Write a long essay." }],
    };
    const cap = affordableOutputTokens(CLAUDE_RATE, messagesBound(body, null), AT_COST, balance);
    expect(cap).toBeGreaterThan(1_024);
    expect(cap).toBeLessThan(32_000);
    const sdk = new Anthropic({ authToken: key, baseURL: api.url, maxRetries: 0 });
    const { data, response } = await sdk.messages
      .create(body as Anthropic.MessageCreateParamsNonStreaming, LONG)
      .withResponse();
    expect(data.content.at(-1)).toMatchObject({ type: "text", text: "You said: Write a long essay." });
    expect(response.headers.get(OUTPUT_CAP_HEADER)).toBe(String(cap));
    const sent = JSON.parse(anthropic.requests.at(-1)!.body);
    expect(sent.max_tokens).toBe(cap);
    // Anthropic wants the thinking budget below max_tokens: it shrinks with it.
    expect(sent.thinking).toEqual({ type: "enabled", budget_tokens: cap - 1 });

    const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
    const reserved = (await ledgerOf(hub, row.id)).find((e) => e.kind === "reserve")!;
    expect(-reserved.amountMicro).toBeLessThanOrEqual(balance);
    expect(await account(hub, user.id)).toMatchObject({ balanceMicro: balance - row.costMicro!, reservedMicro: 0 });
    expect(await expectBooksBalanced(hub, user.id)).toMatchObject({
      balanceMatchesLedger: true,
      nothingHeld: true,
      neverNegative: true,
    });
  });

  it("is refused with 402 billing_error when under 1,024 tokens fit, before any upstream call", async () => {
    const { user, key } = await seedUserWithKey("broke@example.com");
    await grant(user.id, 3_000);
    const before = anthropic.requests.length;
    const sdk = new Anthropic({ apiKey: key, baseURL: api.url, maxRetries: 0 });
    const error = (await sdk.messages
      .create({ model: "claude-sonnet-4-5", max_tokens: 32_000, messages: [{ role: "user", content: "hi" }] }, LONG)
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).toBeInstanceOf(Anthropic.PaymentRequiredError);
    expect(error.type).toBe("billing_error");
    expect(error.apiMessage).toMatch(/^Not enough credit/);
    expect(anthropic.requests.length).toBe(before);
    expect(await account(hub, user.id)).toMatchObject({ balanceMicro: 3_000, reservedMicro: 0 });
  });

  it("is lowered on the chat path too", async () => {
    const { user, key } = await seedUserWithKey("small-chat@example.com");
    const balance = 2_000;
    await grant(user.id, balance);
    const messages = [{ role: "user" as const, content: "Say hello" }];
    const cap = affordableOutputTokens(GPT_RATE, chatBound({ messages, max_tokens: 32_000 }, null), AT_COST, balance);
    expect(cap).toBeGreaterThan(1_024);
    expect(cap).toBeLessThan(32_000);
    const sdk = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
    const { data, response } = await sdk.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages, max_tokens: 32_000 })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello from the fake OpenAI upstream!");
    expect(response.headers.get(OUTPUT_CAP_HEADER)).toBe(String(cap));
    expect(JSON.parse(openai.requests.at(-1)!.body).max_tokens).toBe(cap);
    const row = await callByRequestId(hub, response.headers.get("x-request-id")!);
    expect(await account(hub, user.id)).toMatchObject({ balanceMicro: balance - row.costMicro!, reservedMicro: 0 });
  });
});

describe("governance on the Messages path, in Anthropic's envelope", () => {
  it("answers an IP rule with 403 permission_error and a quota with 429 rate_limit_error", async () => {
    const { user, key, keyRecord } = await seedUserWithKey("governed@example.com");
    await grant(user.id, 5_000_000);
    const sdk = new Anthropic({ authToken: key, baseURL: api.url, maxRetries: 0 });
    const ask = () =>
      sdk.messages
        .create({ model: "claude-haiku-4-5", max_tokens: 50, messages: [{ role: "user", content: "hi" }] })
        .catch((e: unknown) => e);

    await addIpRule({ action: "deny", cidr: "127.0.0.1", accessKeyId: keyRecord.id }, CLI_ACTOR);
    resetAdmissionCaches();
    const denied = (await ask()) as InstanceType<typeof Anthropic.APIError>;
    expect(denied).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(denied.type).toBe("permission_error");
    await hub.database.db.delete(ipRules);

    await setQuota({ scope: "key", scopeId: keyRecord.id, requestsPerMinute: 1 }, CLI_ACTOR);
    publish("governance");
    resetAdmissionCaches();
    expect(await ask()).toMatchObject({ type: "message" });
    const limited = (await ask()) as InstanceType<typeof Anthropic.APIError>;
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited.type).toBe("rate_limit_error");
    expect(Number(limited.headers?.get("retry-after"))).toBeGreaterThan(0);
    await hub.database.db.delete(quotas);
    publish("governance");
    resetAdmissionCaches();
  });
});

describe("an abandoned stream", () => {
  it("stops the upstream and is recorded as aborted", async () => {
    const { user, key } = await seedUserWithKey("leaver@example.com");
    await grant(user.id, 5_000_000);
    const controller = new AbortController();
    const res = await fetch(`${api.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: JSON.stringify({
        model: "claude-haiku-4-5",
        max_tokens: 100,
        stream: true,
        messages: [{ role: "user", content: "wait [[stall]]" }],
      }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("event: message_start");
    controller.abort();
    const row = await callByRequestId(hub, res.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      status: "aborted",
      httpStatus: 499,
      errorCode: "client_closed_request",
      usageSource: "partial",
    });
    expect(await expectBooksBalanced(hub, user.id)).toMatchObject({ nothingHeld: true, neverNegative: true });
  });
});
