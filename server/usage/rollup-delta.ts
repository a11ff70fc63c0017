/**
 * What one finished call adds to the usage rollups: one delta per bucket (hour and day, UTC, by the call's
 * start time, so a call that ends after the hour still counts in the hour it was made). Pure.
 */
import { LATENCY_BUCKETS_MS } from "../../drizzle/schema/usage";

export type Bucket = "hour" | "day";
/**
 * Which rollup rows a call adds to: all dimensions, the user alone, the whole hub, its model (with the provider), or
 * its key (with the key's user and app). The narrower families let the dashboards read a few hundred rows for a
 * month instead of one per user × key × model.
 */
export type RollupFamily = "" | "_user" | "_all" | "_model" | "_key";
const BUCKET_MS: Record<Bucket, number> = { hour: 3_600_000, day: 86_400_000 };

export function bucketStart(time: number, bucket: Bucket): number {
  return time - (time % BUCKET_MS[bucket]);
}

export interface FinishedCall {
  createdAt: Date | number;
  status: string;
  userId?: string | null;
  accessKeyId?: string | null;
  appName?: string | null;
  providerName?: string | null;
  model?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  cachedInputTokens?: number | null;
  images?: number | null;
  costMicro?: number | null;
  durationMs?: number | null;
  ttftMs?: number | null;
}

/** Which rollup row: its bucket (with family), the bucket's start and its dimensions ("" where the family has none). */
export interface RollupKeyFields {
  bucket: `${Bucket}${RollupFamily}`;
  bucketStart: number;
  userId: string;
  accessKeyId: string;
  appName: string;
  providerName: string;
  model: string;
}

/** What a batch of calls adds to one rollup row: counters in ROLLUP_METRICS order, and latencies for its sketches. */
export interface RollupDelta extends RollupKeyFields {
  sums: Float64Array;
  /** The latencies this delta adds to the row's sketches and min/max (one per call that has it). */
  durValues: number[];
  ttftValues: number[];
}

export const DURATION_BUCKET_KEYS = [
  "durB0",
  "durB1",
  "durB2",
  "durB3",
  "durB4",
  "durB5",
  "durB6",
  "durB7",
  "durB8",
  "durB9",
] as const;
export const TTFT_BUCKET_KEYS = [
  "ttftB0",
  "ttftB1",
  "ttftB2",
  "ttftB3",
  "ttftB4",
  "ttftB5",
  "ttftB6",
  "ttftB7",
  "ttftB8",
  "ttftB9",
] as const;

/** Index of the histogram bucket a latency falls in. */
export function latencyBucket(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? LATENCY_BUCKETS_MS.length : i;
}

export const ROLLUP_METRICS = [
  "requests",
  "failed",
  "inputTokens",
  "outputTokens",
  "cachedInputTokens",
  "images",
  "costMicro",
  "durationMsSum",
  "ttftMsSum",
  "ttftCount",
  ...DURATION_BUCKET_KEYS,
  ...TTFT_BUCKET_KEYS,
] as const;

const BUCKETS = ["hour", "day"] as const;
/** Where each counter sits in a row's sums. */
const AT = Object.fromEntries(ROLLUP_METRICS.map((m, i) => [m, i])) as Record<(typeof ROLLUP_METRICS)[number], number>;

/**
 * Adds one finished call to the deltas of the ten rollup rows it counts in (hour and day, each in every family),
 * kept in `deltas` by rollupKey. Counters go straight into each row's sums: building a forty-field delta object per
 * row and merging them afterwards cost more than the rest of a call's rollup.
 */
export function addCall(deltas: Map<string, RollupDelta>, call: FinishedCall): void {
  forEachRollupRow(call, (key, fields) => {
    let d = deltas.get(key);
    if (!d) {
      d = { ...fields(), sums: new Float64Array(ROLLUP_METRICS.length), durValues: [], ttftValues: [] };
      deltas.set(key, d);
    }
    addCallCounters(d.sums, call);
    if (call.durationMs !== null && call.durationMs !== undefined) d.durValues.push(call.durationMs);
    if (call.ttftMs !== null && call.ttftMs !== undefined) d.ttftValues.push(call.ttftMs);
  });
}

/** The deltas of these calls, one per rollup row they touch. */
export function rollupDeltas(calls: Iterable<FinishedCall>): RollupDelta[] {
  const deltas = new Map<string, RollupDelta>();
  for (const call of calls) addCall(deltas, call);
  return [...deltas.values()];
}

/** Adds a call's counters (ROLLUP_METRICS order) to a row's sums. */
export function addCallCounters(sums: Float64Array, call: FinishedCall): void {
  sums[AT.requests]! += 1;
  if (call.status !== "success") sums[AT.failed]! += 1;
  sums[AT.inputTokens]! += call.inputTokens ?? 0;
  sums[AT.outputTokens]! += call.outputTokens ?? 0;
  sums[AT.cachedInputTokens]! += call.cachedInputTokens ?? 0;
  sums[AT.images]! += call.images ?? 0;
  sums[AT.costMicro]! += call.costMicro ?? 0;
  if (call.durationMs !== null && call.durationMs !== undefined) {
    sums[AT.durationMsSum]! += call.durationMs;
    sums[AT.durB0 + latencyBucket(call.durationMs)]! += 1;
  }
  if (call.ttftMs !== null && call.ttftMs !== undefined) {
    sums[AT.ttftMsSum]! += call.ttftMs;
    sums[AT.ttftCount]! += 1;
    sums[AT.ttftB0 + latencyBucket(call.ttftMs)]! += 1;
  }
}

/**
 * Calls `visit` with the key of each of the ten rollup rows a call counts in, and a function that builds the row's
 * key fields (only needed for a row not seen yet).
 */
export function forEachRollupRow(
  call: FinishedCall,
  visit: (key: string, fields: () => RollupKeyFields) => void,
): void {
  const time = call.createdAt instanceof Date ? call.createdAt.getTime() : call.createdAt;
  const userId = call.userId ?? "";
  const accessKeyId = call.accessKeyId ?? "";
  const appName = call.appName ?? "";
  const providerName = call.providerName ?? "";
  const model = call.model ?? "";
  for (const bucket of BUCKETS) {
    const start = bucketStart(time, bucket);
    const row = (family: RollupFamily, u: string, k: string, a: string, p: string, m: string) => {
      const b = `${bucket}${family}` as const;
      visit(keyOf(b, start, u, k, a, p, m), () => ({
        bucket: b,
        bucketStart: start,
        userId: u,
        accessKeyId: k,
        appName: a,
        providerName: p,
        model: m,
      }));
    };
    row("", userId, accessKeyId, appName, providerName, model);
    row("_user", userId, "", "", "", "");
    row("_all", "", "", "", "", "");
    row("_model", "", "", "", providerName, model);
    row("_key", userId, accessKeyId, appName, "", "");
  }
}

const SEP = "\u0000";
function keyOf(bucket: string, start: number, u: string, k: string, a: string, p: string, m: string): string {
  return bucket + SEP + start + SEP + u + SEP + k + SEP + a + SEP + p + SEP + m;
}

export function rollupKey(d: RollupKeyFields): string {
  return keyOf(d.bucket, d.bucketStart, d.userId, d.accessKeyId, d.appName, d.providerName, d.model);
}
