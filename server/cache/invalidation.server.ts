/**
 * Cache invalidation topics. A change (a key revoked, a provider edited) publishes its topic; every cache that
 * depends on it drops its entries at once: in this process directly, in the other instances through Redis
 * pub/sub when REDIS_URL is set (startInvalidationFanout). Caches also expire on a short timer, the safety net
 * for a lost message.
 */
import type { Redis } from "ioredis";
import { connect, getRedis } from "./redis.server";
import { getEnv } from "../env.server";
import { log } from "../log.server";

export type Topic = "catalog" | "access-keys" | "settings" | "governance";
const TOPICS: readonly Topic[] = ["catalog", "access-keys", "settings", "governance"];
const CHANNEL = "ai-hub:invalidate";

type Listener = (detail?: string) => void;
const listeners = new Map<Topic, Set<Listener>>();

export function subscribe(topic: Topic, listener: Listener): () => void {
  let set = listeners.get(topic);
  if (!set) listeners.set(topic, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

function deliver(topic: Topic, detail?: string): void {
  for (const listener of listeners.get(topic) ?? []) listener(detail);
}

export function publish(topic: Topic, detail?: string): void {
  deliver(topic, detail);
  const redis = getRedis();
  if (redis)
    void redis
      .publish(CHANNEL, JSON.stringify({ topic, detail }))
      .catch((error: unknown) => log.warn("invalidation publish failed", { topic, error }));
}

/** Listen for other instances' changes; returns the stop function. No-op without REDIS_URL. */
export async function startInvalidationFanout(): Promise<() => Promise<void>> {
  const url = getEnv().REDIS_URL;
  if (!url) return async () => {};
  const subscriber: Redis = connect(url, "invalidation");
  subscriber.on("message", (_channel: string, message: string) => {
    try {
      const { topic, detail } = JSON.parse(message) as { topic: Topic; detail?: string };
      if (TOPICS.includes(topic)) deliver(topic, detail);
    } catch {
      log.warn("ignored a malformed invalidation message");
    }
  });
  await subscriber.subscribe(CHANNEL);
  return async () => {
    await subscriber.quit().catch(() => subscriber.disconnect());
  };
}
