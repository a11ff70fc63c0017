/**
 * Each sign-in flow may finish once. The flow cookie is cleared at the callback, but a copied cookie (or a
 * double-submitted callback) would otherwise redeem the same state again. Remembered until the flow would have
 * expired anyway: in Redis when REDIS_URL is set (one SET NX, so every instance agrees), else in this process
 * (one instance; and the provider's single-use codes refuse a replay anyway).
 */
import { getRedis } from "../../cache/redis.server";

const consumed = new Map<string, number>();

/** True the first time a state is seen; false for every later attempt before `expiresAt`. */
export async function consumeFlow(state: string, expiresAt: number, now = Date.now()): Promise<boolean> {
  const redis = getRedis();
  if (redis) {
    const ttl = Math.max(1, expiresAt - now);
    return (await redis.set(`ai-hub:oauth-flow:${state}`, "1", "PX", ttl, "NX")) === "OK";
  }
  for (const [key, until] of consumed) if (until <= now) consumed.delete(key);
  if (consumed.has(state)) return false;
  consumed.set(state, expiresAt);
  return true;
}
