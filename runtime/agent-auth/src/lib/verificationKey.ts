/**
 * Which key of the key set verifies a token, and whether the middleware will use it. A key is used
 * only if it is an RSA public key for RS256 signatures of at least 2048 bits: `kty` RSA, `alg` absent
 * or RS256, `use` absent or `sig`, `key_ops` absent or including `verify`, and no private member.
 * A key set that publishes anything else is misconfigured or tampered with; a token naming such a
 * key is not trusted.
 */
import { errors as joseErrors, type JWK } from "jose";
import { UnusableKeyError } from "../errors";

/** Smallest RSA modulus accepted, in bits (NIST SP 800-131A; jose enforces the same for RS256). */
export const MIN_RSA_BITS = 2048;

/** Members that only a private (or symmetric) key has. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/** Bit length of a base64url big-endian unsigned integer, or 0 when it is not one. */
function bitLength(base64url: unknown): number {
  if (typeof base64url !== "string" || !/^[A-Za-z0-9_-]+$/.test(base64url)) {
    return 0;
  }
  const bytes = Buffer.from(base64url, "base64url");
  let first = 0;
  while (first < bytes.length && bytes[first] === 0) first++;
  if (first === bytes.length) return 0;
  return (bytes.length - first - 1) * 8 + (32 - Math.clz32(bytes[first]));
}

/** Why the middleware will not verify with this JWK, or undefined when it will. */
export function unusableBecause(jwk: JWK): string | undefined {
  if (jwk.kty !== "RSA") return `kty ${JSON.stringify(jwk.kty)} is not RSA`;
  if (jwk.alg !== undefined && jwk.alg !== "RS256") return `alg ${JSON.stringify(jwk.alg)} is not RS256`;
  if (jwk.use !== undefined && jwk.use !== "sig") return `use ${JSON.stringify(jwk.use)} is not sig`;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify"))) return "key_ops does not include verify";
  const privateMember = PRIVATE_MEMBERS.find((member) => (jwk as Record<string, unknown>)[member] !== undefined);
  if (privateMember) return `the key publishes the private member ${privateMember}`;
  const bits = bitLength(jwk.n);
  if (bits < MIN_RSA_BITS) return bits === 0 ? "modulus n is missing or not base64url" : `RSA modulus of ${bits} bits is under ${MIN_RSA_BITS}`;
  if (bitLength(jwk.e) === 0) return "exponent e is missing or not base64url";
  return undefined;
}

/**
 * The key for a token's protected header. With a `kid`, the one key of that id (a jose
 * `JWKSNoMatchingKey` when there is none, `JWKSMultipleMatchingKeys` when ids repeat), refused with
 * {@link UnusableKeyError} when the middleware will not use it. Without a `kid`, the only usable key.
 * `judge` is {@link unusableBecause}, or a memo of it.
 */
export function selectVerificationJwk(keys: readonly JWK[], header: { kid?: unknown }, judge: (jwk: JWK) => string | undefined = unusableBecause): JWK {
  if (header.kid !== undefined) {
    const named = keys.filter((jwk) => jwk.kid === header.kid);
    if (named.length === 0) throw new joseErrors.JWKSNoMatchingKey();
    if (named.length > 1) throw new joseErrors.JWKSMultipleMatchingKeys();
    const problem = judge(named[0]);
    if (problem) throw new UnusableKeyError(`key ${JSON.stringify(header.kid)} is not used: ${problem}`);
    return named[0];
  }
  const usable = keys.filter((jwk) => judge(jwk) === undefined);
  if (usable.length === 0) throw new joseErrors.JWKSNoMatchingKey();
  if (usable.length > 1) throw new joseErrors.JWKSMultipleMatchingKeys();
  return usable[0];
}
