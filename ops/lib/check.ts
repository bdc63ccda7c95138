/**
 * What every check returns: one finding with its status, what was seen, and the fix. Checks never
 * throw for an expected condition; an unexpected failure becomes `unknown` ("could not check").
 */

/** `ok`: as expected; `problem`: wrong, with a fix; `unknown`: could not be checked (the reason says why). */
export type CheckStatus = "ok" | "problem" | "unknown";

/** One finding of a check. */
export interface CheckResult {
  /** Stable id of the check, e.g. `resource-group` or `federated-credential`. */
  id: string;
  /** The outcome. */
  status: CheckStatus;
  /** What was found, in the words a user searches for. */
  message: string;
  /** What to do about it; present for `problem` and `unknown`. */
  fix?: string;
  /** What the finding is about (a scope, an agent, a VM size), when a check looks at several. */
  target?: string;
}

/** A finding that is as expected. */
export function ok(id: string, message: string, target?: string): CheckResult {
  return { id, status: "ok", message, ...(target ? { target } : {}) };
}

/** A finding that is wrong, with its fix. */
export function problem(id: string, message: string, fix: string, target?: string): CheckResult {
  return { id, status: "problem", message, fix, ...(target ? { target } : {}) };
}

/** A finding that could not be made, with what to do to make it. */
export function unknown(id: string, message: string, fix: string, target?: string): CheckResult {
  return { id, status: "unknown", message, fix, ...(target ? { target } : {}) };
}
