/**
 * Hands a decision event to the audit sink without letting the sink change the decision: a sink
 * that throws or rejects is reported on stderr (one JSON line holding the event) and otherwise
 * ignored. The caller computes the decision first and emits it after, so fail-closed holds.
 */
import type { AgentAuthAuditSink, AgentAuthDecisionEvent } from "../audit/decisionEvent";

function reportSinkFailure(event: AgentAuthDecisionEvent, err: unknown): void {
  try {
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    process.stderr.write(`${JSON.stringify({ event: "agent-auth.audit-sink-failed", time: new Date().toISOString(), error, decision: event })}\n`);
  } catch {
    // stderr itself is failing: nothing left to report to, and the decision must stand.
  }
}

/** Calls the sink with the (frozen) event; never throws, never waits. */
export function emitDecision(sink: AgentAuthAuditSink, event: AgentAuthDecisionEvent): void {
  Object.freeze(event);
  try {
    const pending = sink(event);
    if (pending && typeof (pending as Promise<void>).then === "function") {
      (pending as Promise<void>).then(undefined, (err: unknown) => reportSinkFailure(event, err));
    }
  } catch (err) {
    reportSinkFailure(event, err);
  }
}
