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

/** Resolves after `ms`, or as soon as `signal` aborts (callers check the signal afterwards). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
