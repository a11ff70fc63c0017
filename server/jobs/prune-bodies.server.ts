/**
 * Drops stored call bodies (request_body, response_body) once they are older than the body-log retention
 * (docs/decisions/007-call-body-logging.md). Turning body logging off (retention 0) prunes every stored body too: the owner chose to keep none,
 * and the call drawer already stops showing them, so keeping them on disk would only be a liability.
 *
 * Runs under the scheduler's lease, in batches of PRUNE_BATCH rows, one short write each (a writer waiting on
 * SQLite's lock waits for one batch, not the whole prune). Rows before the last cutoff this process pruned to
 * hold no bodies, so later runs scan only the new stretch of the created_at index instead of every old call;
 * a process starts with no watermark and scans once from the beginning.
 */
import { getDatabase } from "../db/client.server";
import { log } from "../log.server";
import { getSettings } from "../settings/settings.server";

export const PRUNE_BATCH = 500;
const DAY_MS = 86_400_000;
/** Re-scan this much before the watermark: a call finishing (and getting its bodies) just after a prune. */
const OVERLAP_MS = 60 * 60_000;

let watermark = 0;

/** Forget the watermark (tests, or a database swapped under the process). */
export function resetPruneWatermark(): void {
  watermark = 0;
}

/** Returns the number of calls whose bodies were dropped. */
export async function pruneCallBodies(now = Date.now(), batch = PRUNE_BATCH): Promise<number> {
  const { bodyLogRetentionDays } = await getSettings();
  // Off: every body goes, whatever its age (calls that finish after this run keep none, logging being off).
  const cutoff = bodyLogRetentionDays > 0 ? now - bodyLogRetentionDays * DAY_MS : Number.MAX_SAFE_INTEGER;
  const from = Math.max(0, Math.min(watermark, cutoff) - OVERLAP_MS);
  const { client } = await getDatabase();
  let pruned = 0;
  for (;;) {
    const rs = await client.execute({
      sql: `update model_calls set request_body = null, response_body = null where id in (
        select id from model_calls where created_at >= ? and created_at < ? and (request_body is not null or response_body is not null)
        order by created_at limit ?)`,
      args: [from, cutoff, batch],
    });
    pruned += rs.rowsAffected;
    if (rs.rowsAffected < batch) break;
    // Let waiting writers (the call recorder) in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  watermark = Math.max(watermark, Math.min(cutoff, now));
  if (pruned)
    log.info("pruned call bodies past their retention", { count: pruned, retentionDays: bodyLogRetentionDays });
  return pruned;
}
