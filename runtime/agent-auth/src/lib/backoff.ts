/**
 * Exponential backoff after consecutive failures, capped.
 */

/** The wait after `failures` consecutive failures (1 → `minMs`, doubling each time, at most `maxMs`). */
export function backoffDelayMs(failures: number, minMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  // 2^30 already exceeds any sane cap; clamp the exponent so the number stays finite.
  return Math.min(maxMs, minMs * 2 ** Math.min(failures - 1, 30));
}
