/**
 * The shape check of a fetched key set: `{ "keys": [ {…}, … ] }` with every key an object carrying a
 * string `kty`. Individual keys are judged later, when a token names them.
 */
import type { JWK } from "jose";
import { KeySetError, KeySetFailureCode } from "../errors";

/** Largest number of keys accepted in one set (Entra publishes a handful). */
export const MAX_KEYS = 100;

/** The keys of a parsed key-set document; throws a {@link KeySetError} for anything else. */
export function readJwkSet(document: unknown): readonly JWK[] {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (typeof document !== "object" || document === null || Array.isArray(document) || !Array.isArray(keys)) {
    throw new KeySetError(KeySetFailureCode.Malformed, 'key set is not an object with a "keys" array');
  }
  if (keys.length > MAX_KEYS) {
    throw new KeySetError(KeySetFailureCode.Malformed, `key set holds ${keys.length} keys, more than ${MAX_KEYS}`);
  }
  for (const key of keys) {
    if (typeof key !== "object" || key === null || Array.isArray(key) || typeof (key as JWK).kty !== "string") {
      throw new KeySetError(KeySetFailureCode.Malformed, 'key set holds a member that is not a JWK object with a "kty"');
    }
  }
  return Object.freeze(keys.map((key) => Object.freeze({ ...(key as JWK) })));
}
