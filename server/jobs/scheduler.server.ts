/**
 * Runs the background jobs of this process on timers, each under a lease so only one instance runs it per
 * period. Stopped on shutdown.
 */
import { instanceId } from "../instances/instance.server";
import { log } from "../log.server";
import { tryTakeLease } from "./lease.server";
import { pruneCallBodies } from "./prune-bodies.server";
import { failStaleCalls } from "./stale-calls.server";
import { recoverStoppedInstances } from "../instances/recover-instances.server";
import { purgeConnectSessions } from "../auth/connect/sessions.server";
import { pruneStoredResponses } from "../gateway/responses/store.server";
import { sweepRollups } from "../usage/roll-up.server";

interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

function jobsFor(holder: string, heartbeatMs: number): Job[] {
  return [
    // Calls and holds of instances that stopped beating: checked every beat, so closed within a few beats.
    {
      name: "stopped-instances",
      everyMs: heartbeatMs,
      run: () => recoverStoppedInstances({ self: holder, heartbeatMs }),
    },
    // The fallback for what no instance owns (records from before instances had ids): 15 minutes.
    { name: "stale-calls", everyMs: 60_000, run: () => failStaleCalls() },
    // Ends expired connect sessions (revoking keys nobody collected) and deletes day-old ones.
    { name: "connect-sessions", everyMs: 60_000, run: () => purgeConnectSessions() },
    // Body retention is counted in days: every ten minutes keeps bodies at most that much past it.
    { name: "prune-bodies", everyMs: 10 * 60_000, run: () => pruneCallBodies() },
    // Stored Responses API answers past their retention (reads already ignore them; this frees the space).
    { name: "prune-responses", everyMs: 10 * 60_000, run: () => pruneStoredResponses() },
    // Finished calls whose rollups were not written (their process died right after the record): a few seconds late.
    { name: "rollup-sweep", everyMs: 10_000, run: () => sweepRollups() },
  ];
}

/** `holder` is this instance's id (the lease holder, and the instance the stopped-instance job never closes). */
export function startJobs(options: { heartbeatMs: number; holder?: string }): () => void {
  const holder = options.holder ?? instanceId();
  const timers = jobsFor(holder, options.heartbeatMs).map((job) =>
    setInterval(() => {
      tryTakeLease(job.name, holder, job.everyMs * 2)
        .then((won) => (won ? job.run() : undefined))
        .catch((error: unknown) => log.error("background job failed", { job: job.name, error }));
    }, job.everyMs).unref(),
  );
  return () => timers.forEach(clearInterval);
}
