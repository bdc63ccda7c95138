/**
 * requestActivation: ask PIM to activate an eligible role (SelfActivate, linked to the eligibility),
 * wait for human approval with backoff and a deadline, and return once the role is active, with its
 * expiry. Everything the request carries (justification, duration) lands in Azure's PIM audit log.
 */
import { randomUUID } from "crypto";
import type { RoleAssignmentScheduleRequest } from "@azure/arm-authorization";
import { JitClientOptions, callAzure, createClient, credentialOf } from "./lib/arm";
import { durationMinutes, MIN_ACTIVATION_MINUTES } from "./lib/duration";
import { findEligibility } from "./lib/eligibility";
import { maximumActivation } from "./lib/policy";
import { principalIdOf } from "./lib/principal";
import { backoffDelay, sleep } from "./lib/wait";
import {
  ActivationDeniedError,
  ActivationFailedError,
  ApprovalTimeoutError,
  AzureRequestError,
  DurationExceedsPolicyError,
  InvalidDurationError,
  JitError,
  RequestExpiredError,
} from "./errors";

/** What to activate. */
export interface ActivationRequest {
  /** ARM scope of the eligibility (subscription, resource group or resource). */
  scope: string;
  /** The role: display name, role definition GUID or full role definition id. */
  role: string;
  /** How long the role stays active, ISO 8601 (`PT2H`); at least PT5M, at most the policy's maximum. */
  duration: string;
  /** Why; shown to approvers and kept in the audit log. */
  justification: string;
  /** How long to wait for approval, in ms. Default 30 minutes. */
  timeoutMs?: number;
  /** First poll interval in ms. Default 5000. */
  pollIntervalMs?: number;
  /** Longest poll interval in ms. Default 60000. */
  maxPollIntervalMs?: number;
  /** Called at every status change (for progress output). */
  onStatus?: (status: string, elapsedMs: number) => void;
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

const ACTIVE = new Set(["Provisioned", "ScheduleCreated"]);
const DENIED = new Set(["Denied", "AdminDenied"]);
const EXPIRED = new Set(["TimedOut"]);
const PENDING = new Set([
  "Accepted",
  "PendingEvaluation",
  "Granted",
  "PendingProvisioning",
  "PendingApprovalProvisioning",
  "PendingApproval",
  "PendingAdminDecision",
  "AdminApproved",
  "ProvisioningStarted",
  "PendingScheduleCreation",
  "PendingExternalProvisioning",
]);

/** Checks the duration's form and Azure's minimum; returns its minutes. */
export function checkDuration(duration: string): number {
  const minutes = durationMinutes(duration);
  if (minutes === undefined || minutes < MIN_ACTIVATION_MINUTES) {
    throw new InvalidDurationError(duration);
  }
  return minutes;
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

/** Requests activation and waits until the role is active; throws a {@link JitError} otherwise. */
export async function requestActivation(request: ActivationRequest, options: JitClientOptions = {}): Promise<Activation> {
  const minutes = checkDuration(request.duration);
  if (request.justification.trim().length === 0) {
    throw new JitError("ERR_JIT_NO_JUSTIFICATION", "A justification is required. Fix: say why the agent needs the role now.");
  }
  const credential = credentialOf(options);
  const client = createClient(request.scope, options, credential);
  const principalId = options.principalId ?? (await principalIdOf(credential));
  const eligibility = await findEligibility(client, request.scope, principalId, request.role);
  const roleDefinitionId = eligibility.roleDefinitionId as string;

  // The pre-check saves a doomed request; an agent that may not read the policy leaves the check to Azure.
  const maximum = await maximumActivation(client, request.scope, roleDefinitionId).catch((err: unknown) => {
    if (err instanceof AzureRequestError && err.statusCode === 403) {
      return undefined;
    }
    throw err;
  });
  const maximumMinutes = maximum ? durationMinutes(maximum) : undefined;
  if (maximum && maximumMinutes !== undefined && minutes > maximumMinutes) {
    throw new DurationExceedsPolicyError(request.duration, maximum);
  }

  const name = randomUUID();
  const created = await callAzure("Requesting activation", () =>
    client.roleAssignmentScheduleRequests.create(request.scope, name, {
      principalId,
      roleDefinitionId,
      requestType: "SelfActivate",
      linkedRoleEligibilityScheduleId: eligibility.id,
      justification: request.justification,
      scheduleInfo: { expiration: { type: "AfterDuration", duration: request.duration } },
    }),
  );

  const started = Date.now();
  const timeoutMs = request.timeoutMs ?? 30 * 60_000;
  const backoff = { initialMs: request.pollIntervalMs ?? 5000, maxMs: request.maxPollIntervalMs ?? 60_000, factor: 1.5 };
  let current: RoleAssignmentScheduleRequest = created;
  let lastStatus = "";
  for (let attempt = 0; ; attempt++) {
    const status = current.status ?? "Accepted";
    if (status !== lastStatus) {
      request.onStatus?.(status, Date.now() - started);
      lastStatus = status;
    }
    const requestId = current.id ?? name;
    if (ACTIVE.has(status)) {
      return activationOf(current, request.scope, minutes);
    }
    if (DENIED.has(status)) {
      throw new ActivationDeniedError(requestId);
    }
    if (EXPIRED.has(status)) {
      throw new RequestExpiredError(requestId);
    }
    if (!PENDING.has(status)) {
      throw new ActivationFailedError(requestId, status);
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      // Leave nothing pending behind: an approver must not grant a request nobody waits for.
      await callAzure("Cancelling the request", () => client.roleAssignmentScheduleRequests.cancel(request.scope, name)).catch(() => undefined);
      throw new ApprovalTimeoutError(requestId, elapsed, status);
    }
    await sleep(Math.min(backoffDelay(attempt, backoff), timeoutMs - elapsed));
    current = await callAzure("Reading the request's status", () => client.roleAssignmentScheduleRequests.get(request.scope, name));
  }
}
