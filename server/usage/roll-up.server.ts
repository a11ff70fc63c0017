/**
 * Adding finished calls to the usage rollups, after their records are durable. A call's final record and its charge
 * commit before the answer's last byte (./call-recorder.server.ts); its rollups follow in a transaction of their own,
 * which claims the calls by flipping `rolled_up` from 0 to 1 and writes their rollup rows (counters added in SQL,
 * latency sketches read, merged and written back) in the same commit. So each call is counted exactly once, whoever
 * claims it: the recorder right after the record, or the sweep (at boot and every few seconds under the job lease)
 * for calls whose process died in between.
 */
import { getDatabase } from "../db/client.server";
import { CALL_COLUMNS, toFinishedCall } from "./rebuild-rollups.server";
import { rollupDeltas, type FinishedCall } from "./rollup-delta";
import { existingLatencyStatements, rollupUpserts, storedLatencyByKey } from "./rollup-statements";

/** Calls the sweep takes per transaction. */
const SWEEP_BATCH = 500;

/**
 * Rolls up the given finished calls, or (ids null) the oldest ones no one has rolled up. Returns how many it took.
 * `known` holds the final records the caller has in memory, by id (the recorder's, just committed): when it has
 * every one, only the claimed ids are read back instead of their columns.
 */
export async function rollUpCalls(
  ids: string[] | null,
  known?: ReadonlyMap<string, FinishedCall | undefined>,
): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const fromMemory = ids !== null && known !== undefined && ids.every((id) => known.get(id) !== undefined);
  const { client } = await getDatabase();
  // The ids as one JSON array: the same SQL whatever their number, compiled once (../db/statement-cache.server.ts).
  const which = ids
    ? "id in (select value from json_each(?))"
    : `id in (select id from model_calls where rolled_up = 0 order by finished_at limit ${SWEEP_BATCH})`;
  const tx = await client.transaction("write");
  try {
    const claimed = await tx.execute({
      sql: `update model_calls set rolled_up = 1 where rolled_up = 0 and status != 'processing' and ${which} returning ${fromMemory ? "id" : CALL_COLUMNS}`,
      args: ids ? [JSON.stringify(ids)] : [],
    });
    const calls = fromMemory
      ? claimed.rows.map((r) => known.get(String(r.id))).filter((c) => c !== undefined)
      : claimed.rows.map(toFinishedCall);
    const deltas = rollupDeltas(calls);
    if (deltas.length) {
      const stored = (await tx.batch(existingLatencyStatements(deltas))).flatMap((rs) => rs.rows);
      await tx.batch(rollupUpserts(deltas, storedLatencyByKey(stored)));
    }
    await tx.commit();
    return claimed.rows.length;
  } finally {
    tx.close();
  }
}

/** Every call still waiting for its rollups (a process died between its record and its rollups). */
export async function sweepRollups(): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await rollUpCalls(null);
    total += n;
    if (n < SWEEP_BATCH) return total;
  }
}
