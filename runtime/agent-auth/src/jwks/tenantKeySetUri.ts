/**
 * Where a tenant publishes its signing keys.
 */

/** The default key-set URI of a tenant (tenant-specific, never `common`). */
export function tenantKeySetUri(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;
}
