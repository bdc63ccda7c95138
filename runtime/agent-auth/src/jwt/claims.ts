/**
 * The authorization half of validation: given a token whose signature, issuer, audience and times
 * are verified, decide whether this caller may call.
 */
import type { JWTPayload } from "jose";
import { AuthFailureCode } from "../errors";

/** What the claims must show. */
export interface CallerPolicy {
  /** The tenant the token must come from (`tid`). */
  tenantId: string;
  /** The app role the caller must hold (`roles`). */
  requiredRole: string;
  /** Object ids (`oid`) of the identities allowed to call, lowercased. */
  expectedCallerIds: ReadonlySet<string>;
}

/** A refusal of the claims. */
export interface ClaimsRefusal {
  status: 401 | 403;
  code: AuthFailureCode;
  reason: string;
}

/** Checks tenant, token type, role and caller; returns the caller id or the refusal. */
export function checkCallerClaims(claims: JWTPayload, policy: CallerPolicy): { callerId: string } | ClaimsRefusal {
  if (typeof claims.tid !== "string" || claims.tid.toLowerCase() !== policy.tenantId) {
    return { status: 401, code: AuthFailureCode.InvalidToken, reason: "token is from another tenant" };
  }
  if (claims.idtyp !== undefined && claims.idtyp !== "app") {
    return { status: 403, code: AuthFailureCode.NotAnApplication, reason: "token is not an application token" };
  }
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  if (!roles.includes(policy.requiredRole)) {
    return { status: 403, code: AuthFailureCode.RoleMissing, reason: `caller lacks the ${policy.requiredRole} role` };
  }
  const oid = typeof claims.oid === "string" ? claims.oid.toLowerCase() : "";
  if (!policy.expectedCallerIds.has(oid)) {
    return { status: 403, code: AuthFailureCode.CallerNotAllowed, reason: "caller is not an allowed agent" };
  }
  return { callerId: oid };
}
