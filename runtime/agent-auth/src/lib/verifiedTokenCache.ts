/**
 * A bounded cache of tokens already verified, keyed by a SHA-256 of the token (the token itself is
 * never kept as a key), whose entries never outlive the token's `exp`. Least recently used entries go
 * first when it is full.
 */
import { createHash } from "crypto";

/** What is remembered of a verified token. */
export interface CachedCaller<T> {
  /** Seconds since the epoch after which the entry is dead (the token's `exp`). */
  expiresAt: number;
  /** The verified result. */
  value: T;
}

/** The cache. */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, CachedCaller<T>>();

  constructor(private readonly maxEntries: number) {}

  /** The key of a token. */
  static keyOf(token: string): string {
    return createHash("sha256").update(token).digest("base64url");
  }

  /** The value for a token, if cached and the token has not expired at `nowSeconds`. */
  get(key: string, nowSeconds: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.expiresAt <= nowSeconds) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh its place: Map keeps insertion order, so the first key is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Remembers a verified token until its expiry. */
  set(key: string, value: T, expiresAt: number): void {
    if (this.maxEntries <= 0) {
      return;
    }
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }
}
