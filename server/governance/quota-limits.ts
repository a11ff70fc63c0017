/**
 * Quotas and limits, pure: which limits apply to a caller, how each one is counted, and when a refused caller
 * may try again. The gateway keeps the counters (in memory or Redis) and asks `firstExceeded` before a call;
 * this module owns only the decisions, so they are tested without clocks or stores.
 *
 * Each limit is counted in its own scope: a global limit counts every call to the hub, a user limit that user's
 * calls, a key limit that key's, an app limit that app's. So every matching rule applies at once (a user under
 * their own 60 requests a minute is still refused when the whole hub is over its 1,000), and within one scope
 * the tighter of a quota row and the key's own limits wins.
 */
import type { KeyLimits } from "../../drizzle/schema";

export const LIMIT_FIELDS = [
  "requestsPerMinute",
  "tokensPerMinute",
  "concurrency",
  "tokensPerDay",
  "tokensPerMonth",
  "creditsPerDayMicro",
  "creditsPerMonthMicro",
] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

export const QUOTA_SCOPES = ["global", "user", "key", "app"] as const;
export type QuotaScope = (typeof QUOTA_SCOPES)[number];

export type LimitValues = { [F in LimitField]?: number | null };

export interface QuotaRule extends LimitValues {
  scope: QuotaScope;
  /** "" for global; the user id, key id or app name otherwise. */
  scopeId: string;
}

export interface QuotaSubject {
  userId: string;
  keyId: string | null;
  appName: string | null;
  /** The key's own limits (set on the Keys page); counted per key. */
  keyLimits?: KeyLimits | null;
}

export type LimitWindow = "minute" | "day" | "month" | "concurrent";

export interface AppliedLimit {
  field: LimitField;
  limit: number;
  scope: QuotaScope;
  scopeId: string;
  window: LimitWindow;
  /** What the counter counts: requests, tokens, in-flight calls or micro-credits. */
  unit: "requests" | "tokens" | "concurrent" | "credits";
  /** The counter's name, shared by every instance: "user:usr_1:tokensPerMinute". */
  counterKey: string;
}

const FIELD_INFO: Record<LimitField, { window: LimitWindow; unit: AppliedLimit["unit"] }> = {
  requestsPerMinute: { window: "minute", unit: "requests" },
  tokensPerMinute: { window: "minute", unit: "tokens" },
  concurrency: { window: "concurrent", unit: "concurrent" },
  tokensPerDay: { window: "day", unit: "tokens" },
  tokensPerMonth: { window: "month", unit: "tokens" },
  creditsPerDayMicro: { window: "day", unit: "credits" },
  creditsPerMonthMicro: { window: "month", unit: "credits" },
};

const usable = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** A key's own limits as a quota rule in the key's scope (credits per day are whole credits there). */
export function keyLimitsRule(keyId: string, limits: KeyLimits): QuotaRule {
  return {
    scope: "key",
    scopeId: keyId,
    requestsPerMinute: limits.requestsPerMinute ?? null,
    tokensPerMinute: limits.tokensPerMinute ?? null,
    concurrency: limits.concurrency ?? null,
    creditsPerDayMicro: usable(limits.creditsPerDay) ? Math.round(limits.creditsPerDay * 1_000_000) : null,
  };
}

function matches(rule: QuotaRule, subject: QuotaSubject): boolean {
  switch (rule.scope) {
    case "global":
      return true;
    case "user":
      return rule.scopeId === subject.userId;
    case "key":
      return subject.keyId !== null && rule.scopeId === subject.keyId;
    case "app":
      return subject.appName !== null && subject.appName !== "" && rule.scopeId === subject.appName;
  }
}

const ORDER: Record<QuotaScope, number> = { global: 0, user: 1, key: 2, app: 3 };

/** Every limit that applies to the subject, one per (scope, field), the tightest when two rules share a scope. */
export function applicableLimits(rules: readonly QuotaRule[], subject: QuotaSubject): AppliedLimit[] {
  const all = [...rules];
  if (subject.keyId && subject.keyLimits) all.push(keyLimitsRule(subject.keyId, subject.keyLimits));
  const byCounter = new Map<string, AppliedLimit>();
  for (const rule of all) {
    if (!matches(rule, subject)) continue;
    for (const field of LIMIT_FIELDS) {
      const value = rule[field];
      if (!usable(value)) continue;
      const scopeId = rule.scope === "global" ? "" : rule.scopeId;
      const counterKey = `${rule.scope}:${scopeId}:${field}`;
      const existing = byCounter.get(counterKey);
      if (!existing || value < existing.limit) {
        byCounter.set(counterKey, {
          field,
          limit: value,
          scope: rule.scope,
          scopeId,
          counterKey,
          ...FIELD_INFO[field],
        });
      }
    }
  }
  return [...byCounter.values()].sort(
    (a, b) => ORDER[a.scope] - ORDER[b.scope] || LIMIT_FIELDS.indexOf(a.field) - LIMIT_FIELDS.indexOf(b.field),
  );
}

/** The tightest limit of one field among applicable limits, whatever its scope (for display). */
export function tightest(limits: readonly AppliedLimit[], field: LimitField): AppliedLimit | null {
  return limits
    .filter((l) => l.field === field)
    .reduce<AppliedLimit | null>((min, l) => (!min || l.limit < min.limit ? l : min), null);
}

/** Start of the counting window that contains `now` (UTC), in epoch ms; 0 for concurrency (no window). */
export function windowStart(window: LimitWindow, now: number): number {
  const d = new Date(now);
  switch (window) {
    case "minute":
      return now - (now % 60_000);
    case "day":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case "concurrent":
      return 0;
  }
}

/** Seconds until the window resets, for Retry-After (at least 1). Concurrency: 1 second, a call may end soon. */
export function retryAfterSeconds(window: LimitWindow, now: number): number {
  const d = new Date(now);
  let next: number;
  switch (window) {
    case "minute":
      next = windowStart("minute", now) + 60_000;
      break;
    case "day":
      next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      break;
    case "month":
      next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      break;
    case "concurrent":
      return 1;
  }
  return Math.max(1, Math.ceil((next - now) / 1000));
}

export interface LimitRefusal {
  limit: AppliedLimit;
  used: number;
  retryAfterSeconds: number;
  /** For the 429 body: "Rate limit reached: 60 requests per minute for this key." */
  message: string;
}

const SCOPE_WORDS: Record<QuotaScope, string> = {
  global: "the whole hub",
  user: "your account",
  key: "this key",
  app: "this app",
};
const FIELD_WORDS: Record<LimitField, (n: number) => string> = {
  requestsPerMinute: (n) => `${n} requests per minute`,
  tokensPerMinute: (n) => `${n} tokens per minute`,
  concurrency: (n) => `${n} concurrent requests`,
  tokensPerDay: (n) => `${n} tokens per day`,
  tokensPerMonth: (n) => `${n} tokens per month`,
  creditsPerDayMicro: (n) => `${n / 1_000_000} credits per day`,
  creditsPerMonthMicro: (n) => `${n / 1_000_000} credits per month`,
};

export function describeLimit(limit: Pick<AppliedLimit, "field" | "limit" | "scope">): string {
  return `${FIELD_WORDS[limit.field](limit.limit)} for ${SCOPE_WORDS[limit.scope]}`;
}

/**
 * The first limit a new call would break, or null. `used(counterKey, window)` is the counter's current value;
 * `cost` is what this call adds now: one request and one concurrent call; tokens and credits are checked
 * against what was already used (their cost is known only afterwards), so a call is refused once the window's
 * total has reached the limit.
 */
export function firstExceeded(
  limits: readonly AppliedLimit[],
  used: (counterKey: string, window: LimitWindow) => number,
  now: number,
): LimitRefusal | null {
  for (const limit of limits) {
    const current = used(limit.counterKey, limit.window);
    const adds = limit.unit === "requests" || limit.unit === "concurrent" ? 1 : 0;
    const over = adds ? current + adds > limit.limit : current >= limit.limit;
    if (over) {
      return {
        limit,
        used: current,
        retryAfterSeconds: retryAfterSeconds(limit.window, now),
        message: `Rate limit reached: ${describeLimit(limit)}.`,
      };
    }
  }
  return null;
}
