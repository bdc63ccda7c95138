/**
 * Polling with exponential backoff and an overall deadline.
 */

/** Backoff settings. */
export interface Backoff {
  /** First wait in ms. */
  initialMs: number;
  /** Longest wait in ms. */
  maxMs: number;
  /** Growth factor per wait. */
  factor: number;
}

/** The wait before the attempt after `attempt` (0-based), capped. */
export function backoffDelay(attempt: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, Math.round(backoff.initialMs * backoff.factor ** attempt));
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
