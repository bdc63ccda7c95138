/**
 * Errors of the ops commands, and how an Azure or Kubernetes failure turns into a "could not check".
 */
import { CheckResult, unknown } from "./check";

/** Bad command line (exit 2). */
export class UsageError extends Error {
  /** Stable code. */
  readonly code = "ERR_OPS_USAGE";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The status code of an Azure SDK, Graph or Kubernetes client error, when it carries one. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; code?: number | string; response?: { status?: number } };
  if (typeof e?.statusCode === "number") {
    return e.statusCode;
  }
  if (typeof e?.response?.status === "number") {
    return e.response.status;
  }
  if (typeof e?.code === "number") {
    return e.code;
  }
  return typeof e?.status === "number" ? e.status : undefined;
}

/** True when the service answered 404. */
export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}

/** A one-line description of a failure: HTTP status, Azure's error code and message. */
export function describeError(err: unknown): string {
  const e = err as { code?: unknown; message?: string };
  const status = statusOf(err);
  const code = typeof e?.code === "string" ? e.code : undefined;
  const parts = [status !== undefined ? `HTTP ${status}` : undefined, code, (e?.message ?? String(err)).split("\n")[0]].filter((p) => p);
  return parts.join(": ");
}

/** The "could not check" finding for a failed read: names the status and what to grant when it was refused. */
export function couldNotCheck(id: string, what: string, err: unknown, target?: string): CheckResult {
  const status = statusOf(err);
  const fix =
    status === 401 || status === 403
      ? `give the signed-in identity read access (e.g. Reader) where ${what} lives, or run with an identity that has it.`
      : "check the endpoint and your network, then run again.";
  return unknown(id, `Could not read ${what}: ${describeError(err)}.`, fix, target);
}
