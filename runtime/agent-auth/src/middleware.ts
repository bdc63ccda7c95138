/**
 * AgentAuthMiddleware: decides, before any work is done, whether a request comes from one of the
 * agent identities allowed to call. It accepts only a well-formed `Bearer` RS256 token signed by a
 * current key of the tenant, with the exact issuer, the audience, the tenant, valid times, the
 * required app role, an app-only token type when stated, and an allowed `oid`. It fails closed: when
 * no key can be obtained it answers 503, never "ok".
 */
import { errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { AgentAuthConfigError, AuthFailureCode } from "./errors";
import { readBearer } from "./lib/bearer";
import { VerifiedTokenCache } from "./lib/verifiedTokenCache";
import { remoteKeySet, tenantKeySetUri } from "./jwks/remoteKeySet";
import { checkCallerClaims, type CallerPolicy } from "./jwt/claims";

/** Options of {@link AgentAuthMiddleware}. */
export interface AgentAuthOptions {
  /** The tenant (GUID) tokens must come from. */
  tenantId: string;
  /** The audience: the callee API's client id (v2 tokens). */
  audience: string;
  /** Object ids of the agent identities allowed to call (at least one). */
  expectedCallerIds: string[];
  /** Exact issuer. Default `https://login.microsoftonline.com/<tenantId>/v2.0`. */
  issuer?: string;
  /** Key-set URI. Default the tenant's `discovery/v2.0/keys`. */
  jwksUri?: string;
  /** App role the caller must hold. Default `Agent.Invoke`. */
  requiredRole?: string;
  /** Clock skew allowed on `exp`/`nbf`, in seconds (0-300). Default 60. */
  clockToleranceSeconds?: number;
  /** Largest Authorization header accepted, in bytes. Default 8192. */
  maxHeaderBytes?: number;
  /** Verified tokens remembered (0 disables the cache). Default 10000. */
  cacheMaxEntries?: number;
  /** Minimum time between two key-set fetches, in ms. Default 30000. */
  jwksCooldownMs?: number;
  /** Key-set cache lifetime, in ms. Default 600000. */
  jwksCacheMaxAgeMs?: number;
  /** Key-set fetch timeout, in ms. Default 5000. */
  jwksTimeoutMs?: number;
}

/** An accepted caller. */
export interface CallerAccepted {
  ok: true;
  /** The caller's object id (`oid`), lowercased. */
  callerId: string;
  /** The verified claims. */
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

function refuse(status: 401 | 403 | 503, code: AuthFailureCode, reason: string): CallerRefused {
  return { ok: false, status, code, reason };
}

/** Validates the caller of each request. Create one per process and share it. */
export class AgentAuthMiddleware {
  private readonly issuer: string;
  private readonly audience: string;
  private readonly policy: CallerPolicy;
  private readonly clockTolerance: number;
  private readonly maxHeaderBytes: number;
  private readonly keys: ReturnType<typeof remoteKeySet>;
  private readonly cache: VerifiedTokenCache<CallerAccepted>;

  constructor(options: AgentAuthOptions) {
    const tenantId = String(options.tenantId ?? "").toLowerCase();
    if (!GUID.test(tenantId)) {
      throw new AgentAuthConfigError(`tenantId ${JSON.stringify(options.tenantId)} is not a tenant GUID. Fix: pass the tenant id (AGENT_AUTH_TENANT_ID).`);
    }
    if (!options.audience) {
      throw new AgentAuthConfigError("audience is empty. Fix: pass the API's client id (AGENT_AUTH_AUDIENCE).");
    }
    const callers = (options.expectedCallerIds ?? []).map((id) => id.trim().toLowerCase()).filter((id) => id.length > 0);
    if (callers.length === 0) {
      throw new AgentAuthConfigError("expectedCallerIds is empty, so no caller could ever be accepted. Fix: pass the object ids of the calling agents (AGENT_AUTH_ALLOWED_CALLERS).");
    }
    const tolerance = options.clockToleranceSeconds ?? 60;
    if (!(tolerance >= 0 && tolerance <= 300)) {
      throw new AgentAuthConfigError(`clockToleranceSeconds ${tolerance} is outside 0-300. Fix: keep the tolerance small, e.g. 60.`);
    }
    this.issuer = options.issuer ?? `https://login.microsoftonline.com/${tenantId}/v2.0`;
    this.audience = options.audience;
    this.policy = { tenantId, requiredRole: options.requiredRole ?? "Agent.Invoke", expectedCallerIds: new Set(callers) };
    this.clockTolerance = tolerance;
    this.maxHeaderBytes = options.maxHeaderBytes ?? 8192;
    this.keys = remoteKeySet(options.jwksUri ?? tenantKeySetUri(tenantId), {
      cooldownMs: options.jwksCooldownMs,
      cacheMaxAgeMs: options.jwksCacheMaxAgeMs,
      timeoutMs: options.jwksTimeoutMs,
    });
    this.cache = new VerifiedTokenCache(options.cacheMaxEntries ?? 10_000);
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

  /** Validates an Authorization header value. Never throws; every failure is a refusal. */
  async validateCaller(authorizationHeader: string | undefined): Promise<CallerValidation> {
    const bearer = readBearer(authorizationHeader, this.maxHeaderBytes);
    if ("error" in bearer) {
      if (bearer.error === "missing") return refuse(401, AuthFailureCode.Missing, "missing bearer token");
      if (bearer.error === "too-large") return refuse(401, AuthFailureCode.HeaderTooLarge, "authorization header too large");
      return refuse(401, AuthFailureCode.Malformed, "malformed bearer token");
    }

    const key = VerifiedTokenCache.keyOf(bearer.token);
    const cached = this.cache.get(key, Math.floor(Date.now() / 1000));
    if (cached) {
      return cached;
    }

    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(bearer.token, this.keys, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: ["RS256"],
        clockTolerance: this.clockTolerance,
        requiredClaims: ["exp", "oid", "tid"],
      }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (err instanceof joseErrors.JWTExpired) {
        return refuse(401, AuthFailureCode.Expired, "token expired");
      }
      if (code !== undefined && TOKEN_ERRORS.has(code)) {
        return refuse(401, AuthFailureCode.InvalidToken, "invalid token");
      }
      // The key set could not be fetched or read: fail closed.
      return refuse(503, AuthFailureCode.KeysUnavailable, "signing keys unavailable");
    }

    const decision = checkCallerClaims(claims, this.policy);
    if ("status" in decision) {
      return refuse(decision.status, decision.code, decision.reason);
    }
    const accepted: CallerAccepted = { ok: true, callerId: decision.callerId, claims };
    this.cache.set(key, accepted, claims.exp as number);
    return accepted;
  }
}
