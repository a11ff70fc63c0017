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

/** Counts by bucket index, dense, so merging many stored sketches is one addition per stored bucket. */
export class LatencySketch {
  readonly counts = new Float64Array(MAX_SKETCH_INDEX + 1);
  total = 0;
  min = Infinity;
  max = -Infinity;

  add(ms: number, count = 1): void {
    this.counts[sketchIndex(ms)]! += count;
    this.total += count;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  merge(other: LatencySketch): void {
    for (let i = 0; i <= MAX_SKETCH_INDEX; i++) this.counts[i]! += other.counts[i]!;
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
      this.counts[Math.min(index, MAX_SKETCH_INDEX)]! += count;
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
    if (this.total <= 0) return null;
    const rank = Math.floor(q * (this.total - 1));
    let seen = 0;
    let index = MAX_SKETCH_INDEX;
    for (let i = 0; i <= MAX_SKETCH_INDEX; i++) {
      seen += this.counts[i]!;
      if (seen > rank) {
        index = i;
        break;
      }
    }
    const value = bucketValue(index);
    return Math.min(Math.max(value, this.min), this.max);
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
  for (let i = 0; i <= MAX_SKETCH_INDEX; i++) {
    const c = sketch.counts[i]!;
    if (c === 0) continue;
    varint(i - previous);
    varint(c);
    previous = i;
  }
  return Uint8Array.from(out);
}

export function decodeSketch(bytes: Uint8Array | ArrayBuffer | null, min: number | null = null, max: number | null = null): LatencySketch {
  const sketch = new LatencySketch();
  sketch.mergeEncoded(bytes, min, max);
  return sketch;
}
