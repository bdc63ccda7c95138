/**
 * Failure codes of caller validation, the error thrown for a bad middleware configuration, and the
 * errors of the key set (which the middleware turns into refusals; they never reach a caller).
 */

/** Why a caller was refused; stable, for logs, metrics and branching. */
export const AuthFailureCode = {
  /** No Authorization header. */
  Missing: "ERR_AUTH_MISSING",
  /** The header is larger than allowed; refused before parsing. */
  HeaderTooLarge: "ERR_AUTH_HEADER_TOO_LARGE",
  /** Not `Bearer <compact JWS>` (or not a string at all). */
  Malformed: "ERR_AUTH_MALFORMED",
  /** Signature, algorithm, key, issuer, audience, tenant, time claims or lifetime are wrong. */
  InvalidToken: "ERR_AUTH_INVALID_TOKEN",
  /** The token has expired. */
  Expired: "ERR_AUTH_EXPIRED",
  /** A valid token of a caller that is not in the expected callers. */
  CallerNotAllowed: "ERR_AUTH_CALLER_NOT_ALLOWED",
  /** A valid token without the required app role. */
  RoleMissing: "ERR_AUTH_ROLE_MISSING",
  /** A valid token that is not app-only (`idtyp` is not `app`). */
  NotAnApplication: "ERR_AUTH_NOT_APP",
  /** No signing key could be obtained (or the last good keys are too old); the middleware fails closed. */
  KeysUnavailable: "ERR_AUTH_KEYS_UNAVAILABLE",
} as const;

/** One of {@link AuthFailureCode}. */
export type AuthFailureCode = (typeof AuthFailureCode)[keyof typeof AuthFailureCode];

/**
 * Thrown by the constructor for options that would make validation meaningless or unsafe. The
 * message names the option and the fix; `field` names the option alone.
 */
export class AgentAuthConfigError extends Error {
  /** Stable code. */
  readonly code = "ERR_AUTH_CONFIG";
  /** The option at fault (e.g. `expectedCallerIds[1]`), when one is. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = "AgentAuthConfigError";
    this.field = field;
  }
}

/** Why the key set could not be fetched or used. */
export const KeySetFailureCode = {
  /** Connection refused, reset, TLS failure or DNS failure. */
  Network: "ERR_JWKS_NETWORK",
  /** No complete answer within the timeout. */
  Timeout: "ERR_JWKS_TIMEOUT",
  /** An answer other than 200 (redirects are not followed). */
  HttpStatus: "ERR_JWKS_HTTP_STATUS",
  /** Larger than the size limit (declared or counted while streaming); the transfer was aborted. */
  TooLarge: "ERR_JWKS_TOO_LARGE",
  /** Not declared as JSON, compressed, not UTF-8, or not parseable as JSON. */
  NotJson: "ERR_JWKS_NOT_JSON",
  /** JSON, but not `{ "keys": [ {…}, … ] }`. */
  Malformed: "ERR_JWKS_MALFORMED",
  /** No fetch succeeded, or the last good keys are older than the stale limit; failing closed. */
  Unavailable: "ERR_JWKS_UNAVAILABLE",
} as const;

/** One of {@link KeySetFailureCode}. */
export type KeySetFailureCode = (typeof KeySetFailureCode)[keyof typeof KeySetFailureCode];

/** The key set could not be fetched or used. The middleware answers 503 (fails closed). */
export class KeySetError extends Error {
  /** Stable code. */
  readonly code: KeySetFailureCode;
  constructor(code: KeySetFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeySetError";
    this.code = code;
  }
}

/**
 * The key the token names is in the key set but the middleware will not verify with it (not an
 * RS256 signing key, RSA under 2048 bits, private parts published, `use` other than `sig`). The
 * token is refused as invalid (401): the key set was reachable, the token is what cannot be trusted.
 */
export class UnusableKeyError extends Error {
  /** Stable code. */
  readonly code = "ERR_JWKS_KEY_UNUSABLE";
  constructor(message: string) {
    super(message);
    this.name = "UnusableKeyError";
  }
}
