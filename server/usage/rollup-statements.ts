/**
 * SQL that writes rollup deltas: counters are added in SQL; the latency sketches and min/max, which SQL cannot merge,
 * are merged here with the row's stored ones (read in the same write transaction) and written whole. Pure.
 */
import type { InStatement, Row } from "@libsql/client";
import { decodeSketch, encodeSketch, type LatencySketch } from "./latency-sketch";
import { rollupKey, ROLLUP_METRICS, type RollupDelta, type RollupKeyFields } from "./rollup-delta";

export const ROLLUP_DIMENSIONS = [
  "bucket",
  "bucket_start",
  "user_id",
  "access_key_id",
  "app_name",
  "provider_name",
  "model",
] as const;
const METRIC_COLUMNS = ROLLUP_METRICS.map((m) => m.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()));
const LATENCY_COLUMNS = ["dur_sketch", "dur_min", "dur_max", "ttft_sketch", "ttft_min", "ttft_max"] as const;
const COLUMNS = [...ROLLUP_DIMENSIONS, ...METRIC_COLUMNS, ...LATENCY_COLUMNS];
const ROWS_PER_STATEMENT = 2_000;

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
const keyOf = (d: RollupKeyFields): Key => [
  d.bucket,
  d.bucketStart,
  d.userId,
  d.accessKeyId,
  d.appName,
  d.providerName,
  d.model,
];

/**
 * Reads the stored sketches of the rows these deltas touch, by their unique key: one statement per row, all of the
 * same SQL, so SQLite compiles it once per connection (../db/statement-cache.server.ts). A single statement with a
 * list of keys took another shape with every batch, to be compiled anew and then pushed out of the cache.
 */
export function existingLatencyStatements(deltas: RollupDelta[]): InStatement[] {
  return deltas.map((d) => ({ sql: EXISTING_LATENCY_SQL, args: [...keyOf(d)] }));
}

const EXISTING_LATENCY_SQL =
  `select ${ROLLUP_DIMENSIONS.join(", ")}, ${LATENCY_COLUMNS.join(", ")} from usage_rollups ` +
  `where ${ROLLUP_DIMENSIONS.map((c) => `${c} = ?`).join(" and ")}`;

/** The rows read by existingLatencyStatements, by rollup key. */
export function storedLatencyByKey(rows: Row[]): Map<string, StoredLatency> {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const bytes = (v: unknown): ArrayBuffer | null => {
    if (v instanceof ArrayBuffer) return v;
    return v instanceof Uint8Array ? new Uint8Array(v).buffer : null; // a copy: a view may share a larger buffer
  };
  const out = new Map<string, StoredLatency>();
  for (const r of rows) {
    const key = [
      r.bucket,
      Number(r.bucket_start),
      r.user_id,
      r.access_key_id,
      r.app_name,
      r.provider_name,
      r.model,
    ].join("\u0000");
    out.set(key, {
      durSketch: bytes(r.dur_sketch),
      durMin: n(r.dur_min),
      durMax: n(r.dur_max),
      ttftSketch: bytes(r.ttft_sketch),
      ttftMin: n(r.ttft_min),
      ttftMax: n(r.ttft_max),
    });
  }
  return out;
}

/** A whole rollup row: its key (from a delta), its counters in ROLLUP_METRICS order, and its latency sketches. */
export interface RollupRow {
  delta: RollupKeyFields;
  sums: Float64Array;
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
  const blobs = new Set<string>(["dur_sketch", "ttft_sketch"]);
  // One JSON array per row, unpacked by json_each: a single bound value per statement. The libSQL client keeps
  // some memory for every bound value it is given (about 100 bytes), which a rebuild of millions of calls noticed.
  const select = COLUMNS.map((c, i) => (blobs.has(c) ? `unhex(value ->> ${i})` : `value ->> ${i}`)).join(", ");
  const updates = [
    ...METRIC_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`),
    ...LATENCY_COLUMNS.map((c) => `${c} = excluded.${c}`),
  ];
  const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values: unknown[][] = [];
    for (const { delta: d, sums, dur, ttft } of rows.slice(i, i + ROWS_PER_STATEMENT)) {
      const row: unknown[] = [...keyOf(d)];
      for (let m = 0; m < ROLLUP_METRICS.length; m++) row.push(sums[m]);
      row.push(hex(encodeSketch(dur)), extreme(dur, dur.min), extreme(dur, dur.max));
      row.push(hex(encodeSketch(ttft)), extreme(ttft, ttft.min), extreme(ttft, ttft.max));
      values.push(row);
    }
    out.push({
      // "where true" tells SQLite's parser that "on conflict" belongs to the upsert, not to a join.
      sql:
        `insert into usage_rollups (${COLUMNS.join(", ")}) select ${select} from json_each(?) where true ` +
        `on conflict (${ROLLUP_DIMENSIONS.join(", ")}) do update set ${updates.join(", ")}`,
      args: [JSON.stringify(values)],
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
      return { delta: d, sums: d.sums, dur, ttft };
    }),
  );
}
