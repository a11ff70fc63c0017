import { describe, expect, it } from "vitest";
import { LATENCY_BUCKETS_MS } from "../../drizzle/schema/usage";
import { histogramPercentile } from "./percentile";
import { DURATION_BUCKET_KEYS, latencyBucket } from "./rollup-delta";

describe("latency histograms", () => {
  it("have one bucket per bound plus the open one", () => {
    expect(DURATION_BUCKET_KEYS).toHaveLength(LATENCY_BUCKETS_MS.length + 1);
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(100)).toBe(0);
    expect(latencyBucket(101)).toBe(1);
    expect(latencyBucket(32_000)).toBe(8);
    expect(latencyBucket(90_000)).toBe(9);
  });

  it("interpolate percentiles inside the bucket", () => {
    const counts = [0, 0, 10, 10, 0, 0, 0, 0, 0, 0]; // 10 in (250, 500], 10 in (500, 1000]
    expect(histogramPercentile(counts, 0.5)).toBe(500);
    expect(histogramPercentile(counts, 0.25)).toBe(375);
    expect(histogramPercentile(counts, 0.95)).toBe(950);
    expect(histogramPercentile([0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 0.5)).toBe(32_000);
    expect(histogramPercentile(new Array(10).fill(0), 0.5)).toBeNull();
  });
});
