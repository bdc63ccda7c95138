/**
 * The tenant's signing keys, fetched from its JWKS endpoint through jose's remote key set: cached,
 * refetched on an unknown `kid` at most once per cooldown (so a flood of random kids cannot become a
 * flood of key-set requests), and refreshed on rotation without a restart.
 */
import { createRemoteJWKSet } from "jose";

/** Key-set settings. */
export interface RemoteKeySetOptions {
  /** Minimum time between two fetches, in ms. Default 30000. */
  cooldownMs?: number;
  /** Age after which keys are refetched on the next use, in ms. Default 600000. */
  cacheMaxAgeMs?: number;
  /** Timeout of one fetch, in ms. Default 5000. */
  timeoutMs?: number;
}

/** The default key-set URI of a tenant (tenant-specific, never `common`). */
export function tenantKeySetUri(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;
}

/** A key resolver for jose's `jwtVerify`. */
export function remoteKeySet(uri: string, options: RemoteKeySetOptions = {}) {
  return createRemoteJWKSet(new URL(uri), {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
    timeoutDuration: options.timeoutMs ?? 5_000,
  });
}
