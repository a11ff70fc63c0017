/**
 * The order in which a request tries a model's credentials: a weighted random shuffle (Efraimidis–Spirakis:
 * each credential draws u^(1/weight) and the largest goes first), so over many calls each credential leads in
 * proportion to its weight, and the rest follow as failover in weighted order. Weight 0 means "only as failover".
 */
export function orderByWeight<T>(
  items: readonly T[],
  weightOf: (item: T) => number,
  random: () => number = Math.random,
): T[] {
  if (items.length <= 1) return [...items];
  const keyed = items.map((item) => {
    const weight = weightOf(item);
    return { item, key: weight > 0 ? Math.pow(random() || Number.MIN_VALUE, 1 / weight) : -1 + random() * 1e-9 };
  });
  keyed.sort((a, b) => b.key - a.key);
  return keyed.map((k) => k.item);
}
