import { describe, expect, it } from "vitest";
import {
  applicableLimits,
  describeLimit,
  firstExceeded,
  keyLimitsRule,
  retryAfterSeconds,
  tightest,
  windowStart,
  type QuotaRule,
} from "./quota-limits";

const subject = { userId: "usr_1", keyId: "key_1", appName: "cli" };

describe("applicableLimits", () => {
  it("applies global, user, key and app rules that match, each in its own counter", () => {
    const rules: QuotaRule[] = [
      { scope: "global", scopeId: "", requestsPerMinute: 1000 },
      { scope: "user", scopeId: "usr_1", requestsPerMinute: 60, tokensPerDay: 100_000 },
      { scope: "user", scopeId: "usr_2", requestsPerMinute: 1 },
      { scope: "key", scopeId: "key_1", concurrency: 2 },
      { scope: "app", scopeId: "cli", creditsPerMonthMicro: 5_000_000 },
      { scope: "app", scopeId: "other", concurrency: 1 },
    ];
    const limits = applicableLimits(rules, subject);
    expect(limits.map((l) => l.counterKey)).toEqual([
      "global::requestsPerMinute",
      "user:usr_1:requestsPerMinute",
      "user:usr_1:tokensPerDay",
      "key:key_1:concurrency",
      "app:cli:creditsPerMonthMicro",
    ]);
    expect(limits[2]).toMatchObject({ field: "tokensPerDay", limit: 100_000, window: "day", unit: "tokens" });
    expect(tightest(limits, "requestsPerMinute")).toMatchObject({ scope: "user", limit: 60 });
    expect(tightest(limits, "tokensPerMinute")).toBeNull();
  });
  it("ignores nulls, and app rules when the call has no app", () => {
    const rules: QuotaRule[] = [
      { scope: "user", scopeId: "usr_1", requestsPerMinute: null, tokensPerMinute: 0 },
      { scope: "app", scopeId: "", concurrency: 1 },
    ];
    expect(applicableLimits(rules, { userId: "usr_1", keyId: null, appName: null })).toEqual([
      expect.objectContaining({ field: "tokensPerMinute", limit: 0 }),
    ]);
  });
  it("merges a key's own limits into the key scope, the tighter value winning", () => {
    const rules: QuotaRule[] = [{ scope: "key", scopeId: "key_1", requestsPerMinute: 30, concurrency: 1 }];
    const limits = applicableLimits(rules, {
      ...subject,
      keyLimits: { requestsPerMinute: 10, concurrency: 5, creditsPerDay: 2.5 },
    });
    expect(limits.find((l) => l.field === "requestsPerMinute")?.limit).toBe(10);
    expect(limits.find((l) => l.field === "concurrency")?.limit).toBe(1);
    expect(limits.find((l) => l.field === "creditsPerDayMicro")?.limit).toBe(2_500_000);
  });
  it("keyLimitsRule converts whole credits to micro-credits", () => {
    expect(keyLimitsRule("k", { creditsPerDay: 3 })).toMatchObject({
      scope: "key",
      scopeId: "k",
      creditsPerDayMicro: 3_000_000,
      requestsPerMinute: null,
    });
  });
});

describe("windows", () => {
  const now = Date.UTC(2025, 0, 31, 23, 59, 30, 500);
  it("start at the minute, the UTC day and the UTC month", () => {
    expect(windowStart("minute", now)).toBe(Date.UTC(2025, 0, 31, 23, 59));
    expect(windowStart("day", now)).toBe(Date.UTC(2025, 0, 31));
    expect(windowStart("month", now)).toBe(Date.UTC(2025, 0, 1));
    expect(windowStart("concurrent", now)).toBe(0);
  });
  it("Retry-After counts to the next window, at least one second", () => {
    expect(retryAfterSeconds("minute", now)).toBe(30);
    expect(retryAfterSeconds("day", now)).toBe(30);
    expect(retryAfterSeconds("month", now)).toBe(30);
    expect(retryAfterSeconds("concurrent", now)).toBe(1);
    expect(retryAfterSeconds("minute", Date.UTC(2025, 0, 1, 0, 0, 59, 999))).toBe(1);
    expect(retryAfterSeconds("month", Date.UTC(2024, 1, 1))).toBe(29 * 86_400); // leap February
  });
});

describe("firstExceeded", () => {
  const now = Date.UTC(2025, 5, 1, 12, 0, 15);
  const limits = applicableLimits(
    [
      { scope: "global", scopeId: "", requestsPerMinute: 100 },
      { scope: "user", scopeId: "usr_1", requestsPerMinute: 2, tokensPerMinute: 1000, concurrency: 1 },
    ],
    subject,
  );
  it("refuses the request that would go over a request limit, with Retry-After and a message", () => {
    const counters = new Map([["user:usr_1:requestsPerMinute", 2]]);
    const refusal = firstExceeded(limits, (k) => counters.get(k) ?? 0, now);
    expect(refusal).toMatchObject({
      limit: { counterKey: "user:usr_1:requestsPerMinute" },
      used: 2,
      retryAfterSeconds: 45,
    });
    expect(refusal?.message).toBe("Rate limit reached: 2 requests per minute for your account.");
  });
  it("lets the last allowed request through", () => {
    expect(firstExceeded(limits, (k) => (k === "user:usr_1:requestsPerMinute" ? 1 : 0), now)).toBeNull();
  });
  it("refuses once tokens used reach the limit; concurrency counts in-flight calls", () => {
    expect(firstExceeded(limits, (k) => (k.endsWith("tokensPerMinute") ? 999 : 0), now)).toBeNull();
    expect(firstExceeded(limits, (k) => (k.endsWith("tokensPerMinute") ? 1000 : 0), now)?.limit.field).toBe(
      "tokensPerMinute",
    );
    expect(firstExceeded(limits, (k) => (k.endsWith("concurrency") ? 1 : 0), now)).toMatchObject({
      limit: { field: "concurrency" },
      retryAfterSeconds: 1,
    });
  });
  it("checks the whole hub first", () => {
    expect(firstExceeded(limits, () => 100, now)?.limit.scope).toBe("global");
  });
  it("describes limits in words", () => {
    expect(describeLimit({ field: "creditsPerDayMicro", limit: 1_500_000, scope: "app" })).toBe(
      "1.5 credits per day for this app",
    );
  });
});
