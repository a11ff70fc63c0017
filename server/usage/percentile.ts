/**
 * Percentiles from a latency histogram (counts per LATENCY_BUCKETS_MS bucket), interpolating linearly inside
 * the bucket the rank falls in, as Prometheus' histogram_quantile does. Pure. null when there is no sample.
 */
import { LATENCY_BUCKETS_MS } from "../../drizzle/schema/usage";

export function histogramPercentile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && seen + c >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
      // The open last bucket has no upper bound: report its lower bound, as histogram_quantile does.
      if (i >= LATENCY_BUCKETS_MS.length) return lower;
      const upper = LATENCY_BUCKETS_MS[i]!;
      return Math.round(lower + ((rank - seen) / c) * (upper - lower));
    }
    seen += c;
  }
  return LATENCY_BUCKETS_MS.at(-1)!;
}
