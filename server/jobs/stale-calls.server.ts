/**
 * Calls stuck in `processing` (the process died mid-call, or a record was lost) are closed as failed after
 * STALE_AFTER_MS, so no call stays open for ever; and credit holds as old as that are released, uncharged, exactly
 * once (the hold row is deleted in the batch that releases it), whether or not their call record survived.
 */
import { and, eq, lt } from "drizzle-orm";
import { modelCalls } from "../../drizzle/schema";
import { closeHold, staleHolds } from "../billing/ledger.server";
import { getDb } from "../db/client.server";
import { log } from "../log.server";
import { sweepRollups } from "../usage/roll-up.server";

export const STALE_AFTER_MS = 15 * 60_000;

export async function failStaleCalls(now = Date.now(), staleAfterMs = STALE_AFTER_MS): Promise<number> {
  const db = await getDb();
  const rows = await db
    .update(modelCalls)
    .set({
      status: "failed",
      errorCode: "stale_call",
      errorMessage: "The call never finished (the hub stopped or lost track of it).",
      finishedAt: new Date(now),
      // Counted in the usage like any finished call (server/usage/roll-up.server.ts).
      rolledUp: 0,
    })
    .where(and(eq(modelCalls.status, "processing"), lt(modelCalls.createdAt, new Date(now - staleAfterMs))))
    .returning({ id: modelCalls.id });
  if (rows.length) {
    log.warn("closed stale calls", { count: rows.length });
    await sweepRollups();
  }
  await releaseStaleHolds(now, staleAfterMs);
  return rows.length;
}

/** Returns the number of holds released. */
export async function releaseStaleHolds(now = Date.now(), staleAfterMs = STALE_AFTER_MS): Promise<number> {
  let released = 0;
  for (;;) {
    const holds = await staleHolds(now - staleAfterMs);
    const before = released;
    for (const hold of holds) {
      const result = await closeHold({
        callId: hold.callId,
        costMicro: 0,
        releaseReason: "Hold released: the call never finished (stale-call job)",
        settleReason: "",
        actorId: null,
        now,
      });
      if (result.closed) released++;
    }
    if (holds.length < 500 || released === before) break;
  }
  if (released) log.warn("released stale credit holds", { count: released });
  return released;
}
