/**
 * A count of the async work an evaluation does: the promises created while it runs (V8's promise hook,
 * `v8.promiseHooks.onInit`). Under the mock runtime nearly all of the SDK's work per resource is promise
 * chains (serializing inputs, resolving outputs, Outputs and their applies), so the count follows the
 * time closely, and unlike the time it does not depend on the machine's load: one run is enough, and two
 * runs of the same code give the same figure. The hook itself slows the evaluation, so a counting run is
 * never timed.
 */
import { promiseHooks } from "v8";

/** What {@link countPromises} reports. */
export interface PromiseCount<T> {
  /** What the counted function resolved to. */
  result: T;
  /** Promises created from the call until the function's promise settled. */
  promises: number;
}

/** Runs `fn` and counts the promises created until it has settled (those of the counting itself included). */
export async function countPromises<T>(fn: () => Promise<T>): Promise<PromiseCount<T>> {
  let promises = 0;
  const stop = promiseHooks.onInit(() => {
    promises++;
  });
  try {
    const result = await fn();
    return { result, promises };
  } finally {
    stop();
  }
}
