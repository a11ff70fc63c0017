/**
 * The optional Redis connection (REDIS_URL) that instances share when the hub is scaled out: cache invalidation
 * fan-out here, rate-limit counters later. Without REDIS_URL everything stays in-process.
 */
import { createRequire } from "node:module";
import type { Redis } from "ioredis";
import { getEnv } from "../env.server";
import { log } from "../log.server";

let client: Redis | null | undefined;

/** The shared command connection, or null when REDIS_URL is not set. */
export function getRedis(): Redis | null {
  if (client === undefined) {
    const url = getEnv().REDIS_URL;
    client = url ? connect(url, "commands") : null;
  }
  return client;
}

/**
 * ioredis, loaded on the first connection: a hub without REDIS_URL never loads it (about 2 MB of heap,
 * docs/decisions/021-server-memory.md).
 */
let ioredis: typeof import("ioredis") | undefined;

export function connect(url: string, role: string): Redis {
  ioredis ??= createRequire(import.meta.url)("ioredis") as typeof import("ioredis");
  const redis = new ioredis.Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on("error", (error: Error) => log.warn("redis connection problem", { role, error }));
  return redis;
}

export async function closeRedis(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.quit().catch(() => c.disconnect());
}
