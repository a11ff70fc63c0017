import { blob, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Upper bounds (ms) of the /metrics latency histogram buckets (Prometheus needs fixed ones); the last is open-ended. */
export const LATENCY_BUCKETS_MS = [100, 250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000] as const;
const histogram = (prefix: string) =>
  Object.fromEntries(
    Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, i) => [`${prefix}B${i}`, integer(`${prefix}_b${i}`).notNull().default(0)]),
  ) as Record<`${"dur" | "ttft"}B${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`, ReturnType<typeof integer>>;

/**
 * Pre-aggregated usage per hour and day, with latency sketches (server/usage/latency-sketch.ts) and exact min/max so
 * percentiles come from rollups too. Dimension columns use "" instead of null so the unique key works (SQLite treats
 * nulls as distinct). Rebuildable from model_calls (server/usage/rebuild-rollups.server.ts).
 */
export const usageRollups = sqliteTable(
  "usage_rollups",
  {
    /**
     * "hour"/"day": every dimension; "hour_user"/"day_user": per user only; "hour_all"/"day_all": the whole hub;
     * "hour_model"/"day_model": provider and model only; "hour_key"/"day_key": user, access key and app only.
     * The coarser families answer the dashboards (a user's, everyone's, a breakdown) from a few hundred rows.
     */
    bucket: text("bucket", {
      enum: ["hour", "day", "hour_user", "day_user", "hour_all", "day_all", "hour_model", "day_model", "hour_key", "day_key"],
    }).notNull(),
    bucketStart: integer("bucket_start").notNull(),
    userId: text("user_id").notNull().default(""),
    accessKeyId: text("access_key_id").notNull().default(""),
    appName: text("app_name").notNull().default(""),
    providerName: text("provider_name").notNull().default(""),
    model: text("model").notNull().default(""),
    requests: integer("requests").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    images: integer("images").notNull().default(0),
    costMicro: integer("cost_micro").notNull().default(0),
    durationMsSum: integer("duration_ms_sum").notNull().default(0),
    ttftMsSum: integer("ttft_ms_sum").notNull().default(0),
    ttftCount: integer("ttft_count").notNull().default(0),
    ...histogram("dur"),
    ...histogram("ttft"),
    /** Encoded LatencySketch of duration_ms / ttft_ms; null only on rows written before sketches (rebuilt at boot). */
    durSketch: blob("dur_sketch", { mode: "buffer" }),
    ttftSketch: blob("ttft_sketch", { mode: "buffer" }),
    /** Exact extremes, so a percentile never lies outside them; null when the row has no such latency. */
    durMin: integer("dur_min"),
    durMax: integer("dur_max"),
    ttftMin: integer("ttft_min"),
    ttftMax: integer("ttft_max"),
  },
  (t) => [
    uniqueIndex("usage_rollups_key_uq").on(
      t.bucket,
      t.bucketStart,
      t.userId,
      t.accessKeyId,
      t.appName,
      t.providerName,
      t.model,
    ),
  ],
);
