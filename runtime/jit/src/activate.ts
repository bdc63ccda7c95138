/**
 * requestActivation: ask PIM to activate an eligible role (SelfActivate, linked to the eligibility),
 * wait for human approval with backoff and a deadline, and return once the role is active, with its
 * expiry. Everything the request carries (justification, duration) lands in Azure's PIM audit log.
 *
 * Whatever ends the wait early (the deadline, the caller's signal, status reads that keep failing,
 * a status this client does not know) ends it the same way: the pending request is cancelled, and
 * the error says whether the cancel succeeded, so nobody approves a request nobody waits for.
 */
import { randomUUID } from "crypto";
import type { AuthorizationManagementClient, RoleAssignmentScheduleRequest } from "@azure/arm-authorization";
import { JitClientOptions, callAzure, createClient, credentialOf, isAbort, isTransient } from "./lib/arm";
import { cancelRequest } from "./lib/cancel";
import { durationMinutes } from "./lib/duration";
import { Emitter, safely } from "./lib/emit";
import { findEligibility } from "./lib/eligibility";
import { maximumActivation } from "./lib/policy";
import { principalIdOf } from "./lib/principal";
import { statusKind } from "./lib/status";
import { checkActivation, checkDuration as checkDurationLimits } from "./lib/validate";
import { Backoff, backoffDelay, sleep } from "./lib/wait";
import { CancelReason, stderrJsonLines } from "./events";
import {
  ActivationAbortedError,
  ActivationDeniedError,
  ActivationFailedError,
  ApprovalTimeoutError,
  AzureRequestError,
  CancelOutcome,
  DurationExceedsPolicyError,
  describeCancel,
  JitError,
  RequestExpiredError,
  StatusUnavailableError,
  UnknownStatusError,
} from "./errors";

/** What to activate. */
export interface ActivationRequest {
  /** ARM scope of the eligibility (management group, subscription, resource group or resource). */
  scope: string;
  /** The role: display name, role definition GUID or full role definition id. */
  role: string;
  /** How long the role stays active, ISO 8601 (`PT2H`); at least PT5M, at most the policy's maximum and PIM's PT24H. */
  duration: string;
  /** Why; shown to approvers and kept in the audit log. */
  justification: string;
  /** How long to wait for approval, in ms: 1 s to 24 h. Default 30 minutes. */
  timeoutMs?: number;
  /** First poll interval in ms, at least 1000. Default 5000. */
  pollIntervalMs?: number;
  /** Longest poll interval in ms, at least `pollIntervalMs`. Default 60000 (or `pollIntervalMs` when larger). */
  maxPollIntervalMs?: number;
  /** Called at every status change (for progress output). */
  onStatus?: (status: string, elapsedMs: number) => void;
  /**
   * Stops the wait. An abort before the request is sent sends nothing; after it, the pending request is
   * cancelled and the call rejects with `ActivationAbortedError` (its `cancel` says whether the cancel succeeded).
   */
  signal?: AbortSignal;
}

/** An active role. */
export interface Activation {
  /** Name (GUID) of the PIM schedule request. */
  requestName: string;
  /** ARM id of the PIM schedule request: quote it to auditors. */
  requestId: string;
  /** The scope. */
  scope: string;
  /** ARM id of the role definition. */
  roleDefinitionId: string;
  /** The final status (`Provisioned`). */
  status: string;
  /** When the role became active. */
  activatedAt: Date;
  /** When Azure revokes the role. */
  expiresAt: Date;
}

/** Status reads that may fail in a row (each after the SDK's own retries) before the client gives up and cancels. */
export const MAX_STATUS_READ_FAILURES = 3;

/** Checks the duration's form and PIM's limits (PT5M to PT24H); returns its minutes. */
export function checkDuration(duration: string): number {
  return checkDurationLimits(duration);
}

function activationOf(request: RoleAssignmentScheduleRequest, scope: string, minutes: number): Activation {
  const activatedAt = request.scheduleInfo?.startDateTime ? new Date(request.scheduleInfo.startDateTime) : new Date();
  return {
    requestName: request.name ?? "",
    requestId: request.id ?? "",
    scope,
    roleDefinitionId: request.roleDefinitionId ?? "",
    status: request.status ?? "",
    activatedAt,
    expiresAt: new Date(activatedAt.getTime() + minutes * 60_000),
  };
}

/** A readable reason from an AbortSignal's `reason`. */
function reasonOf(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (typeof reason === "string" && reason.length > 0) return reason;
  if (reason instanceof Error && reason.message) return reason.message;
  return "aborted";
}

/** Runs a step that comes before the request is sent: an abort there means nothing is pending. */
async function beforeRequest<T>(signal: AbortSignal | undefined, step: () => Promise<T>): Promise<T> {
  if (signal?.aborted) throw new ActivationAbortedError(reasonOf(signal), undefined, undefined);
  try {
    return await step();
  } catch (err) {
    // Whatever the step's own failure, an aborted caller gets the abort (and nothing was sent to cancel).
    if (signal?.aborted) {
      throw new ActivationAbortedError(reasonOf(signal), undefined, undefined, undefined, { cause: err });
    }
    throw err;
  }
}

/** Everything the wait needs about the request that was sent. */
interface Pending {
  client: AuthorizationManagementClient;
  endpoint: string | undefined;
  scope: string;
  name: string;
  requestId: string;
  minutes: number;
  timeoutMs: number;
  backoff: Backoff;
  signal: AbortSignal | undefined;
  onStatus: ActivationRequest["onStatus"];
  events: Emitter;
}

/** Requests activation and waits until the role is active; throws a {@link JitError} otherwise. */
export async function requestActivation(request: ActivationRequest, options: JitClientOptions = {}): Promise<Activation> {
  const { minutes, timeoutMs, backoff } = checkActivation(request);
  const { signal, scope } = request;
  if (signal?.aborted) throw new ActivationAbortedError(reasonOf(signal), undefined, undefined);
  const credential = credentialOf(options);
  const client = createClient(scope, options, credential);
  const principalId = options.principalId ?? (await beforeRequest(signal, () => principalIdOf(credential, signal)));
  const eligibility = await beforeRequest(signal, () => findEligibility(client, scope, principalId, request.role, signal));
  const roleDefinitionId = eligibility.roleDefinitionId as string;

  // The pre-check saves a doomed request; an agent that may not read the policy leaves the check to Azure.
  const maximum = await beforeRequest(signal, () =>
    maximumActivation(client, scope, roleDefinitionId, signal).catch((err: unknown) => {
      if (err instanceof AzureRequestError && err.statusCode === 403) {
        return undefined;
      }
      throw err;
    }),
  );
  const maximumMinutes = maximum ? durationMinutes(maximum) : undefined;
  if (maximum && maximumMinutes !== undefined && minutes > maximumMinutes) {
    throw new DurationExceedsPolicyError(request.duration, maximum);
  }

  const name = randomUUID();
  const requestId = `${scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}`;
  const events = new Emitter(options.onEvent ?? stderrJsonLines, () => ({
    requestId,
    requestName: name,
    scope,
    role: request.role,
    roleDefinitionId,
    principalId,
    duration: request.duration,
    justification: request.justification,
  }));
  const pending = { client, endpoint: options.endpoint, scope, name, requestId, minutes, timeoutMs, backoff, signal, onStatus: request.onStatus, events };
  if (signal?.aborted) throw new ActivationAbortedError(reasonOf(signal), undefined, undefined);
  const created = await sendRequest(pending, {
    principalId,
    roleDefinitionId,
    requestType: "SelfActivate",
    linkedRoleEligibilityScheduleId: eligibility.id,
    justification: request.justification,
    scheduleInfo: { expiration: { type: "AfterDuration", duration: request.duration } },
  });
  events.emit("jit.requested", created.status ?? "Accepted");
  return waitForDecision(created, pending);
}

/**
 * Sends the activation request. Not abortable on purpose: once sent, the request may exist in Azure.
 * When its answer is lost (no answer, or 5xx after the SDK's retries) the request may exist all the
 * same: it is read back and, if there, waited for as usual; if that cannot be told, it is cancelled.
 */
async function sendRequest(p: Pending, body: RoleAssignmentScheduleRequest): Promise<RoleAssignmentScheduleRequest> {
  try {
    return await callAzure("Requesting activation", () => p.client.roleAssignmentScheduleRequests.create(p.scope, p.name, body));
  } catch (err) {
    if (!(err instanceof AzureRequestError) || !isTransient(err)) {
      throw err;
    }
    try {
      return await callAzure("Reading the request back", () => p.client.roleAssignmentScheduleRequests.get(p.scope, p.name, { abortSignal: AbortSignal.timeout(30_000) }));
    } catch (readError) {
      if (readError instanceof AzureRequestError && readError.statusCode === 404) {
        throw new AzureRequestError(`${err.message}. Request ${p.name} does not exist (read back: 404): nothing is pending.`, err.statusCode, err.azureCode, err.requestId);
      }
    }
    const cancel = await cancelPending(p, "unconfirmed", "unknown");
    throw new AzureRequestError(`${err.message}. Whether request ${p.requestId} was created is unknown. ${describeCancel(cancel)}`, err.statusCode, err.azureCode, err.requestId, cancel);
  }
}

/** Cancels the pending request and reports the outcome as an event. */
async function cancelPending(p: Pending, reason: CancelReason, status: string): Promise<CancelOutcome> {
  const outcome = await cancelRequest(p.client, p.endpoint, p.scope, p.name, p.requestId);
  if (outcome.cancelled) {
    p.events.emit("jit.cancelled", outcome.statusAfter ?? "Canceled", { reason, attempts: outcome.attempts });
  } else {
    p.events.emit("jit.cancel-failed", outcome.statusAfter ?? status, { reason, attempts: outcome.attempts, failure: outcome.failure ?? "", manualCancel: outcome.manualCancel });
  }
  return outcome;
}

/** Polls until a decision, the deadline, an abort, or a failure; see the file comment. */
async function waitForDecision(created: RoleAssignmentScheduleRequest, p: Pending): Promise<Activation> {
  const started = Date.now();
  const deadline = started + p.timeoutMs;
  // One signal for the SDK calls and sleeps of the wait: the caller's abort or the deadline.
  const stop = new AbortController();
  let pastDeadline = false;
  const onAbort = () => stop.abort();
  p.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => {
    pastDeadline = true;
    stop.abort();
  }, p.timeoutMs);
  try {
    let current = created;
    let lastStatus = "";
    let failures = 0;
    for (let attempt = 0; ; attempt++) {
      const status = current.status ?? "Accepted";
      if (status !== lastStatus) {
        const elapsedMs = Date.now() - started;
        safely(() => p.onStatus?.(status, elapsedMs));
        // Terminal statuses get their own event below; the first status is in jit.requested.
        if (lastStatus !== "" && ["pending", "unknown"].includes(statusKind(status))) {
          p.events.emit("jit.status", status, { elapsedMs });
        }
        lastStatus = status;
      }
      switch (statusKind(status)) {
        case "active": {
          const activation = activationOf(current, p.scope, p.minutes);
          p.events.emit("jit.provisioned", status, { activatedAt: activation.activatedAt.toISOString(), expiresAt: activation.expiresAt.toISOString() });
          return activation;
        }
        case "denied":
          p.events.emit("jit.denied", status);
          throw new ActivationDeniedError(p.requestId);
        case "expired":
          p.events.emit("jit.expired", status);
          throw new RequestExpiredError(p.requestId);
        case "failed":
          p.events.emit("jit.failed", status);
          throw new ActivationFailedError(p.requestId, status);
        case "unknown":
          throw new UnknownStatusError(p.requestId, status, await cancelPending(p, "unknown-status", status));
        case "pending":
          break;
      }
      if (p.signal?.aborted) {
        throw new ActivationAbortedError(reasonOf(p.signal), p.requestId, status, await cancelPending(p, "aborted", status));
      }
      if (pastDeadline || Date.now() >= deadline) {
        throw new ApprovalTimeoutError(p.requestId, Date.now() - started, status, await cancelPending(p, "timeout", status));
      }
      const untilDeadline = deadline - Date.now();
      const pause = Math.min(backoffDelay(attempt, p.backoff), untilDeadline);
      await sleep(pause, stop.signal);
      // A pause that ran to the deadline ends the wait without one more read: whether the sleep's timer
      // or the deadline's fires first must not decide how many reads Azure gets.
      if (stop.signal.aborted || pause === untilDeadline) {
        continue; // the checks above end the wait and cancel
      }
      try {
        current = await callAzure("Reading the request's status", () => p.client.roleAssignmentScheduleRequests.get(p.scope, p.name, { abortSignal: stop.signal }));
        failures = 0;
      } catch (err) {
        if (stop.signal.aborted || isAbort(err)) {
          continue;
        }
        failures++;
        const error = err instanceof JitError ? err : new AzureRequestError(`Reading the request's status failed: ${(err as Error).message}`, undefined, undefined, undefined);
        if (!isTransient(error) || failures >= MAX_STATUS_READ_FAILURES) {
          throw new StatusUnavailableError(p.requestId, failures, error, await cancelPending(p, "status-unavailable", status));
        }
      }
    }
  } finally {
    clearTimeout(timer);
    p.signal?.removeEventListener("abort", onAbort);
  }
}
