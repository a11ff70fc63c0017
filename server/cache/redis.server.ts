/**
 * The optional Redis connection (REDIS_URL) that instances share when the hub is scaled out: cache invalidation
 * fan-out here, rate-limit counters later. Without REDIS_URL everything stays in-process.
 */
import type { Redis } from "ioredis";
import { getEnv } from "../env.server";
import { lazyModule } from "../lazy-module";
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

/** Loaded on the first connection: a hub without REDIS_URL never loads it (about 2 MB of heap). */
const ioredis = lazyModule<typeof import("ioredis")>("ioredis");

export function connect(url: string, role: string): Redis {
  const redis = new (ioredis().Redis)(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on("error", (error: Error) => log.warn("redis connection problem", { role, error }));
  return redis;
}

export async function closeRedis(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.quit().catch(() => c.disconnect());
}
