/**
 * A mergeable latency sketch (the DDSketch idea, docs/decisions/011-latency-sketches.md): counts per logarithmic
 * bucket, so any quantile read back is within SKETCH_RELATIVE_ACCURACY of the exact value, and two sketches merge by
 * adding counts. Pure.
 *
 * Bucket 0 holds latencies under 1 ms (reported as 0); bucket i ≥ 1 holds (γ^(i-2), γ^(i-1)] and reports
 * 2γ^(i-1)/(γ+1), which is within α of anything in it, with γ = (1+α)/(1-α).
 *
 * Stored form: a version byte, then (index − previous index, count) pairs as unsigned LEB128 varints, indexes
 * ascending; an empty sketch is the version byte alone. Typically 2-3 bytes per non-empty bucket.
 */

export const SKETCH_RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
/** Highest bucket: about 10^8.6 ms (4.6 days) at 1 %; longer latencies count there (and min/max stay exact). */
export const MAX_SKETCH_INDEX = 1000;
const FORMAT_VERSION = 1;

export function sketchIndex(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(MAX_SKETCH_INDEX, 1 + Math.ceil(Math.log(ms) / LN_GAMMA));
}

/** The value a bucket reports: the point with the same relative distance to both of its bounds. */
export function bucketValue(index: number): number {
  return index === 0 ? 0 : (2 * GAMMA ** (index - 1)) / (GAMMA + 1);
}

/**
 * Counts by bucket index, dense, so merging many stored sketches is one addition per stored bucket. The array is
 * made on first use: a month of hourly points holds hundreds of sketches, many of them empty.
 */
export class LatencySketch {
  private dense: Float64Array | null = null;
  total = 0;
  min = Infinity;
  max = -Infinity;

  get counts(): Float64Array {
    return (this.dense ??= new Float64Array(MAX_SKETCH_INDEX + 1));
  }

  add(ms: number, count = 1): void {
    this.counts[sketchIndex(ms)]! += count;
    this.total += count;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  merge(other: LatencySketch): void {
    if (other.dense) {
      const counts = this.counts;
      for (let i = 0; i <= MAX_SKETCH_INDEX; i++) counts[i]! += other.dense[i]!;
    }
    this.total += other.total;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  /** Adds a stored sketch (bytes from encodeSketch) and the exact min and max kept beside it. */
  mergeEncoded(bytes: Uint8Array | ArrayBuffer | null | undefined, min: number | null, max: number | null): void {
    if (!bytes) return;
    const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    if (b.length === 0) return;
    if (b[0] !== FORMAT_VERSION) throw new Error(`unknown latency sketch format ${b[0]}`);
    let pos = 1;
    let index = 0;
    const counts = this.counts;
    const varint = () => {
      let value = 0;
      let shift = 1;
      for (;;) {
        const byte = b[pos++]!;
        value += (byte & 0x7f) * shift;
        if (byte < 0x80) return value;
        shift *= 128;
      }
    };
    while (pos < b.length) {
      index += varint();
      const count = varint();
      counts[Math.min(index, MAX_SKETCH_INDEX)]! += count;
      this.total += count;
    }
    if (min !== null && min < this.min) this.min = min;
    if (max !== null && max > this.max) this.max = max;
  }

  /**
   * The q-quantile: the value of rank ⌊q·(n−1)⌋ (0-based) among the n latencies, within the stated relative
   * accuracy, and never outside the exact [min, max]. null when the sketch is empty.
   */
  quantile(q: number): number | null {
    return this.quantiles([q])[0] ?? null;
  }

  /** Several quantiles (ascending q) in one pass over the buckets. */
  quantiles(qs: readonly number[]): Array<number | null> {
    if (this.total <= 0 || !this.dense) return qs.map(() => null);
    const counts = this.dense;
    const out: Array<number | null> = [];
    let seen = 0;
    let i = 0;
    for (const q of qs) {
      const rank = Math.floor(q * (this.total - 1));
      while (i < MAX_SKETCH_INDEX && seen + counts[i]! <= rank) seen += counts[i++]!;
      out.push(Math.min(Math.max(bucketValue(i), this.min), this.max));
    }
    return out;
  }
}

/** The stored form of a sketch's counts (min and max are stored in their own columns). */
export function encodeSketch(sketch: LatencySketch): Uint8Array {
  const out: number[] = [FORMAT_VERSION];
  const varint = (v: number) => {
    while (v >= 0x80) {
      out.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
  };
  let previous = 0;
  const counts = sketch.total > 0 ? sketch.counts : new Float64Array(0);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    varint(i - previous);
    varint(c);
    previous = i;
  }
  return Uint8Array.from(out);
}

export function decodeSketch(
  bytes: Uint8Array | ArrayBuffer | null,
  min: number | null = null,
  max: number | null = null,
): LatencySketch {
  const sketch = new LatencySketch();
  sketch.mergeEncoded(bytes, min, max);
  return sketch;
}
