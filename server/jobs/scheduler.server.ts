/**
 * Runs the background jobs of this process on timers, each under a lease so only one instance runs it per
 * period. Stopped on shutdown.
 */
import { randomUUID } from "node:crypto";
import { log } from "../log.server";
import { tryTakeLease } from "./lease.server";
import { pruneCallBodies } from "./prune-bodies.server";
import { failStaleCalls } from "./stale-calls.server";
import { purgeConnectSessions } from "../auth/connect/sessions.server";
import { pruneStoredResponses } from "../gateway/responses/store.server";

interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

const JOBS: Job[] = [
  { name: "stale-calls", everyMs: 60_000, run: () => failStaleCalls() },
  // Ends expired connect sessions (revoking keys nobody collected) and deletes day-old ones.
  { name: "connect-sessions", everyMs: 60_000, run: () => purgeConnectSessions() },
  // Body retention is counted in days: every ten minutes keeps bodies at most that much past it.
  { name: "prune-bodies", everyMs: 10 * 60_000, run: () => pruneCallBodies() },
  // Stored Responses API answers past their retention (reads already ignore them; this frees the space).
  { name: "prune-responses", everyMs: 10 * 60_000, run: () => pruneStoredResponses() },
];

export function startJobs(holder = randomUUID()): () => void {
  const timers = JOBS.map((job) =>
    setInterval(() => {
      tryTakeLease(job.name, holder, job.everyMs * 2)
        .then((won) => (won ? job.run() : undefined))
        .catch((error: unknown) => log.error("background job failed", { job: job.name, error }));
    }, job.everyMs).unref(),
  );
  return () => timers.forEach(clearInterval);
}
