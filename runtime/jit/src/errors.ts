/**
 * Every failure of the JIT client is a {@link JitError} with a stable `code` callers can branch on.
 */
import { statusKind } from "./lib/status";

/** Base class of every error this package throws. */
export class JitError extends Error {
  constructor(
    /** Stable machine-readable code. */
    readonly code: string,
    message: string,
    /** The Azure request id (`x-ms-request-id`) of the call that failed or of the PIM request, when there is one. */
    readonly requestId?: string,
    /** The underlying error, when there is one (`cause`). */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The duration is not an ISO 8601 duration of hours and minutes, or lies outside what PIM accepts
 * (at least PT5M, at most PT24H).
 */
export class InvalidDurationError extends JitError {
  constructor(
    readonly duration: string,
    /** What is wrong with it, when more is known than "not a duration". */
    reason?: string,
  ) {
    super(
      "ERR_JIT_INVALID_DURATION",
      reason
        ? `Duration ${JSON.stringify(duration)} ${reason}. Fix: pass a duration from PT5M to PT24H, e.g. "PT1H" or "PT2H30M".`
        : `Duration ${JSON.stringify(duration)} is not an ISO 8601 duration of at least PT5M. Fix: pass e.g. "PT1H" or "PT2H30M".`,
    );
  }
}

/** The scope is not an ARM scope PIM can hold an eligibility at; refused before anything is sent. */
export class InvalidScopeError extends JitError {
  constructor(readonly scope: string, readonly reason: string) {
    super(
      "ERR_JIT_INVALID_SCOPE",
      `Scope ${JSON.stringify(scope)} is not an ARM scope: ${reason}. Fix: pass /subscriptions/<subscription guid>[/resourceGroups/<name>[/providers/<namespace>/<type>/<name>]] or /providers/Microsoft.Management/managementGroups/<id>.`,
    );
  }
}

/** An option of the request (timeout, poll interval, justification, ...) is out of range; refused before anything is sent. */
export class InvalidOptionError extends JitError {
  constructor(readonly field: string, problem: string, fix: string) {
    super("ERR_JIT_INVALID_OPTION", `${field} ${problem}. Fix: ${fix}.`);
  }
}

/** No credential could be found (no workload identity in the pod, no Azure CLI login, ...). */
export class NoCredentialError extends JitError {
  constructor(options?: { cause?: unknown }) {
    super("ERR_JIT_NO_CREDENTIAL", "no Azure credential: run in a pod with workload identity (label azure.workload.identity/use and an annotated ServiceAccount) or `az login`.", undefined, options);
  }
}

/** A credential was found but Entra ID refused to issue a token for it (e.g. AADSTS70021: no matching federated credential). */
export class CredentialRefusedError extends JitError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      "ERR_JIT_CREDENTIAL_REFUSED",
      `Entra ID refused the Azure credential (${detail}). Fix: check the identity's federated credential (issuer, subject system:serviceaccount:<namespace>:<serviceaccount>, audience api://AzureADTokenExchange) or run \`az login\` again.`,
      undefined,
      options,
    );
  }
}

/** The principal holds no eligibility for the role at the scope. */
export class NoEligibilityError extends JitError {
  constructor(readonly principalId: string, readonly role: string, readonly scope: string) {
    super(
      "ERR_JIT_NO_ELIGIBILITY",
      `Principal ${principalId} is not eligible for ${JSON.stringify(role)} at ${scope}. Fix: add the role to the agent's jit list in stack config and run pulumi up, or use a scope the eligibility covers.`,
    );
  }
}

/** The requested duration is above the maximum the role's PIM policy allows. */
export class DurationExceedsPolicyError extends JitError {
  constructor(readonly requested: string, readonly maximum: string) {
    super("ERR_JIT_DURATION_EXCEEDS_POLICY", `Requested ${requested}, but the role's policy allows at most ${maximum}. Fix: request ${maximum} or less.`);
  }
}

/** An approver denied the activation. */
export class ActivationDeniedError extends JitError {
  constructor(requestId: string) {
    super("ERR_JIT_DENIED", `The activation request ${requestId} was denied by an approver.`, requestId);
  }
}

/**
 * What happened to a pending request that the client stopped waiting for. `cancelled` is true only
 * when Azure answered the cancel call with success; otherwise `manualCancel` and `azCommand` say how
 * to cancel it by hand.
 */
export interface CancelOutcome {
  /** True only when Azure accepted the cancel (`POST .../cancel` answered 2xx). */
  cancelled: boolean;
  /** Name (GUID) of the schedule request. */
  requestName: string;
  /** ARM id of the schedule request. */
  requestId: string;
  /** Cancel calls made (each after the SDK's own retries). */
  attempts: number;
  /** Why the cancel did not succeed, when it did not. */
  failure?: string;
  /** The request's status read after a failed cancel, when it could be read. */
  statusAfter?: string;
  /** The ARM call that cancels the request by hand. */
  manualCancel: string;
  /** The same call as an Azure CLI command. */
  azCommand: string;
}

/** One sentence on the cancel, for error messages: never says "cancelled" unless Azure said so. */
export function describeCancel(cancel: CancelOutcome): string {
  if (cancel.cancelled) {
    return `The pending request ${cancel.requestId} was cancelled.`;
  }
  const tried = `${cancel.failure ?? "unknown failure"}; ${cancel.attempts} attempt${cancel.attempts === 1 ? "" : "s"}`;
  const kind = cancel.statusAfter ? statusKind(cancel.statusAfter) : "unknown";
  if (kind === "active") {
    return `The request ${cancel.requestId} was NOT cancelled (${tried}): it was approved meanwhile and the role is ACTIVE (status ${cancel.statusAfter}). Release it: releaseActivation or \`agent-jit release\` with the same scope and role.`;
  }
  if (kind === "denied" || kind === "expired" || kind === "failed") {
    return `The request ${cancel.requestId} was not cancelled (${tried}), but it is no longer pending (status ${cancel.statusAfter}).`;
  }
  const now = cancel.statusAfter ? `, status ${cancel.statusAfter}` : "";
  return (
    `The request ${cancel.requestId} was NOT cancelled (${tried}${now}) and an approver may still grant it. ` +
    `Cancel it by hand: ${cancel.manualCancel} (Azure CLI: ${cancel.azCommand}).`
  );
}

/** Base of the errors raised when the client stops waiting for a pending request; carries the cancel's outcome. */
export abstract class PendingRequestError extends JitError {
  constructor(code: string, message: string, requestId: string | undefined, readonly cancel: CancelOutcome | undefined, options?: { cause?: unknown }) {
    super(code, cancel ? `${message} ${describeCancel(cancel)}` : message, requestId, options);
  }
}

/** No decision arrived before the caller's deadline; the pending request was cancelled (see `cancel`). */
export class ApprovalTimeoutError extends PendingRequestError {
  constructor(requestId: string, readonly waitedMs: number, readonly lastStatus: string, cancel?: CancelOutcome) {
    super(
      "ERR_JIT_APPROVAL_TIMEOUT",
      `No approval for request ${requestId} after ${Math.round(waitedMs / 1000)} s (last status ${lastStatus}). Fix: ask an approver, or wait longer (timeout option).`,
      requestId,
      cancel,
    );
  }
}

/**
 * The caller aborted (its `signal`, or SIGINT/SIGTERM in the CLI). When a request had been sent, it was
 * cancelled (see `cancel`); `cancel` is undefined when the abort came before anything was requested.
 */
export class ActivationAbortedError extends PendingRequestError {
  constructor(readonly reason: string, requestId: string | undefined, readonly lastStatus: string | undefined, cancel?: CancelOutcome, options?: { cause?: unknown }) {
    super(
      "ERR_JIT_ABORTED",
      requestId
        ? `Stopped waiting for request ${requestId} (${reason}; last status ${lastStatus ?? "unknown"}).`
        : `Stopped before any activation was requested (${reason}); nothing is pending.`,
      requestId,
      cancel,
      options,
    );
  }
}

/** The request's status could not be read several times in a row; the pending request was cancelled (see `cancel`). */
export class StatusUnavailableError extends PendingRequestError {
  constructor(requestId: string, readonly failures: number, readonly lastError: JitError, cancel?: CancelOutcome) {
    super(
      "ERR_JIT_STATUS_UNAVAILABLE",
      `Could not read the status of request ${requestId} (${failures} failed reads; last: ${lastError.message}).`,
      requestId,
      cancel,
      { cause: lastError },
    );
  }
}

/** Azure reported a status this client does not know; it does not guess, and cancelled the request (see `cancel`). */
export class UnknownStatusError extends PendingRequestError {
  constructor(requestId: string, readonly status: string, cancel?: CancelOutcome) {
    super("ERR_JIT_UNKNOWN_STATUS", `Request ${requestId} reported status ${JSON.stringify(status)}, which this client does not know.`, requestId, cancel);
  }
}

/** Azure expired the request: the approval window closed without a decision. */
export class RequestExpiredError extends JitError {
  constructor(requestId: string) {
    super("ERR_JIT_REQUEST_EXPIRED", `The activation request ${requestId} expired before anyone approved it. Fix: request again and ask an approver.`, requestId);
  }
}

/** The request ended in a state other than active, denied or expired (failed, cancelled, revoked, ...). */
export class ActivationFailedError extends JitError {
  constructor(requestId: string, readonly status: string) {
    super("ERR_JIT_FAILED", `The activation request ${requestId} ended with status ${status}.`, requestId);
  }
}

/** Azure answered with an error (after the SDK's retries). */
export class AzureRequestError extends JitError {
  constructor(
    message: string,
    /** HTTP status, when Azure answered. */
    readonly statusCode: number | undefined,
    /** Azure's error code, e.g. `AuthorizationFailed`. */
    readonly azureCode: string | undefined,
    requestId: string | undefined,
    /** When the activation request's own answer was lost: what happened to the request it may have created. */
    readonly cancel?: CancelOutcome,
  ) {
    super("ERR_JIT_AZURE", message, requestId);
  }
}
