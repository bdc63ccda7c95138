/**
 * AgentAuthMiddleware: decides, before any work is done, whether a request comes from one of the
 * agent identities allowed to call. It accepts only a well-formed `Bearer` RS256 token signed by a
 * usable current key of the tenant, with the exact issuer, the audience, the tenant, valid and
 * bounded times, the required app role, an app-only token type when stated, and an allowed `oid`.
 * It fails closed: when no key young enough can be obtained it answers 503, never "ok". Every
 * refusal (and, when asked, every acceptance) is handed to the audit sink after it is decided.
 */
import { errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { AgentAuthDecisionEvent } from "./audit/decisionEvent";
import { AuthFailureCode, UnusableKeyError } from "./errors";
import { readBearer } from "./lib/bearer";
import { deepFreeze } from "./lib/deepFreeze";
import { emitDecision } from "./lib/emitDecision";
import { resolveOptions, type ResolvedOptions } from "./lib/resolveOptions";
import { VerifiedTokenCache } from "./lib/verifiedTokenCache";
import { ResilientKeySet, type KeySetStatus } from "./jwks/resilientKeySet";
import { checkCallerClaims, type CallerPolicy } from "./jwt/claims";
import { checkLifetime } from "./jwt/lifetime";
import type { AgentAuthOptions } from "./options";

export type { AgentAuthOptions } from "./options";

/** An accepted caller. The object and its claims are frozen: the same one may serve many requests. */
export interface CallerAccepted {
  ok: true;
  /** The caller's object id (`oid`), lowercased. */
  callerId: string;
  /** The verified claims (deeply frozen). */
  claims: JWTPayload;
}

/** A refused caller. */
export interface CallerRefused {
  ok: false;
  /** 401 invalid or missing token, 403 valid token of a caller that may not call, 503 no keys. */
  status: 401 | 403 | 503;
  /** Short reason, safe to return to the caller. */
  reason: string;
  /** Stable code. */
  code: AuthFailureCode;
}

/** The outcome of {@link AgentAuthMiddleware.validateCaller}. */
export type CallerValidation = CallerAccepted | CallerRefused;

/** A decision with what the audit event needs beyond the result. */
interface Decision {
  result: CallerValidation;
  /** The `oid` of a token whose signature was verified, else null. */
  callerOid: string | null;
  detail?: string;
  cached?: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** jose error codes that mean "this token is not valid" (401); anything else fails closed (503). */
const TOKEN_ERRORS = new Set([
  "ERR_JWT_CLAIM_VALIDATION_FAILED",
  "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
  "ERR_JOSE_ALG_NOT_ALLOWED",
  "ERR_JWS_INVALID",
  "ERR_JWT_INVALID",
  "ERR_JWKS_NO_MATCHING_KEY",
  "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
  "ERR_JOSE_NOT_SUPPORTED",
]);

function refuse(status: 401 | 403 | 503, code: AuthFailureCode, reason: string, callerOid: string | null = null, detail?: string): Decision {
  return { result: { ok: false, status, code, reason }, callerOid, detail };
}

/** The `oid` of claims, lowercased, when it is a GUID. */
function oidOf(claims: unknown): string | null {
  const oid = (claims as { oid?: unknown } | undefined)?.oid;
  return typeof oid === "string" && GUID.test(oid.toLowerCase()) ? oid.toLowerCase() : null;
}

/** Validates the caller of each request. Create one per process and share it. */
export class AgentAuthMiddleware {
  private readonly settings: ResolvedOptions;
  private readonly policy: CallerPolicy;
  private readonly keys: ResilientKeySet;
  private readonly cache: VerifiedTokenCache<CallerAccepted>;

  /** Validates every option first; throws AgentAuthConfigError (code `ERR_AUTH_CONFIG`) naming the bad one. */
  constructor(options: AgentAuthOptions) {
    this.settings = resolveOptions(options);
    this.policy = { tenantId: this.settings.tenantId, requiredRole: this.settings.requiredRole, expectedCallerIds: this.settings.expectedCallerIds };
    this.keys = new ResilientKeySet(this.settings.jwksUri, this.settings.keySet);
    this.cache = new VerifiedTokenCache(this.settings.cacheMaxEntries);
  }

  /**
   * Builds the middleware from the settings the platform writes into the callee's Deployment:
   * AGENT_AUTH_TENANT_ID, AGENT_AUTH_AUDIENCE, AGENT_AUTH_ISSUER, AGENT_AUTH_ALLOWED_CALLERS
   * (comma-separated object ids) and AGENT_AUTH_REQUIRED_ROLE.
   */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AgentAuthOptions> = {}): AgentAuthMiddleware {
    return new AgentAuthMiddleware({
      tenantId: env.AGENT_AUTH_TENANT_ID ?? "",
      audience: env.AGENT_AUTH_AUDIENCE ?? "",
      issuer: env.AGENT_AUTH_ISSUER || undefined,
      expectedCallerIds: (env.AGENT_AUTH_ALLOWED_CALLERS ?? "").split(","),
      requiredRole: env.AGENT_AUTH_REQUIRED_ROLE || undefined,
      ...overrides,
    });
  }

  /** The key set's counters and state (fetches, consecutive failures, staleness), for health checks. */
  keySetStatus(): KeySetStatus {
    return this.keys.status();
  }

  /**
   * Validates an Authorization header value (any type: only a string can be accepted). Never
   * throws; every failure is a refusal. The decision is final before the audit sink sees it.
   */
  async validateCaller(authorizationHeader: unknown): Promise<CallerValidation> {
    let decision: Decision;
    try {
      // The header and the verified-token cache are read synchronously: a reused token costs no extra await.
      const early = this.readHeader(authorizationHeader);
      decision = "result" in early ? early : await this.verify(early.token, early.cacheKey);
    } catch (err) {
      // Nothing above is expected to throw; if it does, fail closed.
      decision = refuse(503, AuthFailureCode.KeysUnavailable, "signing keys unavailable", null, `internal: ${(err as Error)?.name ?? "error"}`);
    }
    this.audit(decision);
    return decision.result;
  }

  private audit(decision: Decision): void {
    const { result } = decision;
    let event: AgentAuthDecisionEvent;
    if (result.ok) {
      if (!this.settings.auditAccepted) return;
      event = { event: "agent-auth.accepted", time: new Date().toISOString(), status: 200, audience: this.settings.audience, callerOid: result.callerId, cached: decision.cached === true };
    } else {
      event = { event: "agent-auth.refused", time: new Date().toISOString(), code: result.code, status: result.status, audience: this.settings.audience, callerOid: decision.callerOid, reason: result.reason };
      if (decision.detail !== undefined) event.detail = decision.detail;
    }
    emitDecision(this.settings.auditSink, event);
  }

  /** A decision from the header alone or the verified-token cache, else the token to verify. */
  private readHeader(authorizationHeader: unknown): Decision | { token: string; cacheKey: string } {
    const bearer = readBearer(authorizationHeader, this.settings.maxHeaderBytes);
    if ("error" in bearer) {
      if (bearer.error === "missing") return refuse(401, AuthFailureCode.Missing, "missing bearer token");
      if (bearer.error === "too-large") return refuse(401, AuthFailureCode.HeaderTooLarge, "authorization header too large");
      return refuse(401, AuthFailureCode.Malformed, "malformed bearer token", null, typeof authorizationHeader === "string" ? undefined : `authorization value of type ${Array.isArray(authorizationHeader) ? "array" : typeof authorizationHeader}`);
    }

    const cacheKey = VerifiedTokenCache.keyOf(bearer.token);
    const cached = this.cache.get(cacheKey, Math.floor(Date.now() / 1000));
    if (cached) {
      return { result: cached, callerOid: cached.callerId, cached: true };
    }
    return { token: bearer.token, cacheKey };
  }

  /** Verifies the token's signature, times, lifetime and claims; remembers it when accepted. */
  private async verify(token: string, cacheKey: string): Promise<Decision> {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.keys.getKey, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ["RS256"],
        clockTolerance: this.settings.clockToleranceSeconds,
        requiredClaims: ["exp", "iat", "oid", "tid"],
      }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      const detail = `${code ?? (err as Error)?.name}: ${(err as Error)?.message}`;
      // jose raises claim errors only after the signature verified, so their payload's oid is proven.
      const payload = err instanceof joseErrors.JWTExpired || err instanceof joseErrors.JWTClaimValidationFailed ? err.payload : undefined;
      if (err instanceof joseErrors.JWTExpired) {
        return refuse(401, AuthFailureCode.Expired, "token expired", oidOf(payload), detail);
      }
      if (err instanceof UnusableKeyError || (code !== undefined && TOKEN_ERRORS.has(code))) {
        return refuse(401, AuthFailureCode.InvalidToken, "invalid token", oidOf(payload), detail);
      }
      // The key set could not be fetched or read, or its last good keys are too old: fail closed.
      return refuse(503, AuthFailureCode.KeysUnavailable, "signing keys unavailable", null, detail);
    }

    const callerOid = oidOf(claims);
    const lifetime = checkLifetime(claims, { nowSeconds: Math.floor(Date.now() / 1000), toleranceSeconds: this.settings.clockToleranceSeconds, maxLifetimeSeconds: this.settings.maxTokenLifetimeSeconds });
    if (lifetime) {
      return refuse(lifetime.status, lifetime.code, lifetime.reason, callerOid);
    }
    const decision = checkCallerClaims(claims, this.policy);
    if ("status" in decision) {
      return refuse(decision.status, decision.code, decision.reason, callerOid);
    }
    const accepted: CallerAccepted = deepFreeze({ ok: true, callerId: decision.callerId, claims });
    this.cache.set(cacheKey, accepted, claims.exp as number);
    return { result: accepted, callerOid: accepted.callerId, cached: false };
  }
}
