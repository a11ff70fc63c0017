import { describe, expect, it } from "vitest";
import { exactQuantile, withinAccuracy } from "@test/helpers/exact-quantile";
import { seededRandom } from "@test/helpers/seeded-random";
import { decodeSketch, encodeSketch, LatencySketch, SKETCH_RELATIVE_ACCURACY } from "./latency-sketch";

const QS = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

function sketchOf(values: number[]): LatencySketch {
  const s = new LatencySketch();
  for (const v of values) s.add(v);
  return s;
}

const random = seededRandom(5);
const DATASETS: Record<string, number[]> = {
  "fast calls under 100 ms": Array.from({ length: 120 }, () => 20 + Math.floor(random() * 80)),
  "log-normal with a long tail": Array.from({ length: 5000 }, () =>
    Math.round(Math.exp(5 + 1.5 * Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random()))),
  ),
  "two clusters far apart": Array.from({ length: 1000 }, (_, i) =>
    i % 10 === 0 ? 45_000 + Math.floor(random() * 5000) : 30 + Math.floor(random() * 10),
  ),
  "zeros and ones": Array.from({ length: 300 }, (_, i) => i % 3),
  "one call": [115],
  "very slow calls": Array.from({ length: 50 }, () => 3_600_000 + Math.floor(random() * 1e6)),
};

describe("latency sketch", () => {
  for (const [name, values] of Object.entries(DATASETS)) {
    it(`answers every quantile within ${SKETCH_RELATIVE_ACCURACY * 100} % and inside [min, max]: ${name}`, () => {
      const sketch = sketchOf(values);
      const restored = decodeSketch(encodeSketch(sketch), Math.min(...values), Math.max(...values));
      for (const s of [sketch, restored]) {
        for (const q of QS) {
          const shown = s.quantile(q);
          expect(
            withinAccuracy(shown, exactQuantile(values, q), SKETCH_RELATIVE_ACCURACY),
            `q=${q}: ${shown} vs ${exactQuantile(values, q)}`,
          ).toBe(true);
          expect(shown).toBeGreaterThanOrEqual(Math.min(...values));
          expect(shown).toBeLessThanOrEqual(Math.max(...values));
        }
      }
    });
  }

  it("reports a single call's own latency for every quantile", () => {
    const s = decodeSketch(encodeSketch(sketchOf([115])), 115, 115);
    expect([s.quantile(0.5), s.quantile(0.95), s.quantile(0.99)]).toEqual([115, 115, 115]);
  });

  it("merges: the union of two sketches equals the sketch of the union, stored or not", () => {
    const a = DATASETS["fast calls under 100 ms"]!;
    const b = DATASETS["log-normal with a long tail"]!;
    const merged = sketchOf(a);
    merged.merge(sketchOf(b));
    const stored = new LatencySketch();
    stored.mergeEncoded(encodeSketch(sketchOf(a)), Math.min(...a), Math.max(...a));
    stored.mergeEncoded(encodeSketch(sketchOf(b)), Math.min(...b), Math.max(...b));
    const union = sketchOf([...a, ...b]);
    expect(encodeSketch(merged)).toEqual(encodeSketch(union));
    expect(encodeSketch(stored)).toEqual(encodeSketch(union));
    for (const q of QS) expect(stored.quantile(q)).toBe(union.quantile(q));
  });

  it("is empty (null) without samples, and stores compactly", () => {
    expect(new LatencySketch().quantile(0.5)).toBeNull();
    expect(encodeSketch(new LatencySketch())).toHaveLength(1);
    expect(decodeSketch(encodeSketch(new LatencySketch())).quantile(0.5)).toBeNull();
    // 5,000 log-normal latencies: a few hundred buckets, about two bytes each.
    const bytes = encodeSketch(sketchOf(DATASETS["log-normal with a long tail"]!));
    expect(bytes.length).toBeLessThan(1200);
    // Counts above 127 take more varint bytes and still decode.
    const big = new LatencySketch();
    big.add(250, 1_000_000_000);
    expect(decodeSketch(encodeSketch(big)).total).toBe(1_000_000_000);
  });
});
