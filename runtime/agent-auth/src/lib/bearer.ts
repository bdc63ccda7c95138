/**
 * Extracts the token from an Authorization header, refusing oversized headers before any parsing.
 * The value may be anything a framework hands over (an array for a repeated header, a number, an
 * object): only a string can hold a bearer token; everything else is malformed, never a throw.
 */

/** A compact JWS: three base64url segments (the signature may be empty, which verification then refuses). */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/** The outcome of reading the header. */
export type BearerResult = { token: string } | { error: "missing" | "too-large" | "malformed" };

/** Reads `Bearer <token>` from a header value. */
export function readBearer(header: unknown, maxBytes: number): BearerResult {
  if (header === undefined || header === null || header === "") {
    return { error: "missing" };
  }
  if (typeof header !== "string") {
    return { error: "malformed" };
  }
  // Length in UTF-16 units bounds the byte length from below; check it first so a huge header costs nothing.
  if (header.length > maxBytes || Buffer.byteLength(header, "utf8") > maxBytes) {
    return { error: "too-large" };
  }
  const match = BEARER.exec(header);
  return match ? { token: match[1] } : { error: "malformed" };
}
