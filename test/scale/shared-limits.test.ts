/**
 * Scaled out with Redis: what one instance counts, every instance sees. "Another instance" is played by a raw
 * Redis connection writing what that instance would have written.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { consumeFlow } from "@server/auth/oauth/consumed-flows.server";
import { closeRedis } from "@server/cache/redis.server";
import { admitCall } from "@server/governance/admission.server";
import { setQuota } from "@server/governance/quotas.server";
import { HubError } from "@server/errors";
import { startRedis, type TestRedis } from "@test/helpers/redis-server";
import { seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let redis: TestRedis;
let hub: TempHub;
let other: Redis;

beforeAll(async () => {
  redis = await startRedis();
  hub = await createTempHub({ REDIS_URL: redis.url });
  other = new Redis(redis.url);
});

afterAll(async () => {
  await closeRedis();
  other?.disconnect();
  await hub?.cleanup();
  await redis?.stop();
});

const apiRequest = () =>
  new Request("http://hub.test/api/v2/chat/completions", {
    method: "POST",
    headers: { "x-hub-client-ip": "127.0.0.1" },
  });

describe("shared state through Redis", () => {
  it("an OAuth flow finished on another instance cannot be finished here", async () => {
    const expiresAt = Date.now() + 60_000;
    expect(await consumeFlow("state-a", expiresAt)).toBe(true);
    expect(await consumeFlow("state-a", expiresAt)).toBe(false);
    await other.set("ai-hub:oauth-flow:state-b", "1", "PX", 60_000);
    expect(await consumeFlow("state-b", expiresAt)).toBe(false);
  });

  it("requests per minute are counted in Redis, so another instance's calls count here", async () => {
    const { user, keyRecord } = await seedUserWithKey("scale@example.com");
    await setQuota({ scope: "key", scopeId: keyRecord.id, requestsPerMinute: 3 }, CLI_ACTOR);
    const subject = { userId: user.id, keyId: keyRecord.id, appName: null };
    (await admitCall(apiRequest(), subject)).finish({ tokens: 10, costMicro: 0 });
    const counters = await other.keys(`ai-hub:rl:key:${keyRecord.id}:requestsPerMinute:*`);
    expect(counters.length).toBeGreaterThan(0);
    // Another instance admitted two more calls in this minute.
    const current = counters.sort().at(-1)!;
    await other.incrby(current, 2);
    const refused = await admitCall(apiRequest(), subject).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HubError);
    expect((refused as HubError).status).toBe(429);
    expect((refused as HubError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it("concurrency slots are shared: a slot held elsewhere is not available here", async () => {
    const { user, keyRecord } = await seedUserWithKey("slots@example.com");
    await setQuota({ scope: "user", scopeId: user.id, concurrency: 1 }, CLI_ACTOR);
    const subject = { userId: user.id, keyId: keyRecord.id, appName: null };
    const now = Date.now();
    await other.zadd(`ai-hub:rl:slots:user:${user.id}:concurrency`, now + 60_000, "elsewhere");
    const refused = await admitCall(apiRequest(), subject).catch((e: unknown) => e);
    expect((refused as HubError).status).toBe(429);
    await other.zrem(`ai-hub:rl:slots:user:${user.id}:concurrency`, "elsewhere");
    const ticket = await admitCall(apiRequest(), subject);
    ticket.finish({ tokens: 1, costMicro: 0 });
  });
});
