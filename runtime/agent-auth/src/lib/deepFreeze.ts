/**
 * Freezes a JSON-like value and everything in it, so a result shared between requests (the
 * verified-token cache hands the same claims to every request with that token) cannot be changed
 * by one of them.
 */

/** Freezes `value` recursively and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value as object)) {
      deepFreeze(member);
    }
  }
  return value;
}
