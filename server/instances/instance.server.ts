/**
 * This process as a hub instance: an id made at start, and a heartbeat row in hub_instances, so that when the
 * process dies (kill -9, a crash, a lost machine) a live instance, or the next start on this host, can tell and
 * close the calls and credit holds it left open (./recover-instances.server.ts).
 */
import fs from "node:fs";
import os from "node:os";
import { newId } from "../crypto/tokens";
import { getDatabase } from "../db/client.server";
import { log } from "../log.server";

const INSTANCE_ID = newId("ins");

function readOr(file: string, read: (f: string) => string): string {
  try {
    return read(file).trim();
  } catch {
    return "-"; // not Linux: only the host name tells hosts apart
  }
}

/**
 * Where this process's pid means something: the host name, the kernel's boot id and the pid namespace. Two processes
 * with the same value see the same pids, so one can ask whether the other's pid is still alive.
 */
const PROCESS_SPACE = [
  os.hostname(),
  readOr("/proc/sys/kernel/random/boot_id", (f) => fs.readFileSync(f, "utf8")),
  readOr("/proc/self/ns/pid", (f) => fs.readlinkSync(f)),
].join("/");

export function processSpace(): string {
  return PROCESS_SPACE;
}

/** The id this process writes on its calls and holds. */
export function instanceId(): string {
  return INSTANCE_ID;
}

/**
 * Records that this instance is alive. An upsert: a row that a recovery deleted (this process was silent too
 * long, e.g. the database was unreachable) comes back with the next beat.
 */
export async function beat(now = Date.now()): Promise<void> {
  const { client } = await getDatabase();
  await client.execute({
    sql:
      "insert into hub_instances (id, host, pid, started_at, beat_at) values (?, ?, ?, ?, ?) " +
      "on conflict(id) do update set beat_at = excluded.beat_at",
    args: [INSTANCE_ID, PROCESS_SPACE, process.pid, now, now],
  });
}

/** Beats every `everyMs` until the returned function is called. */
export function startHeartbeat(everyMs: number): () => void {
  const timer = setInterval(() => {
    beat().catch((error: unknown) => log.error("instance heartbeat failed", { error }));
  }, everyMs).unref();
  return () => clearInterval(timer);
}

/** A clean stop: this instance's calls are all closed (drained and flushed), so nobody needs to recover it. */
export async function unregisterInstance(): Promise<void> {
  const { client } = await getDatabase();
  await client.execute({ sql: "delete from hub_instances where id = ?", args: [INSTANCE_ID] });
}
