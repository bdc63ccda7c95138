/**
 * Values unknown during preview. The analyzer hands policies resource properties behind a proxy that
 * throws `UnknownValueError` (exported by @pulumi/policy) when a property that only a deployment can
 * fill in is read; uncaught, that error turns the whole policy into an advisory "can't run policy
 * during preview". Here each resource (or each part of one) is checked on its own: what is unknown is
 * recorded and skipped, everything else is still checked and its violations stay mandatory, and at
 * the end the first unknown is rethrown, named with every skipped resource, so the analyzer reports
 * exactly those as advisory. At `pulumi up` the values are known and every check runs.
 */
import * as policySdk from "@pulumi/policy";

type ErrorClass = new (...args: never[]) => Error;

// @pulumi/policy exports the class at run time but its declaration file omits it (marked internal).
const UnknownValueError = (policySdk as unknown as { UnknownValueError?: ErrorClass }).UnknownValueError;

/** True when `error` is the analyzer's "value unknown during preview" error. Anything else is a real failure. */
export function isUnknownValueError(error: unknown): error is Error {
  return typeof UnknownValueError === "function" && error instanceof UnknownValueError;
}

/** The parts of a check skipped because a value they read is unknown during preview. */
export class Unknowns {
  private readonly skipped: Array<{ what: string; error: Error }> = [];

  /** Runs `check`; if it reads an unknown value, records `what` as skipped and returns undefined. Other errors propagate (fail closed). */
  run<T>(what: string, check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!isUnknownValueError(error)) {
        throw error;
      }
      this.skipped.push({ what, error });
      return undefined;
    }
  }

  /** Records `what` as skipped because it depends on a part already skipped (needs one recorded before). */
  skipLike(what: string): void {
    const first = this.skipped[0];
    if (!first) {
      throw new Error(`skipLike(${what}) without an unknown value recorded first`);
    }
    this.skipped.push({ what, error: first.error });
  }

  /** What was skipped, in order. */
  get skippedParts(): string[] {
    return this.skipped.map((s) => s.what);
  }

  /**
   * Throws the first unknown-value error (so the analyzer reports an advisory), its message naming
   * every skipped part; does nothing when nothing was skipped.
   */
  rethrow(): void {
    if (this.skipped.length === 0) {
      return;
    }
    const first = this.skipped[0].error;
    const parts = [...new Set(this.skippedParts)];
    first.message = `${first.message}; not checked until the values are known (pulumi up): ${parts.join(", ")}`;
    throw first;
  }
}
