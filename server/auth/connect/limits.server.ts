/**
 * Rate limits of the connect flow, on the gateway's rate-limit store (server/governance/rate-limiter.server.ts):
 * in this process's memory, or in Redis when REDIS_URL is set so the limits hold across instances.
 * Starting a session is rare (a person runs "connect" once); polling is steady: AIGNE's CLI polls every 1.5 s and
 * RFC 8628 clients every 5 s, so 120 polls a minute per address leaves room for a few tools at once. User-code
 * lookups are counted per person, which keeps guessing someone else's live code hopeless.
 */
import { HubError } from "../../errors";
import { getRateLimitStore } from "../../governance/rate-limiter.server";
import { clientIp } from "../session.server";

export interface ConnectLimit {
  name: string;
  limit: number;
  windowMs: number;
}

export const connectLimits = {
  /** New sessions per client address (AIGNE sessions and RFC 8628 device codes together). */
  start: { name: "start", limit: 10, windowMs: 60_000 },
  /** Polls per client address (AIGNE session reads and RFC 8628 token requests together). */
  poll: { name: "poll", limit: 120, windowMs: 60_000 },
  /** User-code lookups on /device per signed-in person. */
  lookup: { name: "lookup", limit: 20, windowMs: 10 * 60_000 },
} satisfies Record<string, ConnectLimit>;

// Part of every key, so tests can start from fresh counters without reaching into the store.
let generation = 0;
export function resetConnectLimitsForTests(): void {
  generation++;
}

/** Counts one hit; `ok: false` with the seconds to wait once `key` has used up the limit's window. */
export async function checkLimit(
  limit: ConnectLimit,
  key: string,
  now = Date.now(),
): Promise<{ ok: boolean; retryAfterSeconds: number }> {
  const result = await getRateLimitStore().hit(
    `connect:${generation}:${limit.name}:${key}`,
    limit.limit,
    limit.windowMs,
    1,
    now,
  );
  return { ok: result.allowed, retryAfterSeconds: Math.max(1, Math.ceil(result.retryAfterMs / 1000)) };
}

/** Throws HubError 429 with Retry-After when `key` has used up the limit. */
export async function enforce(limit: ConnectLimit, key: string, what: string): Promise<void> {
  const { ok, retryAfterSeconds } = await checkLimit(limit, key);
  if (!ok)
    throw new HubError("rate_limited", `Too many ${what}; try again in ${retryAfterSeconds} s.`, null, {
      retryAfterSeconds,
    });
}

export const addressOf = (request: Request) => clientIp(request) || "unknown";
