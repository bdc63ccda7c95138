/**
 * "Did you mean": the candidates nearest to a misspelt name, by edit distance.
 */

/** Levenshtein distance (insertions, deletions, substitutions), compared as given. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** How far a candidate may be from the name and still be suggested, and how many to suggest. */
export interface NearestOptions {
  /** Largest distance, as a share of the longer string's length (default 0.4). */
  maxShare?: number;
  /** At most this many suggestions (default 3). */
  limit?: number;
}

/**
 * The candidates nearest to `name`, nearest first (ties in the candidates' order), compared without
 * regard to case. Only candidates within `maxShare` of the longer length are returned, so a name that
 * resembles nothing gets no suggestion rather than an arbitrary one.
 */
export function nearest(name: string, candidates: Iterable<string>, options: NearestOptions = {}): string[] {
  const maxShare = options.maxShare ?? 0.4;
  const limit = options.limit ?? 3;
  const target = name.toLowerCase();
  const scored: Array<{ candidate: string; distance: number; order: number }> = [];
  let order = 0;
  for (const candidate of candidates) {
    const distance = editDistance(target, candidate.toLowerCase());
    if (distance <= Math.max(target.length, candidate.length) * maxShare) {
      scored.push({ candidate, distance, order: order++ });
    }
  }
  scored.sort((x, y) => x.distance - y.distance || x.order - y.order);
  return scored.slice(0, limit).map((s) => s.candidate);
}
