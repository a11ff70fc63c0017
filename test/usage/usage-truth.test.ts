/**
 * The usage pages tell the truth, read the way the browser reads them: tRPC over HTTP with a session cookie (the
 * procedures /usage and /admin/usage call) and both CSV downloads, against the call records. Counts, tokens and
 * cost exactly; latency and TTFT percentiles within the sketch's stated accuracy of the exact ones computed here from
 * the records, never outside the fastest and slowest call; one point per day or hour of the range, zeros included;
 * and calls that failed at a provider counted under that provider and model, through the real gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createUserSession } from "@server/auth/session.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import { SKETCH_RELATIVE_ACCURACY } from "@server/usage/latency-sketch";
import { startFakeUpstream, type FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { exactQuantile, withinAccuracy } from "@test/helpers/exact-quantile";
import { seededRandom } from "@test/helpers/seeded-random";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const to = Math.ceil((Date.now() + 1) / DAY) * DAY; // "Last 7 days" by day ends at the next UTC midnight
const from = to - 7 * DAY;

let hub: TempHub;
let api: ApiServer;
let flaky: FakeUpstream;
let admin: UserRow;
let loner: UserRow;
const cookies = new Map<string, string>();

async function cookieFor(user: UserRow): Promise<string> {
  if (!cookies.has(user.id))
    cookies.set(user.id, (await createUserSession(user.id, new Request("http://localhost:3999/"))).split(";")[0]!);
  return cookies.get(user.id)!;
}

/** A tRPC query over HTTP, as the page's client sends it. */
async function query<T>(user: UserRow, path: string, input: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${api.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { cookie: await cookieFor(user) },
  });
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  expect(response.status, JSON.stringify(body.error)).toBe(200);
  return body.result!.data;
}

async function csv(
  user: UserRow,
  path: string,
  params: Record<string, string | number>,
): Promise<Array<Record<string, string>>> {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const response = await fetch(`${api.url}${path}?${q}`, { headers: { cookie: await cookieFor(user) } });
  expect(response.status).toBe(200);
  const [header, ...lines] = (await response.text()).trimEnd().split("\r\n");
  const names = header!.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i]!, v])));
}

interface RawCall {
  status: string;
  provider_name: string | null;
  model: string | null;
  requested_model: string | null;
  user_id: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_micro: number | null;
  duration_ms: number | null;
  ttft_ms: number | null;
}

async function records(where = "1 = 1", args: Array<string | number> = []): Promise<RawCall[]> {
  await callRecorder.flush();
  const rs = await hub.database.client.execute({
    sql: `select status, provider_name, model, requested_model, user_id, input_tokens, output_tokens, cost_micro, duration_ms, ttft_ms
      from model_calls where status != 'processing' and created_at >= ? and created_at < ? and ${where}`,
    args: [from, to, ...args],
  });
  const text = (v: unknown) => (v === null ? null : String(v));
  const num = (v: unknown) => (v === null ? null : Number(v));
  return rs.rows.map((r) => ({
    status: String(r.status),
    provider_name: text(r.provider_name),
    model: text(r.model),
    requested_model: text(r.requested_model),
    user_id: String(r.user_id),
    input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens),
    cost_micro: num(r.cost_micro),
    duration_ms: num(r.duration_ms),
    ttft_ms: num(r.ttft_ms),
  }));
}

const sum = (calls: RawCall[], k: "input_tokens" | "output_tokens" | "cost_micro") =>
  calls.reduce((a, c) => a + (c[k] ?? 0), 0);
const latencies = (calls: RawCall[], k: "duration_ms" | "ttft_ms") =>
  calls.map((c) => c[k]).filter((v): v is number => v !== null);

type Metrics = Record<"requests" | "failed" | "inputTokens" | "outputTokens" | "costMicro", number> &
  Record<`p${50 | 95 | 99}${"DurationMs" | "TtftMs"}`, number | null>;

/** Exact for counts, tokens and cost; within the stated accuracy (+ rounding to whole ms), inside [min, max], for percentiles. */
function expectTruth(shown: Metrics, calls: RawCall[], label: string, slackMs = 0.5) {
  expect(shown.requests, label).toBe(calls.length);
  expect(shown.failed, label).toBe(calls.filter((c) => c.status !== "success").length);
  expect(shown.inputTokens, label).toBe(sum(calls, "input_tokens"));
  expect(shown.outputTokens, label).toBe(sum(calls, "output_tokens"));
  expect(shown.costMicro, label).toBe(sum(calls, "cost_micro"));
  for (const [kind, column] of [
    ["DurationMs", "duration_ms"],
    ["TtftMs", "ttft_ms"],
  ] as const) {
    const values = latencies(calls, column);
    for (const q of [50, 95, 99] as const) {
      const value = shown[`p${q}${kind}`];
      const exact = exactQuantile(values, q / 100);
      expect(
        withinAccuracy(value, exact, SKETCH_RELATIVE_ACCURACY, slackMs),
        `${label} p${q} ${kind}: shown ${value}, exact ${exact}`,
      ).toBe(true);
      if (value !== null) {
        expect(value, `${label} p${q} ${kind} above the slowest call`).toBeLessThanOrEqual(Math.max(...values));
        expect(value, `${label} p${q} ${kind} below the fastest call`).toBeGreaterThanOrEqual(Math.min(...values));
      }
    }
  }
}

beforeAll(async () => {
  hub = await createTempHub();
  admin = await createUser({ email: "admin@example.com", role: "admin" }, CLI_ACTOR);
  loner = await createUser({ email: "loner@example.com", role: "member" }, CLI_ACTOR);
  const { key, user: member } = await seedUserWithKey("member@example.com");
  flaky = await startFakeUpstream((_req, res) => {
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: "fake 500", type: "server_error", param: null, code: null } }));
  });
  await seedProvider({ kind: "mock", name: "mock" }, [{ model: "mock-chat" }]);
  await seedProvider({ kind: "openai", name: "flaky", baseUrl: `${flaky.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini" },
  ]);
  api = await startApiServer();

  // Through the real gateway: answers, failures at a provider, and a model that does not exist.
  const chat = (model: string) =>
    fetch(`${api.url}/api/v2/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "hello" }] }),
    }).then((r) => r.status);
  expect(await Promise.all([chat("mock/mock-chat"), chat("mock/mock-chat"), chat("mock/mock-chat")])).toEqual([
    200, 200, 200,
  ]);
  expect(await chat("flaky/gpt-4o-mini")).toBe(500);
  expect(await chat("flaky/gpt-4o-mini")).toBe(500);
  expect(await chat("nobody/no-such-model")).toBe(404);

  // 120 recorded calls over the week: fast ones under 100 ms, a long tail, streams with TTFT; none on day 3 (a gap
  // the chart must still show), some failures.
  const random = seededRandom(14);
  const finishing: Array<Promise<void>> = [];
  for (let i = 0; i < 120; i++) {
    let day = Math.floor(random() * 7);
    if (day === 3) day = 4;
    const createdAt = new Date(from + day * DAY + Math.floor(random() * DAY));
    const fast = random() < 0.6;
    const id = callRecorder.start({
      requestId: `seeded-${i}`,
      type: "chat",
      endpoint: "/api/v2/chat/completions",
      userId: i % 4 ? admin.id : member.id,
      createdAt,
    });
    finishing.push(
      callRecorder.finish(id, {
        status: random() < 0.1 ? "failed" : "success",
        providerName: i % 3 ? "openai" : "anthropic",
        model: i % 3 ? "gpt-4o" : "claude-haiku-4-5",
        inputTokens: Math.floor(random() * 3000),
        outputTokens: random() < 0.1 ? null : Math.floor(random() * 900),
        costMicro: Math.floor(random() * 20_000),
        durationMs: fast ? 20 + Math.floor(random() * 80) : 300 + Math.floor(random() ** 3 * 20_000),
        ttftMs: random() < 0.5 ? 10 + Math.floor(random() * 60) : null,
      }),
    );
  }
  // One member with one 115 ms call.
  const one = callRecorder.start({
    requestId: "loner-1",
    type: "chat",
    endpoint: "/api/v2/chat/completions",
    userId: loner.id,
    createdAt: new Date(from + 2 * DAY + 5 * HOUR),
  });
  finishing.push(
    callRecorder.finish(one, {
      status: "success",
      providerName: "openai",
      model: "gpt-4o",
      inputTokens: 10,
      outputTokens: 5,
      costMicro: 77,
      durationMs: 115,
      ttftMs: 41,
    }),
  );
  await callRecorder.flush();
  await Promise.all(finishing);
  expect(member.role).toBe("member");
});

afterAll(async () => {
  await api.close();
  await flaky.close();
  await hub.cleanup();
});

const range = { from, to };

describe("/admin/usage over HTTP", () => {
  it("totals equal the records: counts, tokens and cost exactly, percentiles within the sketch's accuracy", async () => {
    const totals = await query<Metrics>(admin, "usage.totals", { ...range, scope: "all" });
    const calls = await records();
    expect(calls.length).toBe(127);
    expectTruth(totals, calls, "everyone");
    const mine = await query<Metrics>(admin, "usage.totals", { ...range, scope: "all", userId: admin.id });
    expectTruth(mine, await records("user_id = ?", [admin.id]), "one user");
  });

  it("every breakdown row equals its records, and failures land under the provider and model that failed", async () => {
    for (const [by, column] of [
      ["model", "model"],
      ["provider", "provider_name"],
      ["user", "user_id"],
    ] as const) {
      const rows = await query<Array<Metrics & { key: string; errorRate: number }>>(admin, "usage.breakdown", {
        ...range,
        scope: "all",
        by,
      });
      const calls = await records();
      const keys = new Set(calls.map((c) => c[column] ?? ""));
      expect(rows.map((r) => r.key).sort()).toEqual([...keys].sort());
      for (const row of rows)
        expectTruth(
          row,
          calls.filter((c) => (c[column] ?? "") === row.key),
          `${by} ${row.key}`,
        );
    }
    const byModel = await query<Array<Metrics & { key: string; errorRate: number }>>(admin, "usage.breakdown", {
      ...range,
      scope: "all",
      by: "model",
    });
    expect(byModel.find((r) => r.key === "gpt-4o-mini")).toMatchObject({ requests: 2, failed: 2, errorRate: 1 });
    const byProvider = await query<Array<Metrics & { key: string }>>(admin, "usage.breakdown", {
      ...range,
      scope: "all",
      by: "provider",
    });
    expect(byProvider.find((r) => r.key === "flaky")).toMatchObject({ requests: 2, failed: 2 });
    expect(byProvider.find((r) => r.key === "mock")).toMatchObject({ requests: 3, failed: 0 });
    // Only the call no provider was asked for is without one; it keeps the model that was asked for.
    const unrouted = await records("provider_name is null");
    expect(unrouted.map((c) => [c.status, c.requested_model, c.model])).toEqual([
      ["failed", "nobody/no-such-model", null],
    ]);
    expect(byProvider.find((r) => r.key === "")).toMatchObject({ requests: 1, failed: 1 });
  });

  it("a series has one point per day (or hour) of the range, zeros where nothing happened, summing to the totals", async () => {
    type Point = Metrics & { bucketStart: number };
    const days = await query<Point[]>(admin, "usage.series", { ...range, scope: "all", granularity: "day" });
    expect(days.map((p) => p.bucketStart)).toEqual(Array.from({ length: 7 }, (_, i) => from + i * DAY));
    expect(days[3]).toMatchObject({ requests: 0, costMicro: 0, p50DurationMs: null });
    for (const [i, point] of days.entries()) {
      expectTruth(
        point,
        await records("created_at >= ? and created_at < ?", [from + i * DAY, from + (i + 1) * DAY]),
        `day ${i}`,
      );
    }
    const dayTwo = { from: from + 2 * DAY, to: from + 3 * DAY };
    const hours = await query<Point[]>(admin, "usage.series", { ...dayTwo, scope: "all", granularity: "hour" });
    expect(hours.map((p) => p.bucketStart)).toEqual(Array.from({ length: 24 }, (_, i) => dayTwo.from + i * HOUR));
    expect(hours.reduce((a, p) => a + p.requests, 0)).toBe(days[2]!.requests);
    expect(hours.filter((p) => p.requests === 0).length).toBeGreaterThan(0);
  });

  it("the summary CSV says what the table says, and the calls CSV lists every call with its provider and model", async () => {
    const table = await query<Array<Metrics & { key: string }>>(admin, "usage.breakdown", {
      ...range,
      scope: "all",
      by: "model",
      limit: 200,
    });
    const summary = await csv(admin, "/api/usage/export/summary", { ...range, scope: "all", by: "model" });
    const calls = await records();
    expect(summary.map((r) => r.model)).toEqual(table.map((r) => r.key));
    for (const line of summary) {
      const group = calls.filter((c) => (c.model ?? "") === line.model);
      const shown: Metrics = {
        requests: Number(line.requests),
        failed: Number(line.failed),
        inputTokens: Number(line.input_tokens),
        outputTokens: Number(line.output_tokens),
        costMicro: Math.round(Number(line.cost_credits) * 1e6),
        ...Object.fromEntries(
          [50, 95, 99]
            .flatMap((q) => [
              [`p${q}DurationMs`, line[`p${q}_duration_ms`]],
              [`p${q}TtftMs`, line[`p${q}_ttft_ms`]],
            ])
            .map(([k, v]) => [k, v === "" ? null : Number(v)]),
        ),
      } as Metrics;
      expectTruth(shown, group, `CSV ${line.model}`); // whole milliseconds, as on the page
    }
    const lines = await csv(admin, "/api/usage/export/calls", { ...range, scope: "all" });
    expect(lines).toHaveLength(calls.length);
    expect(
      lines.filter((l) => l.provider === "flaky" && l.model === "gpt-4o-mini" && l.status === "failed"),
    ).toHaveLength(2);
  });
});

describe("/usage over HTTP", () => {
  it("a single call's p50, p95 and p99 are its own latency", async () => {
    const totals = await query<Metrics>(loner, "usage.totals", { ...range, scope: "mine" });
    expect(totals).toMatchObject({
      requests: 1,
      p50DurationMs: 115,
      p95DurationMs: 115,
      p99DurationMs: 115,
      p50TtftMs: 41,
      p95TtftMs: 41,
      p99TtftMs: 41,
    });
    const rows = await query<Array<Metrics & { key: string }>>(loner, "usage.breakdown", {
      ...range,
      scope: "mine",
      by: "model",
    });
    expect(rows).toEqual([
      expect.objectContaining({ key: "gpt-4o", p50DurationMs: 115, p95DurationMs: 115, p99DurationMs: 115 }),
    ]);
    const summary = await csv(loner, "/api/usage/export/summary", { ...range, scope: "mine", by: "model" });
    expect(summary).toEqual([
      expect.objectContaining({
        model: "gpt-4o",
        p50_duration_ms: "115",
        p95_duration_ms: "115",
        p99_duration_ms: "115",
        p99_ttft_ms: "41",
      }),
    ]);
  });
});
