/**
 * Closes what a stopped hub instance left open: its `processing` calls become `aborted` with the reason
 * "instance stopped" (what they had generated is unknown here, so their tokens stay null, never 0) and are rolled up
 * into the usage like any finished call, and its credit holds are released uncharged, each exactly once (closeHold
 * deletes the hold in the batch that releases it).
 *
 * An instance has stopped when its heartbeat is older than MISSED_BEATS beats, or at once when it ran in this
 * process space (same host, boot and pid namespace) and its pid is gone or is ours, which is how a restart on the
 * same data directory closes its previous run's calls at boot instead of waiting. Calls and holds of an instance
 * with no row at all (its row was removed while it was still finishing) are closed once they are that old too.
 * Runs at boot and, under the job lease, every heartbeat (server/jobs/scheduler.server.ts).
 */
import { closeHold } from "../billing/ledger.server";
import { getDatabase } from "../db/client.server";
import { log } from "../log.server";
import { sweepRollups } from "../usage/roll-up.server";
import { processSpace } from "./instance.server";

export const MISSED_BEATS = 3;
export const INSTANCE_STOPPED = "instance_stopped";
const STOPPED_MESSAGE = "instance stopped: the hub process serving this call stopped before the call ended.";

export interface RecoverOptions {
  self: string;
  heartbeatMs: number;
  now?: number;
}

export interface Recovered {
  instances: number;
  calls: number;
  holds: number;
}

function processGone(pid: number): boolean {
  if (pid === process.pid) return true; // it is not us (other id), so it was this pid's earlier life
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export async function recoverStoppedInstances(options: RecoverOptions): Promise<Recovered> {
  const now = options.now ?? Date.now();
  const cutoff = now - MISSED_BEATS * options.heartbeatMs;
  const { client } = await getDatabase();
  const host = processSpace();
  const rows = (
    await client.execute({
      sql: "select id, host, pid, beat_at from hub_instances where id != ?",
      args: [options.self],
    })
  ).rows;
  const stopped = new Map<string, number | null>();
  for (const r of rows) {
    const beatAt = Number(r.beat_at);
    if (beatAt < cutoff || (String(r.host) === host && processGone(Number(r.pid)))) stopped.set(String(r.id), beatAt);
  }
  const orphans = await client.execute({
    sql: `select instance_id from model_calls where status = 'processing' and created_at < ? and instance_id is not null
            and instance_id != ? and instance_id not in (select id from hub_instances)
          union select instance_id from credit_holds where created_at < ? and instance_id is not null
            and instance_id != ? and instance_id not in (select id from hub_instances)`,
    args: [cutoff, options.self, cutoff, options.self],
  });
  for (const r of orphans.rows) if (!stopped.has(String(r.instance_id))) stopped.set(String(r.instance_id), null);

  const total: Recovered = { instances: 0, calls: 0, holds: 0 };
  for (const [id, beatAt] of stopped) {
    const closed = await client.execute({
      sql: `update model_calls set status = 'aborted', http_status = coalesce(http_status, 499), error_code = ?, error_message = ?,
              finished_at = ?, duration_ms = coalesce(duration_ms, ? - created_at), rolled_up = 0
            where instance_id = ? and status = 'processing'`,
      args: [INSTANCE_STOPPED, STOPPED_MESSAGE, now, now, id],
    });
    const holds = await client.execute({ sql: "select call_id from credit_holds where instance_id = ?", args: [id] });
    let released = 0;
    for (const h of holds.rows) {
      const result = await closeHold({
        callId: String(h.call_id),
        costMicro: 0,
        releaseReason: "Hold released: instance stopped before the call ended",
        settleReason: "",
        actorId: null,
        now,
      });
      if (result.closed) released++;
    }
    // Only now: a recovery that dies half-way is redone by the next one. A beat in between means it lives after all.
    if (beatAt !== null)
      await client.execute({ sql: "delete from hub_instances where id = ? and beat_at = ?", args: [id, beatAt] });
    total.instances++;
    total.calls += closed.rowsAffected;
    total.holds += released;
    log.warn("closed the calls of a stopped hub instance", {
      instance: id,
      calls: closed.rowsAffected,
      holdsReleased: released,
    });
  }
  // A closed call counts in the usage like any finished one; a recovery that dies before this leaves it to the sweep.
  if (total.calls) await sweepRollups();
  return total;
}
