/**
 * Failure codes of caller validation, and the error thrown for a bad middleware configuration.
 */

/** Why a caller was refused; stable, for logs, metrics and branching. */
export const AuthFailureCode = {
  /** No Authorization header. */
  Missing: "ERR_AUTH_MISSING",
  /** The header is larger than allowed; refused before parsing. */
  HeaderTooLarge: "ERR_AUTH_HEADER_TOO_LARGE",
  /** Not `Bearer <compact JWS>`. */
  Malformed: "ERR_AUTH_MALFORMED",
  /** Signature, algorithm, issuer, audience, tenant or time claims are wrong. */
  InvalidToken: "ERR_AUTH_INVALID_TOKEN",
  /** The token has expired. */
  Expired: "ERR_AUTH_EXPIRED",
  /** A valid token of a caller that is not in the expected callers. */
  CallerNotAllowed: "ERR_AUTH_CALLER_NOT_ALLOWED",
  /** A valid token without the required app role. */
  RoleMissing: "ERR_AUTH_ROLE_MISSING",
  /** A valid token that is not app-only (`idtyp` is not `app`). */
  NotAnApplication: "ERR_AUTH_NOT_APP",
  /** No signing key could be obtained; the middleware fails closed. */
  KeysUnavailable: "ERR_AUTH_KEYS_UNAVAILABLE",
} as const;

/** One of {@link AuthFailureCode}. */
export type AuthFailureCode = (typeof AuthFailureCode)[keyof typeof AuthFailureCode];

/** Thrown by the constructor for options that would make validation meaningless or unsafe. */
export class AgentAuthConfigError extends Error {
  /** Stable code. */
  readonly code = "ERR_AUTH_CONFIG";
  constructor(message: string) {
    super(message);
    this.name = "AgentAuthConfigError";
  }
}
