/** The exact q-quantile the sketches approximate: the value of rank ⌊q·(n−1)⌋ (0-based) in ascending order. */
export function exactQuantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** Whether `shown` is an honest estimate of `exact`: within the relative accuracy (plus `slack` ms for rounding). */
export function withinAccuracy(shown: number | null, exact: number | null, accuracy: number, slack = 0): boolean {
  if (shown === null || exact === null) return shown === exact;
  return Math.abs(shown - exact) <= accuracy * exact + slack + 1e-9;
}
