/**
 * Every failure of the JIT client is a {@link JitError} with a stable `code` callers can branch on.
 */

/** Base class of every error this package throws. */
export class JitError extends Error {
  constructor(
    /** Stable machine-readable code. */
    readonly code: string,
    message: string,
    /** The Azure request id (`x-ms-request-id`) of the call that failed or of the PIM request, when there is one. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The duration is not an ISO 8601 duration of hours and minutes, or is below Azure's 5-minute minimum. */
export class InvalidDurationError extends JitError {
  constructor(duration: string) {
    super("ERR_JIT_INVALID_DURATION", `Duration ${JSON.stringify(duration)} is not an ISO 8601 duration of at least PT5M. Fix: pass e.g. "PT1H" or "PT2H30M".`);
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

/** No decision arrived before the caller's deadline; the request was cancelled. */
export class ApprovalTimeoutError extends JitError {
  constructor(requestId: string, readonly waitedMs: number, readonly lastStatus: string) {
    super(
      "ERR_JIT_APPROVAL_TIMEOUT",
      `No approval for request ${requestId} after ${Math.round(waitedMs / 1000)} s (last status ${lastStatus}); the request was cancelled. Fix: ask an approver, or wait longer (timeout option).`,
      requestId,
    );
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
  ) {
    super("ERR_JIT_AZURE", message, requestId);
  }
}
