/**
 * Failed authentications are counted in Redis when REDIS_URL is set, so the limit holds across instances: failures
 * seen by another instance (played by a raw Redis connection adding to the same counter) count here, and the
 * counters expire on their own (bounded memory in Redis).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { closeRedis } from "@server/cache/redis.server";
import { setTrustedProxies } from "@server/governance/ip-rules.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { startRedis, type TestRedis } from "@test/helpers/redis-server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let redis: TestRedis;
let hub: TempHub;
let api: ApiServer;
let other: Redis;

beforeAll(async () => {
  redis = await startRedis();
  hub = await createTempHub({ REDIS_URL: redis.url });
  await setTrustedProxies(["127.0.0.1"], CLI_ACTOR);
  api = await startApiServer();
  other = new Redis(redis.url);
});

afterAll(async () => {
  await api?.close();
  await closeRedis();
  other?.disconnect();
  await hub?.cleanup();
  await redis?.stop();
});

const wrongKey = (i: number) =>
  fetch(`${api.url}/api/v2/models`, {
    headers: { authorization: `Bearer hub-sk-wrong-${i}-xxxxxxxxxxxx`, "x-forwarded-for": "203.0.113.50" },
  });

describe("auth throttling across instances", () => {
  it("counts another instance's failures for the same address", async () => {
    const into = Date.now() % 60_000;
    if (into > 45_000) await new Promise((r) => setTimeout(r, 60_000 - into + 50));
    for (let i = 0; i < 10; i++) expect((await wrongKey(i)).status).toBe(401);
    const counters = await other.keys("ai-hub:rl:authfail:203.0.113.50:*");
    expect(counters).toHaveLength(1);
    expect(await other.pttl(counters[0]!)).toBeGreaterThan(0);
    // Another instance saw ten more wrong keys from this address in this minute.
    await other.incrby(counters[0]!, 10);
    const refused = await wrongKey(21);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
