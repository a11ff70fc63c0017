/**
 * The usage pages' server side: call-log keyset paging and filters against the raw rows, member vs admin scoping
 * through the tRPC router, CSV escaping and a streamed export counted row by row, and /metrics parsed back and
 * compared with sums of the raw calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { newId } from "@server/crypto/tokens";
import { iterateCalls, listCalls } from "@server/usage/call-log.server";
import { csvField, csvLine, csvStream } from "@server/usage/csv";
import { handleMetrics } from "@server/usage/metrics.server";
import { rebuildRollups } from "@server/usage/rebuild-rollups.server";
import { callRow } from "@server/usage/usage-export.server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { seededRandom } from "@test/helpers/seeded-random";
import { callerFor, codeOf } from "@test/helpers/trpc-caller";

const TOKEN = "metrics-token-for-tests-0123456789";
const DAY = 86_400_000;
const from = Date.UTC(2026, 0, 1);
const to = from + 10 * DAY;
const N = 3000;

let hub: TempHub;
let admin: UserRow;
let member: UserRow;
let other: UserRow;
type Raw = {
  id: string;
  userId: string;
  model: string;
  provider: string;
  status: string;
  input: number;
  output: number;
  cost: number;
  createdAt: number;
};
const raw: Raw[] = [];

beforeAll(async () => {
  hub = await createTempHub({ HUB_METRICS_TOKEN: TOKEN });
  admin = await createUser({ email: "admin@example.com", role: "admin" }, CLI_ACTOR);
  member = await createUser({ email: "member@example.com", role: "member" }, CLI_ACTOR);
  other = await createUser({ email: "other@example.com", role: "member" }, CLI_ACTOR);
  const random = seededRandom(11);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  for (let i = 0; i < N; i++) {
    const [provider, model] = pick([
      ["openai", "gpt-4o-mini"],
      ["anthropic", "claude-haiku-4-5"],
      ["mock", "mock-chat"],
    ]);
    // Some calls share a millisecond so the (created_at, id) keyset matters.
    raw.push({
      id: newId("call"),
      userId: pick([member.id, other.id, admin.id]),
      model: model,
      provider: provider,
      status: random() < 0.1 ? "failed" : "success",
      input: Math.floor(random() * 1000),
      output: Math.floor(random() * 500),
      cost: Math.floor(random() * 5000),
      createdAt: from + Math.floor((random() * 10 * DAY) / 1000) * 1000,
    });
  }
  for (let i = 0; i < raw.length; i += 200) {
    const batch = raw.slice(i, i + 200);
    await hub.database.client.execute({
      sql: `insert into model_calls (id, request_id, user_id, type, endpoint, provider_name, model, status, input_tokens, output_tokens, cost_micro, duration_ms, ttft_ms, created_at, finished_at)
        values ${batch.map(() => "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)").join(",")}`,
      args: batch.flatMap((c, j) => [
        c.id,
        `req-${i + j}`,
        c.userId,
        "chat",
        "/api/v2/chat/completions",
        c.provider,
        c.model,
        c.status,
        c.input,
        c.output,
        c.cost,
        50 + ((i + j) % 5000),
        (i + j) % 3 ? 120 : null,
        c.createdAt,
        c.createdAt + 100,
      ]),
    });
  }
  await rebuildRollups();
});
afterAll(() => hub.cleanup());

const byNewest = (a: Raw, b: Raw) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);
const range = { from: new Date(from), to: new Date(to) };

describe("call log", () => {
  it("pages through every call newest first with a keyset cursor, no gaps or repeats", async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listCalls>> = await listCalls(range, { cursor, limit: 137 });
      ids.push(...page.calls.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual([...raw].sort(byNewest).map((c) => c.id));
  });

  it("filters by user, model, provider, status and time", async () => {
    const mid = from + 5 * DAY;
    const filters = {
      from: new Date(from),
      to: new Date(mid),
      userId: member.id,
      model: "gpt-4o-mini",
      providerName: "openai",
      status: "failed" as const,
    };
    const expected = raw
      .filter((c) => c.userId === member.id && c.model === "gpt-4o-mini" && c.status === "failed" && c.createdAt < mid)
      .sort(byNewest);
    const got = (await listCalls(filters, { limit: 500 })).calls;
    expect(got.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    expect(got[0]).toMatchObject({ userEmail: "member@example.com", status: "failed", model: "gpt-4o-mini" });
  });

  it("the export's walk gives exactly the call log's rows, filters and all", async () => {
    const filters = { ...range, userId: member.id, status: "success" as const };
    const exported: Awaited<ReturnType<typeof listCalls>>["calls"] = [];
    for await (const page of iterateCalls(filters, 97)) exported.push(...page);
    const listed: typeof exported = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listCalls>> = await listCalls(filters, { cursor, limit: 200 });
      listed.push(...page.calls);
      cursor = page.nextCursor;
    } while (cursor);
    expect(exported.length).toBe(raw.filter((c) => c.userId === member.id && c.status === "success").length);
    expect(exported).toEqual(listed);
  });
});

describe("scoping through tRPC", () => {
  const input = { from: from, to: to };
  it("a member asking for everyone's usage gets FORBIDDEN", async () => {
    const caller = callerFor(member);
    expect(await codeOf(caller.usage.totals({ ...input, scope: "all" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.usage.calls({ ...input, scope: "all" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.usage.callDetail({ id: raw[0]!.id, scope: "all" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(null).usage.totals(input))).toBe("UNAUTHORIZED");
  });

  it("a member's totals equal only their own raw calls, whatever userId they pass", async () => {
    const mine = raw.filter((c) => c.userId === member.id);
    const totals = await callerFor(member).usage.totals({ ...input, scope: "mine", userId: other.id });
    expect(totals.requests).toBe(mine.length);
    expect(totals.inputTokens).toBe(mine.reduce((s, c) => s + c.input, 0));
    expect(totals.costMicro).toBe(mine.reduce((s, c) => s + c.cost, 0));
    const calls = await callerFor(member).usage.calls({ ...input, scope: "mine", limit: 500 });
    expect(calls.calls.every((c) => c.userId === member.id)).toBe(true);
    const foreign = raw.find((c) => c.userId === other.id)!;
    expect(await codeOf(callerFor(member).usage.callDetail({ id: foreign.id }))).toBe("NOT_FOUND");
  });

  it("an admin sees everyone, or any one user", async () => {
    const caller = callerFor(admin);
    expect((await caller.usage.totals({ ...input, scope: "all" })).requests).toBe(N);
    expect((await caller.usage.totals({ ...input, scope: "all", userId: other.id })).requests).toBe(
      raw.filter((c) => c.userId === other.id).length,
    );
    const series = await caller.usage.series({ ...input, scope: "all", granularity: "day" });
    expect(series.reduce((s, b) => s + b.requests, 0)).toBe(N);
    const byUser = await caller.usage.breakdown({ ...input, scope: "all", by: "user" });
    expect(byUser.map((r) => r.label).sort()).toEqual(["admin@example.com", "member@example.com", "other@example.com"]);
    const detail = await caller.usage.callDetail({ id: raw[0]!.id, scope: "all" });
    expect(detail).toMatchObject({ id: raw[0]!.id, requestBody: null, bodyLogging: false });
  });
});

describe("CSV", () => {
  it("escapes commas, quotes, newlines and formula starts", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField("=cmd()")).toBe("'=cmd()");
    expect(csvField(null)).toBe("");
    expect(csvField(-5)).toBe("-5");
    expect(csvLine(["a,b", 1, null])).toBe('"a,b",1,\r\n');
  });

  it("streams every filtered call a page at a time", async () => {
    let pages = 0;
    async function* counted() {
      for await (const page of iterateCalls(range, 500)) {
        pages++;
        expect(page.length).toBeLessThanOrEqual(500);
        yield page;
      }
    }
    const text = await new Response(csvStream(["created_at", "request_id"], counted(), callRow)).text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("created_at,request_id");
    expect(lines.length - 1).toBe(N);
    expect(pages).toBe(Math.ceil(N / 500));
  });
});

describe("/metrics", () => {
  const get = (auth?: string) =>
    handleMetrics(new Request("http://hub/metrics", { headers: auth ? { Authorization: auth } : {} }));

  it("refuses a missing or wrong token", async () => {
    expect((await get()).status).toBe(401);
    expect((await get("Bearer wrong-token-wrong-token")).status).toBe(401);
  });

  it("serves Prometheus text whose counters equal the raw calls", async () => {
    const response = await get(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = new Map<string, number>();
    for (const line of (await response.text()).trimEnd().split("\n")) {
      if (line.startsWith("#")) {
        expect(line).toMatch(/^# (HELP|TYPE) aihub_\w+ /);
        continue;
      }
      const m = /^(aihub_\w+)(\{[^}]*\})? (-?[\d.e+]+)$/.exec(line);
      expect(m, line).toBeTruthy();
      samples.set(m![1]! + (m![2] ?? ""), Number(m![3]));
    }
    for (const [provider, model] of [
      ["openai", "gpt-4o-mini"],
      ["mock", "mock-chat"],
    ]) {
      const rows = raw.filter((c) => c.model === model);
      const labels = `{provider="${provider}",model="${model}"}`;
      expect(samples.get(`aihub_requests_total${labels}`)).toBe(rows.length);
      expect(samples.get(`aihub_request_errors_total${labels}`)).toBe(
        rows.filter((c) => c.status !== "success").length,
      );
      expect(samples.get(`aihub_output_tokens_total${labels}`)).toBe(rows.reduce((s, c) => s + c.output, 0));
      expect(samples.get(`aihub_cost_credits_total${labels}`)).toBeCloseTo(
        rows.reduce((s, c) => s + c.cost, 0) / 1e6,
        6,
      );
      expect(
        samples.get(`aihub_request_duration_seconds_bucket{provider="${provider}",model="${model}",le="+Inf"}`),
      ).toBe(rows.length);
      expect(samples.get(`aihub_request_duration_seconds_count${labels}`)).toBe(rows.length);
    }
  });
});
