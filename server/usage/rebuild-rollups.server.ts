/**
 * Rebuild the usage rollups from the raw calls (after an import, a restore, an upgrade that added rollup columns, or
 * to check them): one write transaction that empties the table and aggregates every finished call again, by hour
 * and by day of its start. It walks the calls an hour at a time and aggregates in JS (the same rollupDeltas and
 * sketches as the recorder), so memory stays flat however many calls there are: a single GROUP BY over millions of
 * rows made SQLite sort them all in memory.
 */
import type { InStatement, Row, Transaction, Value } from "@libsql/client";
import { getDatabase } from "../db/client.server";
import { log } from "../log.server";
import { LatencySketch } from "./latency-sketch";
import { addCallCounters, forEachRollupRow, ROLLUP_METRICS, type FinishedCall } from "./rollup-delta";
import { rollupRowStatements, type RollupRow } from "./rollup-statements";

const HOUR = 3_600_000;
const DAY = 86_400_000;

export const CALL_COLUMNS = `created_at as createdAt, status, user_id as userId, access_key_id as accessKeyId, app_name as appName,
  provider_name as providerName, model, input_tokens as inputTokens, output_tokens as outputTokens,
  cached_input_tokens as cachedInputTokens, images, cost_micro as costMicro, duration_ms as durationMs, ttft_ms as ttftMs`;

const text = (v: Value | undefined) => (v === null || v === undefined ? null : String(v));
const num = (v: Value | undefined) => (v === null || v === undefined ? null : Number(v));

export function toFinishedCall(r: Row): FinishedCall {
  return {
    createdAt: Number(r.createdAt),
    status: String(r.status),
    userId: text(r.userId),
    accessKeyId: text(r.accessKeyId),
    appName: text(r.appName),
    providerName: text(r.providerName),
    model: text(r.model),
    inputTokens: num(r.inputTokens),
    outputTokens: num(r.outputTokens),
    cachedInputTokens: num(r.cachedInputTokens),
    images: num(r.images),
    costMicro: num(r.costMicro),
    durationMs: num(r.durationMs),
    ttftMs: num(r.ttftMs),
  };
}

/**
 * Rollup rows of calls added in time order: the hour rows are taken once their hour is done, the day rows once
 * their day is, so at most a day of rows is held however many calls pass through.
 */
export class RollupBuilder {
  private hours = new Map<string, RollupRow>();
  private days = new Map<string, RollupRow>();

  add(call: FinishedCall): void {
    forEachRollupRow(call, (key, fields) => {
      const rows = key.startsWith("hour") ? this.hours : this.days;
      let row = rows.get(key);
      if (!row) {
        row = {
          delta: fields(),
          sums: new Float64Array(ROLLUP_METRICS.length),
          dur: new LatencySketch(),
          ttft: new LatencySketch(),
        };
        rows.set(key, row);
      }
      addCallCounters(row.sums, call);
      if (call.durationMs !== null && call.durationMs !== undefined) row.dur.add(call.durationMs);
      if (call.ttftMs !== null && call.ttftMs !== undefined) row.ttft.add(call.ttftMs);
    });
  }

  /** Statements writing the hour rows so far (and the day rows too with `days`), which are then forgotten. */
  take(days: boolean): InStatement[] {
    const rows = [...this.hours.values(), ...(days ? this.days.values() : [])];
    this.hours.clear();
    if (days) this.days.clear();
    return rows.length ? rollupRowStatements(rows) : [];
  }
}

/** Rebuild inside an open write transaction; returns the number of calls aggregated. */
async function rebuildIn(tx: Transaction): Promise<number> {
  await tx.execute("delete from usage_rollups");
  const span = await tx.execute("select min(created_at) as first, max(created_at) as last from model_calls");
  const first = span.rows[0]?.first;
  const last = span.rows[0]?.last;
  if (first === null || first === undefined || last === null || last === undefined) return 0;
  let calls = 0;
  const builder = new RollupBuilder();
  const write = async (statements: InStatement[]) => {
    if (statements.length) await tx.batch(statements);
  };
  for (let day = Number(first) - (Number(first) % DAY); day <= Number(last); day += DAY) {
    for (let hour = day; hour < day + DAY && hour <= Number(last); hour += HOUR) {
      const rs = await tx.execute({
        sql: `select ${CALL_COLUMNS} from model_calls where created_at >= ? and created_at < ? and status != 'processing'`,
        args: [hour, hour + HOUR],
      });
      for (const r of rs.rows) builder.add(toFinishedCall(r));
      calls += rs.rows.length;
      await write(builder.take(false));
    }
    await write(builder.take(true));
  }
  return calls;
}

export async function rebuildRollups(): Promise<number> {
  const { client } = await getDatabase();
  const tx = await client.transaction("write");
  try {
    const calls = await rebuildIn(tx);
    await tx.commit();
    return calls;
  } finally {
    tx.close();
  }
}

/**
 * At boot: rows written before the rollups kept latency sketches (migration 0007) have none, so rebuild them once.
 * The check runs again inside the write transaction, so instances starting together rebuild once.
 */
export async function rebuildRollupsWithoutSketches(): Promise<void> {
  const { client } = await getDatabase();
  const stale = "select 1 from usage_rollups where dur_sketch is null limit 1";
  if ((await client.execute(stale)).rows.length === 0) return;
  const tx = await client.transaction("write");
  try {
    if ((await tx.execute(stale)).rows.length === 0) return;
    log.info("rebuilding usage rollups with latency sketches; this reads every call once");
    const calls = await rebuildIn(tx);
    await tx.commit();
    log.info("usage rollups rebuilt", { calls });
  } finally {
    tx.close();
  }
}
