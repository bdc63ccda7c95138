/**
 * The arithmetic of `npm run bench`: medians and marginal cost per agent between measured sizes.
 */

/** The median of a non-empty list. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One size's median figures. */
export interface SizePoint {
  /** Agents in the stack. */
  agents: number;
  /** A cost at that size (ms or KiB). */
  value: number;
}

/**
 * The marginal cost per agent at each size but the first: the slope from the previous measured size,
 * `(value(n) - value(prev)) / (n - prev)`. Points must be sorted by agents, ascending.
 */
export function marginals(points: SizePoint[]): SizePoint[] {
  const out: SizePoint[] = [];
  for (let i = 1; i < points.length; i++) {
    const span = points[i].agents - points[i - 1].agents;
    if (span <= 0) throw new Error("sizes must be strictly ascending");
    out.push({ agents: points[i].agents, value: (points[i].value - points[i - 1].value) / span });
  }
  return out;
}
