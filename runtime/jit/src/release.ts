/**
 * releaseActivation: end an active role before it expires (SelfDeactivate), so access lasts no longer
 * than the work that needed it.
 */
import { randomUUID } from "crypto";
import { JitClientOptions, callAzure, createClient, credentialOf } from "./lib/arm";
import { Emitter } from "./lib/emit";
import { findEligibility } from "./lib/eligibility";
import { principalIdOf } from "./lib/principal";
import { checkScope } from "./lib/scope";
import { checkRole } from "./lib/validate";
import { stderrJsonLines } from "./events";
import { ActivationFailedError } from "./errors";

/** What to release. */
export interface ReleaseRequest {
  /** ARM scope of the activation. */
  scope: string;
  /** The role: display name, role definition GUID or full role definition id. */
  role: string;
  /** Why the role is released early. Default "Work finished". */
  justification?: string;
}

/** The outcome of a release. */
export interface Release {
  /** ARM id of the deactivation request. */
  requestId: string;
  /** Its status (`Revoked` once the role is gone). */
  status: string;
}

const RELEASED = new Set(["Revoked", "Provisioned", "Granted", "Accepted", "PendingRevocation"]);

/** Sends a SelfDeactivate request for the role at the scope. */
export async function releaseActivation(request: ReleaseRequest, options: JitClientOptions = {}): Promise<Release> {
  checkScope(request.scope);
  checkRole(request.role);
  const credential = credentialOf(options);
  const client = createClient(request.scope, options, credential);
  const principalId = options.principalId ?? (await principalIdOf(credential));
  const eligibility = await findEligibility(client, request.scope, principalId, request.role);
  const name = randomUUID();
  const justification = request.justification ?? "Work finished";
  const result = await callAzure("Releasing the role", () =>
    client.roleAssignmentScheduleRequests.create(request.scope, name, {
      principalId,
      roleDefinitionId: eligibility.roleDefinitionId,
      requestType: "SelfDeactivate",
      justification,
    }),
  );
  const status = result.status ?? "Accepted";
  const requestId = result.id ?? name;
  const events = new Emitter(options.onEvent ?? stderrJsonLines, () => ({
    requestId,
    requestName: name,
    scope: request.scope,
    role: request.role,
    roleDefinitionId: eligibility.roleDefinitionId ?? "",
    principalId,
    justification,
  }));
  if (!RELEASED.has(status)) {
    events.emit("jit.failed", status);
    throw new ActivationFailedError(requestId, status);
  }
  events.emit("jit.released", status);
  return { requestId, status };
}
