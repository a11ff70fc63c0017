/**
 * Admission of one API call, after authentication and before anything else: the IP rules (403), then every quota
 * and key limit that applies (429 with Retry-After). Admission returns a ticket the call hands back when it ends,
 * so concurrency slots are released and the tokens and credits it used are counted.
 *
 * How each kind of limit is counted:
 * - requests and tokens per minute: sliding windows in the rate-limit store (memory, or Redis across instances).
 *   Tokens are known only at the end, so admission takes one token (refused once the window is full) and the
 *   end adds the rest.
 * - concurrent requests: leases in the same store, with a TTL so a crashed instance cannot hold them forever.
 * - tokens and credits per day and month (UTC calendar): from the daily usage rollups, the database's own record
 *   of what was used, so they survive restarts and agree across instances. Each process re-reads a counter at
 *   most every REFRESH_MS and adds its own calls in between.
 */
import { and, eq, gte, sql } from "drizzle-orm";
import { usageRollups } from "../../drizzle/schema";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { log } from "../log.server";
import { checkRequestIp, peekIpRules } from "./ip-rules.server";
import {
  applicableLimits,
  firstExceeded,
  describeLimit,
  retryAfterSeconds,
  windowStart,
  type AppliedLimit,
  type QuotaSubject,
} from "./quota-limits";
import { limitsForCaller, peekQuotaRules } from "./quotas.server";
import { getRateLimitStore } from "./rate-limiter.server";

const MINUTE_MS = 60_000;
/** A concurrency lease outlives any call the hub lets run (stream idle timeouts end calls well before). */
const LEASE_MS = 15 * 60_000;
const REFRESH_MS = 2_000;

export interface AdmissionTicket {
  /** The call ended: release its slots and count what it used. Never throws; a second call does nothing. */
  finish(used: { tokens: number; costMicro: number }): void;
}

export const NOTHING_TO_DO: AdmissionTicket = { finish() {} };

/**
 * Admission decided from what is cached, without waiting: when the IP rules and quotas are loaded and fresh, there
 * are no IP rules, and no limit applies to the caller, the call is admitted with nothing to hand back. Null when
 * anything needs a look (admitCall then decides, as for every other call).
 */
export function admittedAtOnce(caller: QuotaSubject): AdmissionTicket | null {
  const ipRules = peekIpRules();
  if (ipRules === undefined || ipRules.length > 0) return null;
  const quotaRules = peekQuotaRules();
  if (quotaRules === undefined || applicableLimits(quotaRules, caller).length > 0) return null;
  return NOTHING_TO_DO;
}

export async function admitCall(request: Request, caller: QuotaSubject): Promise<AdmissionTicket> {
  const { ip, decision } = await checkRequestIp(request, caller.keyId);
  if (!decision.allowed) {
    const why = decision.reason === "denied" ? "is denied by an IP rule" : "is not in the allowed IP ranges";
    throw new HubError(
      "forbidden",
      `Requests from ${ip || "this address"} ${why} for ${caller.keyId && decision.rule?.accessKeyId ? "this key" : "this hub"}.`,
      null,
      {
        code: "ip_not_allowed",
      },
    );
  }
  const limits = await limitsForCaller(caller);
  if (limits.length === 0) return NOTHING_TO_DO;
  return takeLimits(limits, Date.now());
}

async function takeLimits(limits: AppliedLimit[], now: number): Promise<AdmissionTicket> {
  const store = getRateLimitStore();
  const releases: Array<() => Promise<void>> = [];
  const refuse = (limit: AppliedLimit, seconds: number): never => {
    // The caller is answered now; a slot whose release fails frees itself when its lease ends.
    for (const release of releases) void release().catch(logReleaseFailure);
    throw new HubError(
      "rate_limited",
      `Rate limit reached: ${describeLimit(limit)}. Try again in ${seconds} s.`,
      null,
      { retryAfterSeconds: seconds },
    );
  };

  // Calendar quotas first: they need no store writes, so a refusal leaves nothing to undo.
  const calendar = limits.filter((l) => l.window === "day" || l.window === "month");
  if (calendar.length > 0) {
    const used = new Map(
      await Promise.all(calendar.map(async (l) => [l.counterKey, await periodUsage(l, now)] as const)),
    );
    const over = firstExceeded(calendar, (key) => used.get(key) ?? 0, now);
    if (over) refuse(over.limit, over.retryAfterSeconds);
  }

  const tokenMinuteKeys: string[] = [];
  for (const limit of limits) {
    if (limit.window === "minute") {
      const result = await store.hit(limit.counterKey, limit.limit, MINUTE_MS, 1, now);
      if (!result.allowed) refuse(limit, Math.max(1, Math.ceil(result.retryAfterMs / 1000)));
      if (limit.unit === "tokens") tokenMinuteKeys.push(limit.counterKey);
    } else if (limit.window === "concurrent") {
      const release = await store.acquire(limit.counterKey, limit.limit, LEASE_MS, now);
      if (!release) return refuse(limit, retryAfterSeconds("concurrent", now));
      releases.push(release);
    }
  }

  let finished = false;
  return {
    finish({ tokens, costMicro }) {
      if (finished) return;
      finished = true;
      const at = Date.now();
      // Nobody waits for these: a slot whose release fails frees itself when its lease ends, and a lost token count
      // only lets this minute's window admit a little more.
      for (const release of releases) void release().catch(logReleaseFailure);
      // One token was taken at admission; add the rest (or give it back for a call that used none).
      for (const key of tokenMinuteKeys)
        void store.add(key, MINUTE_MS, tokens - 1, at).catch((error: unknown) => {
          log.warn("rate limit: could not add a call's tokens to its minute window", { key, error });
        });
      for (const limit of calendar) addToPeriod(limit, limit.unit === "tokens" ? tokens : costMicro, at);
    },
  };
}

interface PeriodCounter {
  periodStart: number;
  value: number;
  readAt: number;
}

const periods = new Map<string, PeriodCounter>();

async function periodUsage(limit: AppliedLimit, now: number): Promise<number> {
  const start = windowStart(limit.window, now);
  const cached = periods.get(limit.counterKey);
  if (cached && cached.periodStart === start && now - cached.readAt < REFRESH_MS) return cached.value;
  const value = await readPeriodUsage(limit, start);
  if (periods.size > 50_000) periods.clear();
  periods.set(limit.counterKey, { periodStart: start, value, readAt: now });
  return value;
}

function logReleaseFailure(error: unknown): void {
  log.warn("rate limit: could not release a concurrency slot; it frees itself when its lease ends", { error });
}

function addToPeriod(limit: AppliedLimit, amount: number, now: number): void {
  const counter = periods.get(limit.counterKey);
  if (counter && counter.periodStart === windowStart(limit.window, now)) counter.value += amount;
}

/** Tokens or micro-credits used in the scope since `start`, from the daily rollups (day buckets start at UTC midnight). */
async function readPeriodUsage(limit: AppliedLimit, start: number): Promise<number> {
  const db = await getDb();
  const amount =
    limit.unit === "tokens"
      ? sql<number>`coalesce(sum(${usageRollups.inputTokens} + ${usageRollups.outputTokens}), 0)`
      : sql<number>`coalesce(sum(${usageRollups.costMicro}), 0)`;
  const since = gte(usageRollups.bucketStart, start);
  const where =
    limit.scope === "global"
      ? and(eq(usageRollups.bucket, "day_all"), since)
      : limit.scope === "user"
        ? and(eq(usageRollups.bucket, "day_user"), since, eq(usageRollups.userId, limit.scopeId))
        : limit.scope === "key"
          ? and(eq(usageRollups.bucket, "day"), since, eq(usageRollups.accessKeyId, limit.scopeId))
          : and(eq(usageRollups.bucket, "day"), since, eq(usageRollups.appName, limit.scopeId));
  const [row] = await db.select({ amount }).from(usageRollups).where(where);
  return Number(row?.amount ?? 0);
}

/** Tests: forget cached period counters (the database is the truth). */
export function resetAdmissionCaches(): void {
  periods.clear();
}
