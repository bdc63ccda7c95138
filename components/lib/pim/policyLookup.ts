/**
 * Finds the role management policy Azure keeps for a role at a scope. `RoleManagementPolicy` never
 * creates a policy: it patches the existing one, and needs its GUID, which only Azure knows. The
 * program looks it up (Microsoft.Authorization roleManagementPolicyAssignments, 2020-10-01) so that
 * nobody copies a GUID into config.
 */
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { DefaultAzureCredential } from "@azure/identity";
import { lastSegment } from "../naming";

/** Resolves the policy name (GUID) for a role definition id at a scope. */
export type PolicyNameResolver = (scope: string, roleDefinitionId: string) => Promise<string>;

/** Thrown when Azure has no policy for the role at the scope. */
export class PolicyNotFoundError extends Error {
  /** Stable code. */
  readonly code = "ERR_PIM_POLICY_NOT_FOUND";
  constructor(scope: string, roleDefinitionId: string) {
    super(
      `Azure reports no role management policy for role ${roleDefinitionId} at ${scope}. ` +
        "Fix: check that the scope exists and that the deploying principal may read Microsoft.Authorization/roleManagementPolicyAssignments there.",
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
}

/** Lists the policy assignments at the scope and returns the policy name of the role's assignment. */
export async function lookUpPolicyName(scope: string, roleDefinitionId: string, options: PolicyLookupOptions = {}): Promise<string> {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? "00000000-0000-0000-0000-000000000000";
  const client = new AuthorizationManagementClient(options.credential ?? new DefaultAzureCredential(), subscription, {
    ...options.clientOptions,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  const wanted = lastSegment(roleDefinitionId).toLowerCase();
  for await (const assignment of client.roleManagementPolicyAssignments.listForScope(scope)) {
    if (assignment.roleDefinitionId && lastSegment(assignment.roleDefinitionId).toLowerCase() === wanted && assignment.policyId) {
      return lastSegment(assignment.policyId);
    }
  }
  throw new PolicyNotFoundError(scope, roleDefinitionId);
}

let resolver: PolicyNameResolver = (scope, roleDefinitionId) => lookUpPolicyName(scope, roleDefinitionId);

/** The resolver the components use: Azure, unless an offline evaluation installed another. */
export function resolvePolicyName(scope: string, roleDefinitionId: string): Promise<string> {
  return resolver(scope, roleDefinitionId);
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
