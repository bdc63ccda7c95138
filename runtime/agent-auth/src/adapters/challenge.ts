/**
 * The `WWW-Authenticate` challenge of a 401 (RFC 6750): plain `Bearer` when no token was sent,
 * `error="invalid_token"` when one was sent and refused.
 */
import { AuthFailureCode } from "../errors";

/** The challenge for a refusal code. */
export function wwwAuthenticate(code: AuthFailureCode): string {
  return code === AuthFailureCode.Missing ? "Bearer" : 'Bearer error="invalid_token"';
}
