/**
 * The tenant's signing keys, fetched by this package (not jose's remote key set) so that it controls
 * what a fetch may cost and what an outage does:
 *
 * - each answer is size-limited, must be JSON and is streamed, never buffered past the limit;
 * - keys are refreshed after `cacheMaxAgeMs`, and refetched on an unknown `kid` at most once per
 *   `cooldownMs` (a flood of random kids cannot become a flood of fetches);
 * - a failed fetch backs off exponentially (`retryMinMs` doubling to `retryMaxMs`) and only one fetch
 *   is ever in flight, so a flood of requests during an outage does not become a flood of fetches;
 * - during an outage the last good keys keep verifying for at most `maxStaleMs` past their cache
 *   lifetime; after that every token fails closed with a {@link KeySetError} (503), never "ok".
 *
 * Keys the middleware will not use (see lib/verificationKey) are refused per token (401).
 */
import type * as http from "http";
import { importJWK, type CryptoKey, type JWK, type JWSHeaderParameters } from "jose";
import { KeySetError, KeySetFailureCode, UnusableKeyError } from "../errors";
import { backoffDelayMs } from "../lib/backoff";
import { fetchBoundedJson } from "../lib/fetchBoundedJson";
import { readJwkSet } from "../lib/jwkSet";
import { selectVerificationJwk, unusableBecause } from "../lib/verificationKey";

/** Settings of a {@link ResilientKeySet}; every duration in ms. */
export interface ResilientKeySetOptions {
  /** Minimum time between two fetches caused by an unknown `kid`. Default 30000. */
  cooldownMs?: number;
  /** Age after which keys are refetched on the next use. Default 600000 (10 min). */
  cacheMaxAgeMs?: number;
  /** Timeout of one fetch, body included. Default 5000. */
  timeoutMs?: number;
  /** How long past `cacheMaxAgeMs` the last good keys still verify while refreshes fail. Default 21600000 (6 h). */
  maxStaleMs?: number;
  /** Largest key-set answer, in bytes. Default 1048576 (1 MiB). */
  maxResponseBytes?: number;
  /** Wait after the first failed fetch; doubles with each further failure. Default 1000. */
  retryMinMs?: number;
  /** Longest wait between two failed fetches. Default 300000 (5 min). */
  retryMaxMs?: number;
  /** HTTP(S) agent for the fetch (e.g. an `https.Agent` trusting an extra CA). Default Node's global agent. */
  agent?: http.Agent;
}

/** Defaults of {@link ResilientKeySetOptions}. */
export const KEY_SET_DEFAULTS = {
  cooldownMs: 30_000,
  cacheMaxAgeMs: 600_000,
  timeoutMs: 5_000,
  maxStaleMs: 6 * 3_600_000,
  maxResponseBytes: 1_048_576,
  retryMinMs: 1_000,
  retryMaxMs: 300_000,
} as const;

/** Keys fetched together, with the public keys imported from them so far. */
interface Snapshot {
  keys: readonly JWK[];
  fetchedAt: number;
  imported: Map<JWK, Promise<CryptoKey>>;
  /** Why each key is not used (undefined: it is), judged once per key. */
  verdicts: Map<JWK, string | undefined>;
}

/** What {@link ResilientKeySet.status} reports (for health checks and tests). */
export interface KeySetStatus {
  /** Fetches started so far (successful or not). */
  fetches: number;
  /** Consecutive failed fetches since the last success. */
  consecutiveFailures: number;
  /** When the keys in use were fetched (ms since the epoch), if any were. */
  fetchedAt: number | undefined;
  /** True while the keys in use are past their cache lifetime but within the stale limit. */
  stale: boolean;
  /** Code of the last failed fetch since the last success, if any. */
  lastFailure: string | undefined;
}

/** A key resolver for jose's `jwtVerify` over a remote key set that survives outages for a bounded time. */
export class ResilientKeySet {
  private readonly url: URL;
  private readonly settings: Required<Omit<ResilientKeySetOptions, "agent">>;
  private readonly agent: http.Agent | undefined;
  private snapshot: Snapshot | undefined;
  private inFlight: Promise<boolean> | undefined;
  private lastAttemptAt = -Infinity;
  private nextAttemptAt = -Infinity;
  private failures = 0;
  private fetches = 0;
  private lastError: KeySetError | undefined;

  /** `uri` is used as given; the middleware validates it (https, or http to a loopback host). */
  constructor(uri: string, options: ResilientKeySetOptions = {}) {
    this.url = new URL(uri);
    this.agent = options.agent;
    this.settings = {
      cooldownMs: options.cooldownMs ?? KEY_SET_DEFAULTS.cooldownMs,
      cacheMaxAgeMs: options.cacheMaxAgeMs ?? KEY_SET_DEFAULTS.cacheMaxAgeMs,
      timeoutMs: options.timeoutMs ?? KEY_SET_DEFAULTS.timeoutMs,
      maxStaleMs: options.maxStaleMs ?? KEY_SET_DEFAULTS.maxStaleMs,
      maxResponseBytes: options.maxResponseBytes ?? KEY_SET_DEFAULTS.maxResponseBytes,
      retryMinMs: options.retryMinMs ?? KEY_SET_DEFAULTS.retryMinMs,
      retryMaxMs: options.retryMaxMs ?? KEY_SET_DEFAULTS.retryMaxMs,
    };
  }

  /** The resolver to pass to `jwtVerify`. */
  readonly getKey = async (protectedHeader: JWSHeaderParameters): Promise<CryptoKey> => {
    const refreshed = !this.snapshot || this.isPastCacheAge(this.snapshot) ? await this.refresh() : false;
    let snapshot = this.usableSnapshot(refreshed);
    let jwk: JWK;
    try {
      jwk = selectVerificationJwk(snapshot.keys, protectedHeader, (k) => snapshot.verdicts.get(k));
    } catch (err) {
      // A kid we do not know may be a rotation: refetch, at most once per cooldown.
      if ((err as { code?: string }).code !== "ERR_JWKS_NO_MATCHING_KEY" || Date.now() - this.lastAttemptAt < this.settings.cooldownMs) {
        throw err;
      }
      snapshot = this.usableSnapshot(await this.refresh());
      jwk = selectVerificationJwk(snapshot.keys, protectedHeader, (k) => snapshot.verdicts.get(k));
    }
    return this.importKey(snapshot, jwk);
  };

  /** Counters and state, for health checks and tests. */
  status(): KeySetStatus {
    const snapshot = this.snapshot;
    return {
      fetches: this.fetches,
      consecutiveFailures: this.failures,
      fetchedAt: snapshot?.fetchedAt,
      stale: snapshot !== undefined && this.isPastCacheAge(snapshot),
      lastFailure: this.lastError?.code,
    };
  }

  private isPastCacheAge(snapshot: Snapshot): boolean {
    return Date.now() - snapshot.fetchedAt >= this.settings.cacheMaxAgeMs;
  }

  /**
   * The keys to verify with now, or a {@link KeySetError} when there are none young enough (fail
   * closed). Keys this request's own refresh just fetched are used whatever the clock says (with a
   * zero cache age and stale limit, "young enough" would otherwise depend on the millisecond).
   */
  private usableSnapshot(justFetched: boolean): Snapshot {
    const snapshot = this.snapshot;
    if (snapshot && (justFetched || Date.now() - snapshot.fetchedAt < this.settings.cacheMaxAgeMs + this.settings.maxStaleMs)) {
      return snapshot;
    }
    const why = this.lastError ? `${this.lastError.code}: ${this.lastError.message}` : "no key set fetched";
    throw new KeySetError(
      KeySetFailureCode.Unavailable,
      snapshot ? `last good keys are older than the stale limit (${why})` : `no signing keys (${why})`,
      { cause: this.lastError },
    );
  }

  /**
   * Fetches unless a fetch is in flight (then waits for it) or failures are backing off. Resolves
   * to true when new keys were fetched; never rejects.
   */
  private refresh(): Promise<boolean> {
    if (this.inFlight) return this.inFlight;
    const now = Date.now();
    if (now < this.nextAttemptAt) return Promise.resolve(false);
    this.lastAttemptAt = now;
    this.fetches++;
    const attempt = fetchBoundedJson(this.url, { maxBytes: this.settings.maxResponseBytes, timeoutMs: this.settings.timeoutMs, agent: this.agent })
      .then(readJwkSet)
      .then(
        (keys) => {
          this.snapshot = { keys, fetchedAt: Date.now(), imported: new Map(), verdicts: new Map(keys.map((jwk) => [jwk, unusableBecause(jwk)])) };
          this.failures = 0;
          this.nextAttemptAt = -Infinity;
          this.lastError = undefined;
          return true;
        },
        (err: unknown) => {
          this.failures++;
          this.nextAttemptAt = Date.now() + backoffDelayMs(this.failures, this.settings.retryMinMs, this.settings.retryMaxMs);
          this.lastError = err instanceof KeySetError ? err : new KeySetError(KeySetFailureCode.Network, String((err as Error)?.message ?? err), { cause: err });
          return false;
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = attempt;
    return attempt;
  }

  /** The public key of a JWK, imported once per snapshot; a key that does not import is unusable. */
  private importKey(snapshot: Snapshot, jwk: JWK): Promise<CryptoKey> {
    let imported = snapshot.imported.get(jwk);
    if (!imported) {
      // Only the public members go to the importer.
      imported = importJWK({ kty: "RSA", n: jwk.n, e: jwk.e }, "RS256").then(
        (key) => key as CryptoKey,
        (err: unknown) => {
          throw new UnusableKeyError(`key ${JSON.stringify(jwk.kid)} does not import: ${(err as Error).message}`);
        },
      );
      snapshot.imported.set(jwk, imported);
    }
    return imported;
  }
}
