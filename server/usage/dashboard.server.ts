/**
 * The usage dashboards' queries. They read the rollups only (never the raw calls), so they stay fast at millions
 * of calls: totals, a time series by hour or day, and a breakdown by model, provider, user, key or app, each
 * filtered by time range and any dimension. A range reads whole days from the day rollups and its ragged ends from
 * the hour rollups; the rows are summed here, latency sketches included, so percentiles hold for any range
 * (docs/decisions/011-latency-sketches.md).
 */
import type { Row } from "@libsql/client";
import { getDatabase } from "../db/client.server";
import { LatencySketch } from "./latency-sketch";

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
  /**
   * Percentiles in whole ms, within SKETCH_RELATIVE_ACCURACY (+ 0.5 ms rounding) of the exact ones, never outside the
   * range's fastest and slowest call.
   */
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  p99DurationMs: number | null;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
  p99TtftMs: number | null;
}

const QUANTILES = [0.5, 0.95, 0.99];
const HOUR = 3_600_000;
const DAY = 86_400_000;
const STEP: Record<Granularity, number> = { hour: HOUR, day: DAY };
const DIMENSION: Record<BreakdownBy, string> = {
  model: "model",
  provider: "provider_name",
  user: "user_id",
  key: "access_key_id",
  app: "app_name",
};
const ROW_COLUMNS = `bucket_start, requests, failed, input_tokens, output_tokens, cached_input_tokens, images, cost_micro, duration_ms_sum,
  dur_sketch, dur_min, dur_max, ttft_sketch, ttft_min, ttft_max`;

/** Rollup families (server/usage/rollup-delta.ts) by the dimensions they keep, smallest first. */
type Dimension = "userId" | "accessKeyId" | "appName" | "providerName" | "model";
const FAMILIES: Array<[suffix: string, dims: readonly Dimension[]]> = [
  ["_all", []],
  ["_user", ["userId"]],
  ["_model", ["providerName", "model"]],
  ["_key", ["userId", "accessKeyId", "appName"]],
  ["", ["userId", "accessKeyId", "appName", "providerName", "model"]],
];
const BY_FILTER: Record<BreakdownBy, Dimension> = {
  model: "model",
  provider: "providerName",
  user: "userId",
  key: "accessKeyId",
  app: "appName",
};

/** The smallest rollup family that keeps every dimension the query filters or breaks down by. */
function bucketFor(filters: UsageFilters, granularity: Granularity, breakdown?: BreakdownBy): string {
  const dims = ["userId", "accessKeyId", "appName", "providerName", "model"] as const;
  const needed: Dimension[] = dims.filter((d) => filters[d] !== undefined && filters[d] !== null);
  if (breakdown) needed.push(BY_FILTER[breakdown]);
  // The last family keeps every dimension, so one always fits.
  const suffix = FAMILIES.find(([, dims]) => needed.every((d) => dims.includes(d)))?.[0] ?? "";
  return `${granularity}${suffix}`;
}

interface Segment {
  granularity: Granularity;
  from: number;
  to: number;
}

/** Whole days from the day rollups (24× fewer rows), the hours before the first and after the last from the hours. */
function segments(from: number, to: number, finest: Granularity): Segment[] {
  const firstDay = Math.ceil(from / DAY) * DAY;
  const lastDay = Math.floor(to / DAY) * DAY;
  if (finest === "hour" || firstDay >= lastDay) return [{ granularity: "hour", from, to }];
  return [
    { granularity: "hour" as const, from, to: firstDay },
    { granularity: "day" as const, from: firstDay, to: lastDay },
    { granularity: "hour" as const, from: lastDay, to },
  ].filter((s) => s.from < s.to);
}

function where(filters: UsageFilters, bucket: string, segment: Segment): { sql: string; args: Array<string | number> } {
  const clauses = ["bucket = ?", "bucket_start >= ?", "bucket_start < ?"];
  const args: Array<string | number> = [bucket, segment.from, segment.to];
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

/** The rollup rows that make up the range, with `dim` when broken down. */
async function rollupRows(filters: UsageFilters, finest: Granularity, by?: BreakdownBy): Promise<Row[]> {
  const { client } = await getDatabase();
  const rows: Row[] = [];
  for (const segment of segments(filters.from.getTime(), filters.to.getTime(), finest)) {
    const w = where(filters, bucketFor(filters, segment.granularity, by), segment);
    const dim = by ? `${DIMENSION[by]} as dim, ` : "";
    const rs = await client.execute({
      sql: `select ${dim}${ROW_COLUMNS} from usage_rollups where ${w.sql}`,
      args: w.args,
    });
    for (const r of rs.rows) rows.push(r);
  }
  return rows;
}

const wholeMs = (v: number | null) => (v === null ? null : Math.round(v));
const bytes = (v: unknown) => (v instanceof ArrayBuffer || v instanceof Uint8Array ? v : null);

/** Sums of rollup rows, latency sketches merged. */
class Totals {
  requests = 0;
  failed = 0;
  inputTokens = 0;
  outputTokens = 0;
  cachedInputTokens = 0;
  images = 0;
  costMicro = 0;
  durationMsSum = 0;
  readonly dur = new LatencySketch();
  readonly ttft = new LatencySketch();

  add(r: Row): void {
    const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
    const extreme = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    this.requests += n(r.requests);
    this.failed += n(r.failed);
    this.inputTokens += n(r.input_tokens);
    this.outputTokens += n(r.output_tokens);
    this.cachedInputTokens += n(r.cached_input_tokens);
    this.images += n(r.images);
    this.costMicro += n(r.cost_micro);
    this.durationMsSum += n(r.duration_ms_sum);
    this.dur.mergeEncoded(bytes(r.dur_sketch), extreme(r.dur_min), extreme(r.dur_max));
    this.ttft.mergeEncoded(bytes(r.ttft_sketch), extreme(r.ttft_min), extreme(r.ttft_max));
  }

  metrics(): UsageMetrics {
    const timed = this.dur.total;
    // Whole milliseconds, as before: within the sketch's accuracy plus half a millisecond, still inside [min, max].
    const [p50DurationMs, p95DurationMs, p99DurationMs] = this.dur.quantiles(QUANTILES).map(wholeMs);
    const [p50TtftMs, p95TtftMs, p99TtftMs] = this.ttft.quantiles(QUANTILES).map(wholeMs);
    return {
      requests: this.requests,
      failed: this.failed,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cachedInputTokens: this.cachedInputTokens,
      images: this.images,
      costMicro: this.costMicro,
      errorRate: this.requests ? this.failed / this.requests : 0,
      avgDurationMs: timed ? Math.round(this.durationMsSum / timed) : null,
      p50DurationMs: p50DurationMs ?? null,
      p95DurationMs: p95DurationMs ?? null,
      p99DurationMs: p99DurationMs ?? null,
      p50TtftMs: p50TtftMs ?? null,
      p95TtftMs: p95TtftMs ?? null,
      p99TtftMs: p99TtftMs ?? null,
    };
  }
}

export async function usageTotals(filters: UsageFilters): Promise<UsageMetrics> {
  const totals = new Totals();
  for (const r of await rollupRows(filters, "day")) totals.add(r);
  return totals.metrics();
}

/**
 * One point per hour or day (UTC) from the bucket holding `from` up to `to`, zeros where nothing happened, so a
 * chart's axis is the whole range. A range that starts or ends inside a day counts only its own hours of that day.
 */
export async function usageSeries(
  filters: UsageFilters,
  granularity: Granularity,
): Promise<Array<UsageMetrics & { bucketStart: number }>> {
  const step = STEP[granularity];
  const first = filters.from.getTime() - (filters.from.getTime() % step);
  const buckets = new Map<number, Totals>();
  for (let t = first; t < filters.to.getTime(); t += step) buckets.set(t, new Totals());
  for (const r of await rollupRows(filters, granularity)) {
    const start = Number(r.bucket_start);
    buckets.get(start - (start % step))?.add(r);
  }
  return [...buckets].map(([bucketStart, totals]) => ({ bucketStart, ...totals.metrics() }));
}

export async function usageBreakdown(
  filters: UsageFilters,
  by: BreakdownBy,
  limit = 20,
): Promise<Array<UsageMetrics & { key: string }>> {
  const groups = new Map<string, Totals>();
  for (const r of await rollupRows(filters, "day", by)) {
    const key = String(r.dim ?? "");
    let totals = groups.get(key);
    if (!totals) groups.set(key, (totals = new Totals()));
    totals.add(r);
  }
  return [...groups]
    .map(([key, totals]) => ({ key, ...totals.metrics() }))
    .sort((a, b) => b.requests - a.requests || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, limit);
}
