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
import fs from "node:fs";
import type { Client } from "@libsql/client";
import { closeHold } from "../billing/ledger.server";
import { getDatabase, sqliteFilePath } from "../db/client.server";
import { log } from "../log.server";
import { journalDirOf, listJournals, replayJournal, spaceTag } from "../usage/call-journal.server";
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
  /** Lines replayed from the call journals of stopped processes (docs/decisions/020-call-journal.md). */
  replayed: number;
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

/**
 * Commits the journals of processes that are gone (in this process space), and of instances found stopped; removes
 * the files of those that are gone. An instance only silent keeps its file, since it may still append to it, and
 * a replay of what it committed already changes nothing.
 */
async function replayJournals(client: Client, url: string, self: string, stopped: Map<string, unknown>) {
  if (!url.startsWith("file:")) return 0;
  const here = spaceTag(processSpace());
  let total = 0;
  for (const journal of listJournals(journalDirOf(sqliteFilePath(url)))) {
    if (journal.instanceId === self) continue;
    const gone = journal.spaceTag === here && processGone(journal.pid);
    if (!gone && !stopped.has(journal.instanceId)) continue;
    // Most lines are usually committed already: a file keeps them until it is emptied (../usage/call-journal.server.ts).
    const lines = await replayJournal(client, journal.file);
    if (gone) fs.rmSync(journal.file, { force: true });
    if (lines) log.warn("replayed the call journal of a stopped hub instance", { instance: journal.instanceId, lines });
    total += lines;
  }
  return total;
}

export async function recoverStoppedInstances(options: RecoverOptions): Promise<Recovered> {
  const now = options.now ?? Date.now();
  const cutoff = now - MISSED_BEATS * options.heartbeatMs;
  const { client, url } = await getDatabase();
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

  // Answered calls whose records were only in their process's journal are committed first: they are not closed as
  // stopped below (docs/decisions/020-call-journal.md).
  const replayed = await replayJournals(client, url, options.self, stopped);
  const total: Recovered = { instances: 0, calls: 0, holds: 0, replayed };
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
  if (total.calls || replayed) await sweepRollups();
  return total;
}
