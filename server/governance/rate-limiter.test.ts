import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "@test/helpers/redis-server";
import {
  MemoryRateLimitStore,
  RedisRateLimitStore,
  retryAfter,
  slidingCount,
  type RateLimitStore,
} from "./rate-limiter.server";

describe("sliding window arithmetic", () => {
  it("weights the previous window by its remaining overlap", () => {
    expect(slidingCount(3, 10, 60_000, 60_000 * 5)).toBe(13); // at the window start the previous counts fully
    expect(slidingCount(3, 10, 60_000, 60_000 * 5 + 45_000)).toBe(5.5);
  });
  it("says when a refused hit would fit", () => {
    // 10 last window, 0 now, limit 10, 15 s into the window: 10 * 0.75 + 1 > 10? no: it fits already.
    expect(retryAfter(0, 10, 10, 1, 60_000, 15_000)).toBe(0);
    // 5 now and 10 last window at 15 s: 5 + 7.5 + 1 > 10, fits when 5 + 10(1 - t/60) + 1 <= 10 → t = 36 s.
    expect(retryAfter(5, 10, 10, 1, 60_000, 15_000)).toBe(21_000);
    // this window already full: wait for the next window and then for its decay.
    expect(retryAfter(10, 0, 10, 1, 60_000, 15_000)).toBe(45_000 + 6_000);
  });
});

function behaves(name: string, make: () => RateLimitStore) {
  describe(`${name} store`, () => {
    it("allows up to the limit per window and refuses the rest with a retry delay", async () => {
      const store = make();
      const key = `k-${Math.random()}`;
      const t0 = 1_700_000_040_000 - (1_700_000_040_000 % 60_000); // a window start
      for (let i = 0; i < 5; i++) expect((await store.hit(key, 5, 60_000, 1, t0 + i)).allowed).toBe(true);
      const refused = await store.hit(key, 5, 60_000, 1, t0 + 10);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(59_000);
      // Next window, 30 s in: the previous 5 weigh 2.5, so two more fit and the third does not.
      expect((await store.hit(key, 5, 60_000, 1, t0 + 90_000)).allowed).toBe(true);
      expect((await store.hit(key, 5, 60_000, 1, t0 + 90_000)).allowed).toBe(true);
      expect((await store.hit(key, 5, 60_000, 1, t0 + 90_000)).allowed).toBe(false);
    });

    it("counts token costs, and usage added after the fact", async () => {
      const store = make();
      const key = `t-${Math.random()}`;
      const t0 = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);
      expect((await store.hit(key, 1000, 60_000, 600, t0)).allowed).toBe(true);
      await store.add(key, 60_000, 300, t0 + 1);
      expect((await store.hit(key, 1000, 60_000, 200, t0 + 2)).allowed).toBe(false);
      expect((await store.hit(key, 1000, 60_000, 100, t0 + 3)).allowed).toBe(true);
    });

    it("leases concurrent slots and frees them on release or expiry", async () => {
      const store = make();
      const key = `c-${Math.random()}`;
      const a = await store.acquire(key, 2, 10_000, 1_000);
      const b = await store.acquire(key, 2, 10_000, 1_001);
      expect(a && b).toBeTruthy();
      expect(await store.acquire(key, 2, 10_000, 1_002)).toBeNull();
      await a!();
      expect(await store.acquire(key, 2, 10_000, 1_003)).not.toBeNull();
      expect(await store.acquire(key, 2, 10_000, 1_004)).toBeNull();
      expect(await store.acquire(key, 2, 10_000, 20_000)).not.toBeNull(); // the others expired
    });
  });
}

behaves("memory", () => new MemoryRateLimitStore());

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});
behaves("Redis", () => new RedisRateLimitStore(client, `test:${Math.random()}:`));

describe("Redis store across instances", () => {
  it("shares one limit between two connections (two hub instances)", async () => {
    const other = new Redis(redis.url);
    const prefix = `shared:${Math.random()}:`;
    const a = new RedisRateLimitStore(client, prefix);
    const b = new RedisRateLimitStore(other, prefix);
    const now = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).hit("user:1", 7, 60_000, 1, now + i)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(7);
    other.disconnect();
  });
});

describe("memory store bounds", () => {
  it("holds at most its bound of counters when every hit comes from a new key in the same window", async () => {
    const store = new MemoryRateLimitStore(1_000);
    const t0 = 1_700_000_040_000 - (1_700_000_040_000 % 60_000);
    for (let i = 0; i < 5_000; i++) await store.hit(`authfail:198.51.${i >> 8}.${i & 255}`, 20, 60_000, 1, t0 + i);
    expect(store.size()).toBeLessThanOrEqual(1_001);
    // The newest keys are the ones kept, and they still count.
    for (let i = 0; i < 19; i++) await store.hit("authfail:last", 20, 60_000, 1, t0 + 6_000);
    expect((await store.hit("authfail:last", 20, 60_000, 1, t0 + 6_001)).allowed).toBe(true);
    expect((await store.hit("authfail:last", 20, 60_000, 1, t0 + 6_002)).allowed).toBe(false);
  });

  it("forgets a concurrency key once its last slot is released", async () => {
    const store = new MemoryRateLimitStore();
    const releases = await Promise.all(Array.from({ length: 3 }, (_, i) => store.acquire(`slots-${i}`, 2, 60_000, 1)));
    expect(store.size()).toBe(3);
    for (const release of releases) await release!();
    expect(store.size()).toBe(0);
  });
});
