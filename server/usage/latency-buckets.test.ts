import { describe, expect, it } from "vitest";
import { LATENCY_BUCKETS_MS } from "../../drizzle/schema/usage";
import { DURATION_BUCKET_KEYS, latencyBucket } from "./rollup-delta";

describe("the /metrics latency histograms", () => {
  it("have one bucket per bound plus the open one", () => {
    expect(DURATION_BUCKET_KEYS).toHaveLength(LATENCY_BUCKETS_MS.length + 1);
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(100)).toBe(0);
    expect(latencyBucket(101)).toBe(1);
    expect(latencyBucket(32_000)).toBe(8);
    expect(latencyBucket(90_000)).toBe(9);
  });
});
