/**
 * Boot and shutdown of one hub process: configuration, database and migrations, the secret key, the first-run
 * setup link; and the hooks that must run before the process exits (flush call records, stop jobs).
 */
import { hasOwner } from "./auth/users.server";
import { createSetupLink } from "./auth/setup.server";
import { getSecretBox } from "./crypto/secret-key.server";
import { startInvalidationFanout } from "./cache/invalidation.server";
import { closeRedis } from "./cache/redis.server";
import { closeDatabase, getDatabase, sqliteFilePath } from "./db/client.server";
import { migrateDatabase } from "./db/migrate.server";
import { getEnv, type HubEnv } from "./env.server";
import { writeHealth } from "./gateway/credential-health.server";
import { beat, instanceId, processSpace, startHeartbeat, unregisterInstance } from "./instances/instance.server";
import { recoverStoppedInstances } from "./instances/recover-instances.server";
import { startJobs } from "./jobs/scheduler.server";
import { closeUpstreamPools } from "./providers/http.server";
import { CallJournal, journalDirOf } from "./usage/call-journal.server";
import { callRecorder } from "./usage/call-recorder.server";
import { rebuildRollupsWithoutSketches } from "./usage/rebuild-rollups.server";
import { sweepRollups } from "./usage/roll-up.server";
import { log, setLogLevel } from "./log.server";

type Hook = () => Promise<void> | void;
const shutdownHooks: Hook[] = [];

/** Register work that must finish before the process exits (runs in reverse order of registration). */
export function onShutdown(hook: Hook): void {
  shutdownHooks.push(hook);
}

export interface BootResult {
  /** Printed when no owner exists yet. */
  setupLink: string | null;
}

export async function bootHub(): Promise<BootResult> {
  const env = getEnv();
  setLogLevel(env.LOG_LEVEL);
  const database = await getDatabase();
  await migrateDatabase(database);
  await rebuildRollupsWithoutSketches();
  // Calls whose process died between their record and their rollups (server/usage/roll-up.server.ts).
  await sweepRollups();
  getSecretBox(); // generates <data>/secret.key on the first run, before anything needs it
  const setupLink = (await hasOwner()) ? null : await createSetupLink();
  // Alive before the first call, and the calls and holds of a previous run that died are closed before serving:
  // a single process on a SQLite file does not wait for a heartbeat to time out (docs/decisions/008).
  await beat();
  await recoverStoppedInstances({ self: instanceId(), heartbeatMs: env.HUB_HEARTBEAT_MS });
  const journal = openCallJournal(database.url, env.HUB_CALL_JOURNAL);
  // Registered in order of need; shutdown runs them in reverse: stop jobs, then flush records, then unregister
  // the instance (nothing of it is left open), then close pools.
  onShutdown(() => closeRedis());
  onShutdown(await startInvalidationFanout());
  onShutdown(() => closeUpstreamPools());
  onShutdown(() => writeHealth());
  onShutdown(() => unregisterInstance());
  onShutdown(startHeartbeat(env.HUB_HEARTBEAT_MS));
  onShutdown(async () => {
    await callRecorder.flush();
    callRecorder.useJournal(null);
    journal?.close();
  });
  onShutdown(startJobs({ heartbeatMs: env.HUB_HEARTBEAT_MS }));
  return { setupLink };
}

/**
 * This process's call journal, on a SQLite file (docs/decisions/020-call-journal.md). On a libSQL server the disk
 * under the process is not the database's, so records commit before their answers end there.
 */
function openCallJournal(url: string, mode: HubEnv["HUB_CALL_JOURNAL"]): CallJournal | null {
  if (mode === "off" || !url.startsWith("file:")) return null;
  const journal = new CallJournal(journalDirOf(sqliteFilePath(url)), {
    instanceId: instanceId(),
    pid: process.pid,
    space: processSpace(),
  });
  callRecorder.useJournal(journal, { journalOnly: mode === "journal-only" });
  return journal;
}

export async function shutdownHub(): Promise<void> {
  for (const hook of [...shutdownHooks].reverse()) {
    try {
      await hook();
    } catch (error) {
      log.error("shutdown hook failed", { error });
    }
  }
  shutdownHooks.length = 0;
  await closeDatabase();
}
