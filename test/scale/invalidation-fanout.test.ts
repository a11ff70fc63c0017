/**
 * Scaled out: a change published on one instance empties the caches of the others through Redis pub/sub.
 * "Another instance" is played by a raw Redis connection on the same channel.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish, startInvalidationFanout, subscribe } from "@server/cache/invalidation.server";
import { closeRedis } from "@server/cache/redis.server";
import { startRedis, type TestRedis } from "@test/helpers/redis-server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let redis: TestRedis;
let hub: TempHub;
let stopFanout: () => Promise<void>;
let other: Redis;

beforeAll(async () => {
  redis = await startRedis();
  hub = await createTempHub({ REDIS_URL: redis.url });
  stopFanout = await startInvalidationFanout();
  other = new Redis(redis.url);
});

afterAll(async () => {
  await stopFanout?.();
  await closeRedis();
  other?.disconnect();
  await hub?.cleanup();
  await redis?.stop();
});

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe("invalidation fan-out through Redis", () => {
  it("delivers another instance's change to this instance's listeners", async () => {
    const seen: Array<string | undefined> = [];
    const off = subscribe("access-keys", (detail) => seen.push(detail));
    await other.publish("ai-hub:invalidate", JSON.stringify({ topic: "access-keys", detail: "key_123" }));
    expect(await waitFor(() => seen.length === 1)).toBe(true);
    expect(seen).toEqual(["key_123"]);
    off();
  });

  it("sends this instance's changes to the others", async () => {
    const sub = new Redis(redis.url);
    const messages: string[] = [];
    sub.on("message", (_c: string, m: string) => messages.push(m));
    await sub.subscribe("ai-hub:invalidate");
    publish("catalog", "provider renamed");
    expect(await waitFor(() => messages.length === 1)).toBe(true);
    expect(JSON.parse(messages[0]!)).toEqual({ topic: "catalog", detail: "provider renamed" });
    sub.disconnect();
  });

  it("ignores malformed and unknown messages", async () => {
    const seen: string[] = [];
    const off = subscribe("settings", () => seen.push("settings"));
    await other.publish("ai-hub:invalidate", "not json");
    await other.publish("ai-hub:invalidate", JSON.stringify({ topic: "nothing" }));
    await other.publish("ai-hub:invalidate", JSON.stringify({ topic: "settings" }));
    expect(await waitFor(() => seen.length === 1)).toBe(true);
    expect(seen).toEqual(["settings"]);
    off();
  });
});
