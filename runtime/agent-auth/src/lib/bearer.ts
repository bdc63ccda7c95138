/**
 * Extracts the token from an Authorization header, refusing oversized headers before any parsing.
 */

/** A compact JWS: three base64url segments (the signature may be empty, which verification then refuses). */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/** The outcome of reading the header. */
export type BearerResult = { token: string } | { error: "missing" | "too-large" | "malformed" };

/** Reads `Bearer <token>` from a header value. */
export function readBearer(header: string | undefined, maxBytes: number): BearerResult {
  if (header === undefined || header.length === 0) {
    return { error: "missing" };
  }
  // Length in UTF-16 units bounds the byte length from below; check it first so a huge header costs nothing.
  if (header.length > maxBytes || Buffer.byteLength(header, "utf8") > maxBytes) {
    return { error: "too-large" };
  }
  const match = BEARER.exec(header);
  return match ? { token: match[1] } : { error: "malformed" };
}
