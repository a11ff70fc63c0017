/**
 * The order in which a request tries a model's credentials: a weighted random shuffle (Efraimidis–Spirakis:
 * each credential draws u^(1/weight) and the largest goes first), so over many calls each credential leads in
 * proportion to its weight, and the rest follow as failover in weighted order. Weight 0 means "only as failover".
 */
export interface Weighted {
  weight: number;
}

export function orderByWeight<T extends Weighted>(items: readonly T[], random: () => number = Math.random): T[] {
  if (items.length <= 1) return [...items];
  const keyed = items.map((item) => ({
    item,
    key: item.weight > 0 ? Math.pow(random() || Number.MIN_VALUE, 1 / item.weight) : -1 + random() * 1e-9,
  }));
  keyed.sort((a, b) => b.key - a.key);
  return keyed.map((k) => k.item);
}
