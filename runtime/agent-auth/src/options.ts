/**
 * The options of AgentAuthMiddleware. Every one is validated at construction (lib/resolveOptions):
 * a bad value throws one AgentAuthConfigError (code `ERR_AUTH_CONFIG`) naming the option and the fix.
 */
import type * as http from "http";
import type { AgentAuthAuditSink } from "./audit/decisionEvent";

/** Options of AgentAuthMiddleware. */
export interface AgentAuthOptions {
  /** The tenant (GUID) tokens must come from. */
  tenantId: string;
  /** The audience: the callee API's client id (v2 tokens). Not blank. */
  audience: string;
  /** Object ids (GUIDs) of the agent identities allowed to call (at least one; blank entries are ignored). */
  expectedCallerIds: string[];
  /** Exact issuer (an https URL). Default `https://login.microsoftonline.com/<tenantId>/v2.0`. */
  issuer?: string;
  /** Key-set URI: https, or http to a loopback host (tests). Default the tenant's `discovery/v2.0/keys`. */
  jwksUri?: string;
  /** App role the caller must hold. Default `Agent.Invoke`. */
  requiredRole?: string;
  /** Clock skew allowed on `exp`/`nbf`/`iat`, in seconds (0-300). Default 60. */
  clockToleranceSeconds?: number;
  /** Longest token lifetime accepted (`exp - iat`, and `exp - nbf`), in seconds (60-604800). Default 86400 (24 h, what Entra issues at most). */
  maxTokenLifetimeSeconds?: number;
  /** Largest Authorization header accepted, in bytes (1-65536). Default 8192. */
  maxHeaderBytes?: number;
  /** Verified tokens remembered (0 disables the cache). Default 10000. */
  cacheMaxEntries?: number;
  /** Minimum time between two key-set fetches caused by an unknown `kid`, in ms (0 or more). Default 30000. */
  jwksCooldownMs?: number;
  /** Key-set cache lifetime, in ms (0 or more). Default 600000. */
  jwksCacheMaxAgeMs?: number;
  /** Key-set fetch timeout, body included, in ms (1-60000). Default 5000. */
  jwksTimeoutMs?: number;
  /** While the key set cannot be refreshed, how long past its cache lifetime the last good keys still verify, in ms (0-86400000; 0 fails closed at once). Default 21600000 (6 h). */
  jwksMaxStaleMs?: number;
  /** Largest key-set answer, in bytes (1-16777216). Default 1048576 (1 MiB). */
  jwksMaxResponseBytes?: number;
  /** Wait after the first failed key-set fetch, doubling per failure, in ms (1 or more). Default 1000. */
  jwksRetryMinMs?: number;
  /** Longest wait between two failed key-set fetches, in ms (at least jwksRetryMinMs). Default 300000. */
  jwksRetryMaxMs?: number;
  /** Agent for the key-set fetch (e.g. an `https.Agent` with an egress proxy's CA). Default Node's global agent. */
  jwksAgent?: http.Agent;
  /** Receives one event per refusal (and per accepted call with `auditAccepted`). Default: one JSON line per event on stderr. */
  auditSink?: AgentAuthAuditSink;
  /** Also emit an event for every accepted call. Default false. */
  auditAccepted?: boolean;
}
