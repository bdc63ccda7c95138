/**
 * Structured events: one per activation step, for the audit trail (container logs reach the cluster's
 * Log Analytics workspace). Events carry identifiers, scope, role, duration, justification and
 * status, never a token or any other credential.
 */

/** Names of the events, one per step. */
export type JitEventName =
  | "jit.requested"
  | "jit.status"
  | "jit.provisioned"
  | "jit.denied"
  | "jit.expired"
  | "jit.failed"
  | "jit.cancelled"
  | "jit.cancel-failed"
  | "jit.released";

/** Fields every event carries. */
export interface JitEventBase {
  /** Which step. */
  event: JitEventName;
  /** When, ISO 8601 UTC. */
  time: string;
  /** ARM id of the schedule request (the id auditors and Azure's PIM audit log use). */
  requestId: string;
  /** Name (GUID) of the schedule request. */
  requestName: string;
  /** ARM scope. */
  scope: string;
  /** The role as asked for (display name, GUID or role definition id). */
  role: string;
  /** ARM id of the role definition. */
  roleDefinitionId: string;
  /** Object id of the principal the request is for. */
  principalId: string;
  /** Requested activation length (ISO 8601); absent for a release. */
  duration?: string;
  /** The justification sent with the request. */
  justification: string;
  /** The request's status as Azure last reported it. */
  status: string;
}

/** The activation request was accepted by Azure. */
export interface JitRequestedEvent extends JitEventBase {
  event: "jit.requested";
}

/** The request's status changed while waiting. */
export interface JitStatusEvent extends JitEventBase {
  event: "jit.status";
  /** Time since the request was sent, in ms. */
  elapsedMs: number;
}

/** The role is active. */
export interface JitProvisionedEvent extends JitEventBase {
  event: "jit.provisioned";
  activatedAt: string;
  expiresAt: string;
}

/** An approver denied the request. */
export interface JitDeniedEvent extends JitEventBase {
  event: "jit.denied";
}

/** Azure expired the request (no decision within its approval window). */
export interface JitExpiredEvent extends JitEventBase {
  event: "jit.expired";
}

/** The request ended in another terminal state (Failed, Canceled, Revoked, ...). */
export interface JitFailedEvent extends JitEventBase {
  event: "jit.failed";
}

/**
 * Why the client cancelled: `timeout` the caller's deadline, `aborted` the caller's signal (SIGINT or
 * SIGTERM in the CLI), `status-unavailable` status reads kept failing, `unknown-status` a status outside
 * the API's enum, `unconfirmed` the activation request's answer was lost and it could not be read back.
 */
export type CancelReason = "timeout" | "aborted" | "status-unavailable" | "unknown-status" | "unconfirmed";

/** The pending request was cancelled (Azure accepted the cancel). */
export interface JitCancelledEvent extends JitEventBase {
  event: "jit.cancelled";
  reason: CancelReason;
  attempts: number;
}

/** The pending request could not be cancelled: it may still be approved. */
export interface JitCancelFailedEvent extends JitEventBase {
  event: "jit.cancel-failed";
  reason: CancelReason;
  attempts: number;
  /** Why the cancel failed. */
  failure: string;
  /** The ARM call that cancels it by hand. */
  manualCancel: string;
}

/** A SelfDeactivate request ended the role early. */
export interface JitReleasedEvent extends JitEventBase {
  event: "jit.released";
}

/** Any event. */
export type JitEvent =
  | JitRequestedEvent
  | JitStatusEvent
  | JitProvisionedEvent
  | JitDeniedEvent
  | JitExpiredEvent
  | JitFailedEvent
  | JitCancelledEvent
  | JitCancelFailedEvent
  | JitReleasedEvent;

/** Receives events. A sink that throws (or returns a rejected promise) is ignored: it never changes the outcome. */
export type JitEventSink = (event: JitEvent) => void | Promise<void>;

/** Something to write lines to (`process.stderr`, a file stream). */
export interface LineWriter {
  write(chunk: string): unknown;
}

/** A sink that writes each event as one JSON line. */
export function jsonLineSink(out: LineWriter): JitEventSink {
  return (event) => {
    out.write(`${JSON.stringify(event)}\n`);
  };
}

/** The default sink: one JSON line per event on stderr (stdout stays for results). */
export const stderrJsonLines: JitEventSink = (event) => jsonLineSink(process.stderr)(event);
