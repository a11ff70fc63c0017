/**
 * The usage dashboards' queries. They read the rollups only (never the raw calls), so they stay fast at millions
 * of calls: totals, a time series by hour or day, and a breakdown by model, provider, user, key or app, each
 * filtered by time range and any dimension. Percentiles come from the rollups' latency histograms.
 */
import { LATENCY_BUCKETS_MS } from "../../drizzle/schema/usage";
import { getDatabase } from "../db/client.server";
import { histogramPercentile } from "./percentile";

export interface UsageFilters {
  from: Date;
  to: Date;
  userId?: string | null;
  accessKeyId?: string | null;
  appName?: string | null;
  providerName?: string | null;
  model?: string | null;
}

export type Granularity = "hour" | "day";
export type BreakdownBy = "model" | "provider" | "user" | "key" | "app";

export interface UsageMetrics {
  requests: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  images: number;
  costMicro: number;
  errorRate: number;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
}

const BUCKETS = LATENCY_BUCKETS_MS.length + 1;
const hist = (prefix: string) => Array.from({ length: BUCKETS }, (_, i) => `sum(${prefix}_b${i}) as ${prefix}_b${i}`).join(", ");
const METRICS_SQL = `sum(requests) as requests, sum(failed) as failed, sum(input_tokens) as input_tokens,
  sum(output_tokens) as output_tokens, sum(cached_input_tokens) as cached_input_tokens, sum(images) as images,
  sum(cost_micro) as cost_micro, sum(duration_ms_sum) as duration_ms_sum, ${hist("dur")}, ${hist("ttft")}`;

const DIMENSION: Record<BreakdownBy, string> = { model: "model", provider: "provider_name", user: "user_id", key: "access_key_id", app: "app_name" };

/** Whole days use the day rollups (30× fewer rows); anything finer needs hours. */
function granularityFor(filters: UsageFilters): Granularity {
  const day = 86_400_000;
  return filters.from.getTime() % day === 0 && filters.to.getTime() % day === 0 ? "day" : "hour";
}

/** The coarsest rollup family that can answer: the whole hub, one user, or every dimension. */
function bucketFor(filters: UsageFilters, granularity: Granularity, breakdown?: BreakdownBy): string {
  const narrowed = filters.accessKeyId || filters.appName || filters.providerName || filters.model;
  if (narrowed || (breakdown && breakdown !== "user")) return granularity;
  if (filters.userId || breakdown === "user") return `${granularity}_user`;
  return `${granularity}_all`;
}

function where(filters: UsageFilters, bucket: string): { sql: string; args: Array<string | number> } {
  const clauses = ["bucket = ?", "bucket_start >= ?", "bucket_start < ?"];
  const args: Array<string | number> = [bucket, filters.from.getTime(), filters.to.getTime()];
  const eq = (column: string, value: string | null | undefined) => {
    if (value === undefined || value === null) return;
    clauses.push(`${column} = ?`);
    args.push(value);
  };
  eq("user_id", filters.userId);
  eq("access_key_id", filters.accessKeyId);
  eq("app_name", filters.appName);
  eq("provider_name", filters.providerName);
  eq("model", filters.model);
  return { sql: clauses.join(" and "), args };
}

function toMetrics(r: Record<string, unknown>): UsageMetrics {
  const n = (k: string) => Number(r[k] ?? 0);
  const dur = Array.from({ length: BUCKETS }, (_, i) => n(`dur_b${i}`));
  const ttft = Array.from({ length: BUCKETS }, (_, i) => n(`ttft_b${i}`));
  const requests = n("requests");
  const timed = dur.reduce((a, b) => a + b, 0);
  return {
    requests,
    failed: n("failed"),
    inputTokens: n("input_tokens"),
    outputTokens: n("output_tokens"),
    cachedInputTokens: n("cached_input_tokens"),
    images: n("images"),
    costMicro: n("cost_micro"),
    errorRate: requests ? n("failed") / requests : 0,
    avgDurationMs: timed ? Math.round(n("duration_ms_sum") / timed) : null,
    p50DurationMs: histogramPercentile(dur, 0.5),
    p95DurationMs: histogramPercentile(dur, 0.95),
    p50TtftMs: histogramPercentile(ttft, 0.5),
    p95TtftMs: histogramPercentile(ttft, 0.95),
  };
}

export async function usageTotals(filters: UsageFilters): Promise<UsageMetrics> {
  const { client } = await getDatabase();
  const w = where(filters, bucketFor(filters, granularityFor(filters)));
  const rs = await client.execute({ sql: `select ${METRICS_SQL} from usage_rollups where ${w.sql}`, args: w.args });
  return toMetrics(rs.rows[0] ?? {});
}

export async function usageSeries(filters: UsageFilters, granularity: Granularity): Promise<Array<UsageMetrics & { bucketStart: number }>> {
  const { client } = await getDatabase();
  const w = where(filters, bucketFor(filters, granularity));
  const rs = await client.execute({
    sql: `select bucket_start, ${METRICS_SQL} from usage_rollups where ${w.sql} group by bucket_start order by bucket_start`,
    args: w.args,
  });
  return rs.rows.map((r) => ({ bucketStart: Number(r.bucket_start), ...toMetrics(r) }));
}

export async function usageBreakdown(filters: UsageFilters, by: BreakdownBy, limit = 20): Promise<Array<UsageMetrics & { key: string }>> {
  const { client } = await getDatabase();
  const w = where(filters, bucketFor(filters, granularityFor(filters), by));
  const column = DIMENSION[by];
  const rs = await client.execute({
    sql: `select ${column} as dim, ${METRICS_SQL} from usage_rollups where ${w.sql} group by ${column} order by sum(requests) desc limit ?`,
    args: [...w.args, limit],
  });
  return rs.rows.map((r) => ({ key: String(r.dim ?? ""), ...toMetrics(r) }));
}
