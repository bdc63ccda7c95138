/**
 * Bounds on a verified token's times that jose does not check: `iat` not in the future (beyond the
 * clock tolerance), and a lifetime (`exp - iat`, and `exp - nbf`) no longer than Entra issues. A
 * token minted to live for a year, or dated ahead to outlive a key rotation, is not trusted even
 * when its signature is good.
 */
import type { JWTPayload } from "jose";
import { AuthFailureCode } from "../errors";
import type { ClaimsRefusal } from "./claims";

/** The limits. */
export interface LifetimePolicy {
  /** Now, in seconds since the epoch. */
  nowSeconds: number;
  /** Clock tolerance, in seconds. */
  toleranceSeconds: number;
  /** Longest lifetime accepted, in seconds. */
  maxLifetimeSeconds: number;
}

/** A refusal when the token's times break the bounds; undefined when they hold. */
export function checkLifetime(claims: JWTPayload, policy: LifetimePolicy): ClaimsRefusal | undefined {
  const { iat, nbf, exp } = claims;
  if (typeof iat !== "number" || typeof exp !== "number") {
    return { status: 401, code: AuthFailureCode.InvalidToken, reason: "token lacks iat or exp" };
  }
  if (iat > policy.nowSeconds + policy.toleranceSeconds) {
    return { status: 401, code: AuthFailureCode.InvalidToken, reason: "token is issued in the future" };
  }
  if (exp - iat > policy.maxLifetimeSeconds || (typeof nbf === "number" && exp - nbf > policy.maxLifetimeSeconds)) {
    return { status: 401, code: AuthFailureCode.InvalidToken, reason: `token lifetime exceeds ${policy.maxLifetimeSeconds} s` };
  }
  return undefined;
}
