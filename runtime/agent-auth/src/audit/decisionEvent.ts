/**
 * The structured events the middleware emits about its decisions: one per refusal, and one per
 * accepted call when asked. They carry what an investigator needs (code, status, audience, the
 * caller's object id when a signature proved it) and never the token or the Authorization header.
 */
import type { AuthFailureCode } from "../errors";

/** A refused call. */
export interface AgentAuthRefusedEvent {
  event: "agent-auth.refused";
  /** When the decision was made (ISO 8601, UTC). */
  time: string;
  /** Stable refusal code. */
  code: AuthFailureCode;
  /** The HTTP status the caller gets. */
  status: 401 | 403 | 503;
  /** The audience this middleware guards (the callee API's client id). */
  audience: string;
  /**
   * The caller's object id (`oid`, lowercased) when the token's signature was verified by a tenant
   * key (the token may still be expired, for another audience or not allowed); null otherwise, since
   * an unverified `oid` is whatever the sender wrote.
   */
  callerOid: string | null;
  /** The reason the caller is told. */
  reason: string;
  /** Internal detail for investigators (e.g. the key-set or jose error code); absent when none. */
  detail?: string;
}

/** An accepted call (emitted only when `auditAccepted` is set). */
export interface AgentAuthAcceptedEvent {
  event: "agent-auth.accepted";
  /** When the decision was made (ISO 8601, UTC). */
  time: string;
  status: 200;
  /** The audience this middleware guards. */
  audience: string;
  /** The caller's object id, lowercased. */
  callerOid: string;
  /** True when answered from the verified-token cache. */
  cached: boolean;
}

/** Any decision event. */
export type AgentAuthDecisionEvent = AgentAuthRefusedEvent | AgentAuthAcceptedEvent;

/**
 * Receives decision events. It is called synchronously before `validateCaller` resolves; what it
 * throws or rejects with is caught and reported on stderr, and never changes the decision.
 */
export type AgentAuthAuditSink = (event: AgentAuthDecisionEvent) => void | Promise<void>;
