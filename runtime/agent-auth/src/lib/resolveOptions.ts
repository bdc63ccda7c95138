/**
 * Validates AgentAuthMiddleware's options once, at construction, and fills the defaults. Every bad
 * value throws one AgentAuthConfigError naming the option and the fix, so a misconfigured callee
 * stops at start-up instead of accepting or refusing the wrong callers.
 */
import type * as http from "http";
import type { AgentAuthAuditSink } from "../audit/decisionEvent";
import { jsonLineSink } from "../audit/jsonLineSink";
import { AgentAuthConfigError } from "../errors";
import { KEY_SET_DEFAULTS } from "../jwks/resilientKeySet";
import { tenantKeySetUri } from "../jwks/tenantKeySetUri";
import type { AgentAuthOptions } from "../options";
import { isLoopbackHost } from "./loopback";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The options with defaults filled, normalised and checked. */
export interface ResolvedOptions {
  tenantId: string;
  audience: string;
  expectedCallerIds: ReadonlySet<string>;
  issuer: string;
  jwksUri: string;
  requiredRole: string;
  clockToleranceSeconds: number;
  maxTokenLifetimeSeconds: number;
  maxHeaderBytes: number;
  cacheMaxEntries: number;
  keySet: {
    cooldownMs: number;
    cacheMaxAgeMs: number;
    timeoutMs: number;
    maxStaleMs: number;
    maxResponseBytes: number;
    retryMinMs: number;
    retryMaxMs: number;
    agent: http.Agent | undefined;
  };
  auditSink: AgentAuthAuditSink;
  auditAccepted: boolean;
}

function fail(field: string, problem: string, fix: string): never {
  throw new AgentAuthConfigError(`${field} ${problem}. Fix: ${fix}`, field);
}

/** An integer option within [min, max], or its default when undefined. */
function integer(options: AgentAuthOptions, field: keyof AgentAuthOptions, fallback: number, min: number, max: number, fix: string): number {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(field, `${JSON.stringify(value)} is outside ${min}-${max}`, fix);
  }
  return value;
}

function httpsUrl(field: string, value: string, allowLoopbackHttp: boolean, fix: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(field, `${JSON.stringify(value)} is not a URL`, fix);
  }
  if (url.username || url.password) fail(field, "carries credentials", fix);
  if (url.protocol === "https:") return value;
  if (url.protocol === "http:" && allowLoopbackHttp && isLoopbackHost(url.hostname)) return value;
  return fail(field, `${JSON.stringify(value)} is not https${allowLoopbackHttp ? " (plain http only to a loopback host, for tests)" : ""}`, fix);
}

/** The validated options; throws {@link AgentAuthConfigError} for the first bad one. */
export function resolveOptions(options: AgentAuthOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    fail("options", "are missing", "pass { tenantId, audience, expectedCallerIds }");
  }
  const tenantId = typeof options.tenantId === "string" ? options.tenantId.trim().toLowerCase() : "";
  if (!GUID.test(tenantId)) {
    fail("tenantId", `${JSON.stringify(options.tenantId)} is not a tenant GUID`, "pass the tenant id (AGENT_AUTH_TENANT_ID).");
  }
  if (typeof options.audience !== "string" || options.audience.trim().length === 0) {
    fail("audience", "is empty", "pass the API's client id (AGENT_AUTH_AUDIENCE).");
  }
  if (!Array.isArray(options.expectedCallerIds)) {
    fail("expectedCallerIds", "is not an array", "pass the object ids of the calling agents (AGENT_AUTH_ALLOWED_CALLERS).");
  }
  const callers = new Set<string>();
  options.expectedCallerIds.forEach((id, index) => {
    const normalised = typeof id === "string" ? id.trim().toLowerCase() : undefined;
    if (normalised === "") return;
    if (normalised === undefined || !GUID.test(normalised)) {
      fail(`expectedCallerIds[${index}]`, `${JSON.stringify(id)} is not an object id (GUID)`, "list the callers' managed identity object ids (principalId), not names or client ids of other formats.");
    }
    callers.add(normalised);
  });
  if (callers.size === 0) {
    fail("expectedCallerIds", "is empty, so no caller could ever be accepted", "pass the object ids of the calling agents (AGENT_AUTH_ALLOWED_CALLERS).");
  }
  const issuer = options.issuer === undefined ? `https://login.microsoftonline.com/${tenantId}/v2.0` : httpsUrl("issuer", String(options.issuer), false, "pass the exact v2 issuer, https://login.microsoftonline.com/<tenant id>/v2.0.");
  const jwksUri = options.jwksUri === undefined ? tenantKeySetUri(tenantId) : httpsUrl("jwksUri", String(options.jwksUri), true, "pass the tenant's https key-set URI, or leave it out for the default.");
  if (options.requiredRole !== undefined && (typeof options.requiredRole !== "string" || options.requiredRole.trim().length === 0)) {
    fail("requiredRole", "is blank", "pass the app role value (default Agent.Invoke) or leave it out.");
  }
  const tolerance = options.clockToleranceSeconds ?? 60;
  if (typeof tolerance !== "number" || !(tolerance >= 0 && tolerance <= 300)) {
    fail("clockToleranceSeconds", `${tolerance} is outside 0-300`, "keep the tolerance small, e.g. 60.");
  }
  if (options.jwksAgent !== undefined && (typeof options.jwksAgent !== "object" || options.jwksAgent === null)) {
    fail("jwksAgent", "is not an http(s).Agent", "pass new https.Agent({ ca }) or leave it out.");
  }
  if (options.auditSink !== undefined && typeof options.auditSink !== "function") {
    fail("auditSink", "is not a function", "pass (event) => void, or leave it out for JSON lines on stderr.");
  }
  if (options.auditAccepted !== undefined && typeof options.auditAccepted !== "boolean") {
    fail("auditAccepted", "is not a boolean", "pass true or false.");
  }
  const retryMinMs = integer(options, "jwksRetryMinMs", KEY_SET_DEFAULTS.retryMinMs, 1, 3_600_000, "use a wait in ms, e.g. 1000.");
  const resolved: ResolvedOptions = {
    tenantId,
    audience: options.audience,
    expectedCallerIds: callers,
    issuer,
    jwksUri,
    requiredRole: options.requiredRole ?? "Agent.Invoke",
    clockToleranceSeconds: tolerance,
    maxTokenLifetimeSeconds: integer(options, "maxTokenLifetimeSeconds", 86_400, 60, 604_800, "use Entra's 86400 (24 h) or less."),
    maxHeaderBytes: integer(options, "maxHeaderBytes", 8192, 1, 65_536, "use a size in bytes, e.g. 8192."),
    cacheMaxEntries: integer(options, "cacheMaxEntries", 10_000, 0, 10_000_000, "use 0 to disable the cache, or a bound such as 10000."),
    keySet: {
      cooldownMs: integer(options, "jwksCooldownMs", KEY_SET_DEFAULTS.cooldownMs, 0, 86_400_000, "use a duration in ms, e.g. 30000."),
      cacheMaxAgeMs: integer(options, "jwksCacheMaxAgeMs", KEY_SET_DEFAULTS.cacheMaxAgeMs, 0, 86_400_000, "use a duration in ms, e.g. 600000."),
      timeoutMs: integer(options, "jwksTimeoutMs", KEY_SET_DEFAULTS.timeoutMs, 1, 60_000, "use a timeout in ms, e.g. 5000."),
      maxStaleMs: integer(options, "jwksMaxStaleMs", KEY_SET_DEFAULTS.maxStaleMs, 0, 86_400_000, "use at most 24 h (86400000 ms); the default is 6 h."),
      maxResponseBytes: integer(options, "jwksMaxResponseBytes", KEY_SET_DEFAULTS.maxResponseBytes, 1, 16_777_216, "use a size in bytes, e.g. 1048576."),
      retryMinMs,
      retryMaxMs: integer(options, "jwksRetryMaxMs", Math.max(KEY_SET_DEFAULTS.retryMaxMs, retryMinMs), retryMinMs, 86_400_000, "use a cap of at least jwksRetryMinMs, e.g. 300000."),
      agent: options.jwksAgent,
    },
    auditSink: options.auditSink ?? jsonLineSink(),
    auditAccepted: options.auditAccepted ?? false,
  };
  return resolved;
}
