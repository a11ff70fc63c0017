/**
 * GET /metrics: the hub's usage counters per provider and model in Prometheus' text format, read from the day
 * rollups (so they are totals since the rollups began, i.e. counters, and cost one small query). Protected by a
 * bearer token: env HUB_METRICS_TOKEN, else the SHA-256 stored in settings (metricsTokenHash); neither → 404.
 */
import { timingSafeEqual } from "node:crypto";
import { LATENCY_BUCKETS_MS } from "../../drizzle/schema/usage";
import { formatMicro } from "../billing/money";
import { sha256Hex } from "../crypto/tokens";
import { getDatabase } from "../db/client.server";
import { getEnv } from "../env.server";
import { getSettings } from "../settings/settings.server";
import { Exposition } from "./prometheus";

const BUCKETS = LATENCY_BUCKETS_MS.length + 1;
const BOUNDS_S = LATENCY_BUCKETS_MS.map((ms) => ms / 1000);

function sums(prefix: string) {
  return Array.from({ length: BUCKETS }, (_, i) => `sum(${prefix}_b${i}) as ${prefix}_b${i}`).join(", ");
}

export async function renderMetrics(): Promise<string> {
  const { client } = await getDatabase();
  const rs = await client.execute(`select provider_name, model, sum(requests) as requests, sum(failed) as failed,
    sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens, sum(cost_micro) as cost_micro,
    sum(duration_ms_sum) as duration_ms_sum, sum(ttft_ms_sum) as ttft_ms_sum, ${sums("dur")}, ${sums("ttft")}
    from usage_rollups where bucket = 'day' group by provider_name, model order by provider_name, model`);
  const rows = rs.rows.map((r) => {
    const n = (k: string) => Number(r[k] ?? 0);
    return {
      labels: { provider: String(r.provider_name ?? ""), model: String(r.model ?? "") },
      requests: n("requests"),
      failed: n("failed"),
      input: n("input_tokens"),
      output: n("output_tokens"),
      cost: n("cost_micro"),
      durSum: n("duration_ms_sum") / 1000,
      ttftSum: n("ttft_ms_sum") / 1000,
      dur: Array.from({ length: BUCKETS }, (_, i) => n(`dur_b${i}`)),
      ttft: Array.from({ length: BUCKETS }, (_, i) => n(`ttft_b${i}`)),
    };
  });
  const out = new Exposition();
  const counter = (name: string, help: string, value: (r: (typeof rows)[number]) => number) => {
    out.family(name, "counter", help);
    for (const r of rows) out.sample(name, r.labels, value(r));
  };
  counter("aihub_requests_total", "Model calls finished.", (r) => r.requests);
  counter("aihub_request_errors_total", "Model calls that failed or were aborted.", (r) => r.failed);
  counter("aihub_input_tokens_total", "Input (prompt) tokens.", (r) => r.input);
  counter("aihub_output_tokens_total", "Output (completion) tokens.", (r) => r.output);
  counter("aihub_cost_credits_total", "Cost in credits.", (r) => Number(formatMicro(r.cost)));
  out.family("aihub_request_duration_seconds", "histogram", "Duration of model calls.");
  for (const r of rows) out.histogram("aihub_request_duration_seconds", r.labels, BOUNDS_S, r.dur, r.durSum);
  out.family("aihub_time_to_first_token_seconds", "histogram", "Time to the first streamed token.");
  for (const r of rows) out.histogram("aihub_time_to_first_token_seconds", r.labels, BOUNDS_S, r.ttft, r.ttftSum);
  return out.toString();
}

const same = (a: string, b: string) => timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));

export async function handleMetrics(request: Request): Promise<Response> {
  const envToken = getEnv().HUB_METRICS_TOKEN;
  const expected = envToken ? sha256Hex(envToken) : (await getSettings()).metricsTokenHash;
  if (!expected) return new Response("Not Found\n", { status: 404 });
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  const given = m?.[1];
  if (!given || !same(sha256Hex(given), expected)) {
    return new Response("Unauthorized\n", { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
  }
  return new Response(await renderMetrics(), {
    headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" },
  });
}
