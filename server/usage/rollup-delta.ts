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

export interface RollupDelta {
  bucket: `${Bucket}${RollupFamily}`;
  bucketStart: number;
  userId: string;
  accessKeyId: string;
  appName: string;
  providerName: string;
  model: string;
  requests: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  images: number;
  costMicro: number;
  durationMsSum: number;
  ttftMsSum: number;
  ttftCount: number;
  /** The latencies this delta adds to the row's sketches and min/max (one per call that has it). */
  durValues: number[];
  ttftValues: number[];
  /** Latency histograms for /metrics (count per LATENCY_BUCKETS_MS bucket). */
  durB0: number;
  durB1: number;
  durB2: number;
  durB3: number;
  durB4: number;
  durB5: number;
  durB6: number;
  durB7: number;
  durB8: number;
  durB9: number;
  ttftB0: number;
  ttftB1: number;
  ttftB2: number;
  ttftB3: number;
  ttftB4: number;
  ttftB5: number;
  ttftB6: number;
  ttftB7: number;
  ttftB8: number;
  ttftB9: number;
}

const HIST = Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, i) => i);
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

function histogram(prefix: "dur" | "ttft", ms: number | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of HIST) out[`${prefix}B${i}`] = 0;
  if (ms !== null && ms !== undefined) out[`${prefix}B${latencyBucket(ms)}`] = 1;
  return out;
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

type LatencyValues = "durValues" | "ttftValues";

export function rollupDeltas(call: FinishedCall): RollupDelta[] {
  const time = call.createdAt instanceof Date ? call.createdAt.getTime() : call.createdAt;
  const metrics = {
    requests: 1,
    failed: call.status === "success" ? 0 : 1,
    inputTokens: call.inputTokens ?? 0,
    outputTokens: call.outputTokens ?? 0,
    cachedInputTokens: call.cachedInputTokens ?? 0,
    images: call.images ?? 0,
    costMicro: call.costMicro ?? 0,
    durationMsSum: call.durationMs ?? 0,
    ttftMsSum: call.ttftMs ?? 0,
    ttftCount: call.ttftMs === null || call.ttftMs === undefined ? 0 : 1,
    ...histogram("dur", call.durationMs),
    ...histogram("ttft", call.ttftMs),
  } as Omit<
    RollupDelta,
    "bucket" | "bucketStart" | "userId" | "accessKeyId" | "appName" | "providerName" | "model" | LatencyValues
  >;
  // Each delta gets its own arrays: mergeDeltas appends to them.
  const values = () => ({
    durValues: call.durationMs === null || call.durationMs === undefined ? [] : [call.durationMs],
    ttftValues: call.ttftMs === null || call.ttftMs === undefined ? [] : [call.ttftMs],
  });
  const none = { userId: "", accessKeyId: "", appName: "", providerName: "", model: "" };
  return (["hour", "day"] as const).flatMap((bucket) => {
    const start = bucketStart(time, bucket);
    return [
      {
        bucket,
        bucketStart: start,
        userId: call.userId ?? "",
        accessKeyId: call.accessKeyId ?? "",
        appName: call.appName ?? "",
        providerName: call.providerName ?? "",
        model: call.model ?? "",
        ...metrics,
        ...values(),
      },
      {
        bucket: `${bucket}_user` as const,
        bucketStart: start,
        ...none,
        userId: call.userId ?? "",
        ...metrics,
        ...values(),
      },
      { bucket: `${bucket}_all` as const, bucketStart: start, ...none, ...metrics, ...values() },
      {
        bucket: `${bucket}_model` as const,
        bucketStart: start,
        ...none,
        providerName: call.providerName ?? "",
        model: call.model ?? "",
        ...metrics,
        ...values(),
      },
      {
        bucket: `${bucket}_key` as const,
        bucketStart: start,
        ...none,
        userId: call.userId ?? "",
        accessKeyId: call.accessKeyId ?? "",
        appName: call.appName ?? "",
        ...metrics,
        ...values(),
      },
    ];
  });
}

export function rollupKey(d: RollupDelta): string {
  return [d.bucket, d.bucketStart, d.userId, d.accessKeyId, d.appName, d.providerName, d.model].join("\u0000");
}

/** Sum deltas with the same key, so a batch writes one upsert per rollup row. */
export function mergeDeltas(deltas: Iterable<RollupDelta>): RollupDelta[] {
  // Sums in a plain number array per key, written back once: adding field by field into the delta objects (forty
  // properties, shaped by spreads) went through V8's slow keyed access and cost ~40 µs a call.
  const merged = new Map<string, { first: RollupDelta; sums: number[]; durValues: number[]; ttftValues: number[] }>();
  for (const d of deltas) {
    const key = rollupKey(d);
    const into = merged.get(key);
    if (!into) {
      merged.set(key, {
        first: d,
        sums: ROLLUP_METRICS.map((m) => d[m]),
        durValues: [...d.durValues],
        ttftValues: [...d.ttftValues],
      });
      continue;
    }
    ROLLUP_METRICS.forEach((m, i) => (into.sums[i] = (into.sums[i] ?? 0) + d[m]));
    for (const v of d.durValues) into.durValues.push(v);
    for (const v of d.ttftValues) into.ttftValues.push(v);
  }
  return [...merged.values()].map(({ first, sums, durValues, ttftValues }) => {
    const out: RollupDelta = { ...first, durValues, ttftValues };
    ROLLUP_METRICS.forEach((m, i) => (out[m] = sums[i] ?? 0));
    return out;
  });
}
