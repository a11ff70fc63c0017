/**
 * SQL that writes rollup deltas: counters are added in SQL; the latency sketches and min/max, which SQL cannot merge,
 * are merged here with the row's stored ones (read in the same write transaction) and written whole. Pure.
 */
import type { InStatement, Row } from "@libsql/client";
import { decodeSketch, encodeSketch, type LatencySketch } from "./latency-sketch";
import { rollupKey, ROLLUP_METRICS, type RollupDelta } from "./rollup-delta";

export const ROLLUP_DIMENSIONS = ["bucket", "bucket_start", "user_id", "access_key_id", "app_name", "provider_name", "model"] as const;
const METRIC_COLUMNS = ROLLUP_METRICS.map((m) => m.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()));
const LATENCY_COLUMNS = ["dur_sketch", "dur_min", "dur_max", "ttft_sketch", "ttft_min", "ttft_max"] as const;
const COLUMNS = [...ROLLUP_DIMENSIONS, ...METRIC_COLUMNS, ...LATENCY_COLUMNS];

/** A row's stored latency state, as read back by existingLatencyStatement. */
export interface StoredLatency {
  durSketch: ArrayBuffer | null;
  durMin: number | null;
  durMax: number | null;
  ttftSketch: ArrayBuffer | null;
  ttftMin: number | null;
  ttftMax: number | null;
}

type Key = readonly [string, number, string, string, string, string, string];
const keyOf = (d: RollupDelta): Key => [d.bucket, d.bucketStart, d.userId, d.accessKeyId, d.appName, d.providerName, d.model];

/** Reads the stored sketches of the rows these deltas touch (by their unique key). */
export function existingLatencyStatements(deltas: RollupDelta[]): InStatement[] {
  const out: InStatement[] = [];
  const perStatement = Math.floor(30_000 / ROLLUP_DIMENSIONS.length);
  for (let i = 0; i < deltas.length; i += perStatement) {
    const slice = deltas.slice(i, i + perStatement);
    out.push({
      sql:
        `select ${ROLLUP_DIMENSIONS.join(", ")}, ${LATENCY_COLUMNS.join(", ")} from usage_rollups ` +
        `where (${ROLLUP_DIMENSIONS.join(", ")}) in (values ${slice.map(() => `(${ROLLUP_DIMENSIONS.map(() => "?").join(", ")})`).join(", ")})`,
      args: slice.flatMap((d) => [...keyOf(d)]),
    });
  }
  return out;
}

/** The rows read by existingLatencyStatements, by rollup key. */
export function storedLatencyByKey(rows: Row[]): Map<string, StoredLatency> {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const bytes = (v: unknown) => (v instanceof ArrayBuffer ? v : v instanceof Uint8Array ? (v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer) : null);
  const out = new Map<string, StoredLatency>();
  for (const r of rows) {
    const key = [r.bucket, Number(r.bucket_start), r.user_id, r.access_key_id, r.app_name, r.provider_name, r.model].join("\u0000");
    out.set(key, {
      durSketch: bytes(r.dur_sketch), durMin: n(r.dur_min), durMax: n(r.dur_max),
      ttftSketch: bytes(r.ttft_sketch), ttftMin: n(r.ttft_min), ttftMax: n(r.ttft_max),
    });
  }
  return out;
}

/** A whole rollup row: its key and counters (a delta) and its latency sketches. */
export interface RollupRow {
  delta: RollupDelta;
  dur: LatencySketch;
  ttft: LatencySketch;
}

const extreme = (sketch: LatencySketch, value: number) => (sketch.total > 0 && Number.isFinite(value) ? value : null);

/**
 * Upserts writing each row: counters are added to the stored ones (created on first use), the sketches and min/max
 * replace them (they already include what was stored: see rollupUpserts).
 */
export function rollupRowStatements(rows: RollupRow[]): InStatement[] {
  const out: InStatement[] = [];
  const perStatement = Math.floor(30_000 / COLUMNS.length);
  const tuple = `(${COLUMNS.map(() => "?").join(", ")})`;
  const updates = [...METRIC_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`), ...LATENCY_COLUMNS.map((c) => `${c} = excluded.${c}`)];
  for (let i = 0; i < rows.length; i += perStatement) {
    const slice = rows.slice(i, i + perStatement);
    const args: Array<string | number | null | Uint8Array> = [];
    for (const { delta: d, dur, ttft } of slice) {
      args.push(...keyOf(d), ...ROLLUP_METRICS.map((m) => d[m]));
      args.push(encodeSketch(dur), extreme(dur, dur.min), extreme(dur, dur.max), encodeSketch(ttft), extreme(ttft, ttft.min), extreme(ttft, ttft.max));
    }
    out.push({
      sql: `insert into usage_rollups (${COLUMNS.join(", ")}) values ${slice.map(() => tuple).join(", ")} on conflict (${ROLLUP_DIMENSIONS.join(", ")}) do update set ${updates.join(", ")}`,
      args,
    });
  }
  return out;
}

/** Upserts adding each delta to its rollup row; `stored` is what the rows' latency columns held before. */
export function rollupUpserts(deltas: RollupDelta[], stored: Map<string, StoredLatency>): InStatement[] {
  return rollupRowStatements(
    deltas.map((d) => {
      const before = stored.get(rollupKey(d));
      const dur = decodeSketch(before?.durSketch ?? null, before?.durMin ?? null, before?.durMax ?? null);
      const ttft = decodeSketch(before?.ttftSketch ?? null, before?.ttftMin ?? null, before?.ttftMax ?? null);
      for (const v of d.durValues) dur.add(v);
      for (const v of d.ttftValues) ttft.add(v);
      return { delta: d, dur, ttft };
    }),
  );
}
