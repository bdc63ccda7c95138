/**
 * Finds the role management policy Azure keeps for a role at a scope. `RoleManagementPolicy` never
 * creates a policy: it patches the existing one, and needs its GUID, which only Azure knows. The
 * program looks it up (Microsoft.Authorization roleManagementPolicyAssignments, 2020-10-01) so that
 * nobody copies a GUID into config.
 *
 * The lookup follows the stack's providers: `JitAccess` asks the azure-native provider it is given
 * (explicit, or the default one) who it is (`getClientConfig`, an invoke parented to the component),
 * and the resolver authenticates as that principal in that tenant, never as whatever ambient login
 * the machine happens to have.
 */
import type { AuthorizationManagementClient } from "@azure/arm-authorization";
import { lastSegment } from "../../../rules/naming";

// The Azure SDK is loaded on first use, not with the program: the offline plan and the tests, which
// answer the lookup without Azure, never pay for loading it (about 200 modules).
const armAuthorization = () => require("@azure/arm-authorization") as typeof import("@azure/arm-authorization");
const azureIdentity = () => require("@azure/identity") as typeof import("@azure/identity");


/** Who the azure-native provider of a component deploys as: its `getClientConfig` answer. */
export interface ProviderIdentity {
  /** The provider's subscription. */
  subscriptionId: string;
  /** The provider's tenant: where the lookup authenticates. */
  tenantId: string;
  /** The client (application) id the provider authenticates as. */
  clientId: string;
}

/**
 * Resolves the policy name (GUID) for a role definition id at a scope, as the principal of the
 * component's azure-native provider (`provider`; absent only for callers that predate it).
 */
export type PolicyNameResolver = (scope: string, roleDefinitionId: string, provider?: ProviderIdentity) => Promise<string>;

/** Thrown when Azure has no policy for the role at the scope, after waiting for it to appear. */
export class PolicyNotFoundError extends Error {
  /** Stable code. */
  readonly code = "ERR_PIM_POLICY_NOT_FOUND";
  constructor(scope: string, roleDefinitionId: string, waitedMs = 0, lastError?: string) {
    const waited = waitedMs > 0 ? ` after waiting ${Math.round(waitedMs / 1000)} s for it to appear (a custom role created in this deploy is listed there only once it has propagated)` : "";
    super(
      `Azure reports no role management policy for role ${roleDefinitionId} at ${scope}${waited}${lastError ? `; last answer: ${lastError}` : ""}. ` +
        "Fix: run pulumi up again if the role was just created; otherwise check that the scope exists and that the deploying principal may read Microsoft.Authorization/roleManagementPolicyAssignments there.",
    );
    this.name = "PolicyNotFoundError";
  }
}

/** Options of {@link lookUpPolicyName}, for pointing the SDK client elsewhere (tests). */
export interface PolicyLookupOptions {
  /** ARM endpoint. Default `https://management.azure.com`. */
  endpoint?: string;
  /** SDK client options (for example `tlsOptions`). */
  clientOptions?: ConstructorParameters<typeof AuthorizationManagementClient>[2];
  /** Credential. Default `DefaultAzureCredential`. */
  credential?: ConstructorParameters<typeof AuthorizationManagementClient>[0];
  /**
   * How long to keep looking while Azure does not list the role's policy yet (a role definition created
   * in the same deploy propagates in minutes). Default 10 minutes; 0 looks once.
   */
  propagationTimeoutMs?: number;
  /** Waits between attempts (tests pass a fake). Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock (tests pass a fake). Default `Date.now`. */
  now?: () => number;
}

/** The default time to wait for a new role's policy to be listed. */
export const POLICY_PROPAGATION_TIMEOUT_MS = 10 * 60_000;
/** First pause between attempts; each pause doubles, up to {@link POLICY_LOOKUP_MAX_DELAY_MS}. */
export const POLICY_LOOKUP_FIRST_DELAY_MS = 5_000;
/** Longest pause between attempts. */
export const POLICY_LOOKUP_MAX_DELAY_MS = 60_000;

/**
 * Lists the policy assignments at the scope and returns the policy name of the role's assignment. While
 * Azure does not list it yet (or answers 404 or a server error), it looks again with exponential backoff
 * (5 s doubling to 60 s) until `propagationTimeoutMs`; a 401 or 403 fails at once.
 */
export async function lookUpPolicyName(scope: string, roleDefinitionId: string, options: PolicyLookupOptions = {}): Promise<string> {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? "00000000-0000-0000-0000-000000000000";
  const client = new (armAuthorization().AuthorizationManagementClient)(options.credential ?? new (azureIdentity().DefaultAzureCredential)(), subscription, {
    ...options.clientOptions,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  const wanted = lastSegment(roleDefinitionId).toLowerCase();
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeout = options.propagationTimeoutMs ?? POLICY_PROPAGATION_TIMEOUT_MS;
  const started = now();
  let delay = POLICY_LOOKUP_FIRST_DELAY_MS;
  for (;;) {
    let lastError: string | undefined;
    try {
      for await (const assignment of client.roleManagementPolicyAssignments.listForScope(scope)) {
        if (assignment.roleDefinitionId && lastSegment(assignment.roleDefinitionId).toLowerCase() === wanted && assignment.policyId) {
          return lastSegment(assignment.policyId);
        }
      }
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === undefined || (status !== 404 && status < 500)) {
        throw err;
      }
      lastError = `HTTP ${status} ${(err as Error).message}`;
    }
    const waited = now() - started;
    if (waited + delay > timeout) {
      throw new PolicyNotFoundError(scope, roleDefinitionId, waited, lastError);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, POLICY_LOOKUP_MAX_DELAY_MS);
  }
}

/** Options of {@link createPolicyNameResolver}. */
export interface PolicyNameResolverOptions extends Omit<PolicyLookupOptions, "credential"> {
  /**
   * The credential for a provider's principal. Default: `DefaultAzureCredential` restricted to the
   * provider's tenant, with the provider's client id for workload and managed identity.
   */
  credentialFor?: (provider: ProviderIdentity | undefined) => NonNullable<PolicyLookupOptions["credential"]>;
}

/** The default credential of a provider's principal: its tenant, its client id. */
export function providerCredential(provider: ProviderIdentity | undefined): NonNullable<PolicyLookupOptions["credential"]> {
  if (!provider) {
    return new (azureIdentity().DefaultAzureCredential)();
  }
  return new (azureIdentity().DefaultAzureCredential)({ tenantId: provider.tenantId, workloadIdentityClientId: provider.clientId, managedIdentityClientId: provider.clientId });
}

/** A resolver that looks each policy up in Azure as the component's provider's principal. */
export function createPolicyNameResolver(options: PolicyNameResolverOptions = {}): PolicyNameResolver {
  const { credentialFor = providerCredential, ...lookup } = options;
  return (scope, roleDefinitionId, provider) => lookUpPolicyName(scope, roleDefinitionId, { ...lookup, credential: credentialFor(provider) });
}

let resolver: PolicyNameResolver = createPolicyNameResolver();

/** The resolver the components use: Azure as the provider's principal, unless an offline evaluation installed another. */
export function resolvePolicyName(scope: string, roleDefinitionId: string, provider?: ProviderIdentity): Promise<string> {
  return resolver(scope, roleDefinitionId, provider);
}

/**
 * Replaces the resolver; returns the previous one. The offline plan and the tests install a resolver
 * that answers without Azure, since no cloud is reachable there.
 */
export function setPolicyNameResolver(next: PolicyNameResolver): PolicyNameResolver {
  const previous = resolver;
  resolver = next;
  return previous;
}
