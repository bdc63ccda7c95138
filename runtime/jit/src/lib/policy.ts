/**
 * Reads the longest activation the role's PIM policy at the scope allows (rule
 * `Expiration_EndUser_Assignment`), so an over-long request is refused before it is sent.
 */
import type { AuthorizationManagementClient, RoleManagementPolicyExpirationRule, RoleManagementPolicyRuleUnion } from "@azure/arm-authorization";
import { callAzure } from "./arm";

function lastSegment(id: string | undefined): string {
  return (id ?? "").split("/").filter((s) => s.length > 0).pop()?.toLowerCase() ?? "";
}

/** The policy's `maximumDuration` for activations, or undefined when no such rule is set. */
export async function maximumActivation(client: AuthorizationManagementClient, scope: string, roleDefinitionId: string, abortSignal?: AbortSignal): Promise<string | undefined> {
  const rules = await callAzure("Reading the role's PIM policy", async () => {
    for await (const assignment of client.roleManagementPolicyAssignments.listForScope(scope, { abortSignal })) {
      if (lastSegment(assignment.roleDefinitionId) === lastSegment(roleDefinitionId) && assignment.policyId) {
        const policy = await client.roleManagementPolicies.get(scope, lastSegment(assignment.policyId), { abortSignal });
        return (policy.effectiveRules ?? policy.rules ?? []) as RoleManagementPolicyRuleUnion[];
      }
    }
    return [] as RoleManagementPolicyRuleUnion[];
  });
  const rule = rules.find((r) => r.id === "Expiration_EndUser_Assignment");
  return rule && rule.ruleType === "RoleManagementPolicyExpirationRule" ? (rule as RoleManagementPolicyExpirationRule).maximumDuration : undefined;
}
