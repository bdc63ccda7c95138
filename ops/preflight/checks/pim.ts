/**
 * PIM is usable: for each JIT role and scope the role management policy can be read
 * (Microsoft.Authorization 2020-10-01 roleManagementPolicyAssignments at the scope). The program
 * patches that policy, so a scope where it cannot be read (no Entra ID P2 / Governance licence, or
 * no right to read it) fails the deploy.
 */
import { CheckResult, ok, problem, unknown } from "../../lib/check";
import { describeError } from "../../lib/errors";
import { roleGuidOf } from "../../lib/expectations";
import { resolveRoleReference } from "../../../rules/roles";
import { lastSegment } from "../../../rules/naming";
import { PreflightContext } from "../context";

/** One finding per JIT role and scope. */
export async function checkPim(ctx: PreflightContext): Promise<CheckResult[]> {
  const { config } = ctx.stack;
  const pairs = new Map<string, { role: string; scope: string }>();
  for (const agent of config.agents) {
    for (const j of agent.jit) {
      pairs.set(`${roleGuidOf(j.role, config)}@${j.scope.toLowerCase()}`, { role: j.role, scope: j.scope });
    }
  }
  if (pairs.size === 0) {
    return [ok("pim", "No agent has just-in-time access: PIM is not used.")];
  }
  const customNames = config.roleDefinitions.map((r) => r.name);
  return Promise.all(
    [...pairs.values()].map(async ({ role, scope }) => {
      const target = `${role} at ${scope}`;
      const state = await ctx.scopeState(scope);
      if (!("exists" in state) || !state.exists) {
        return unknown("pim", "Not checked: the scope does not exist or could not be read (see the scope check).", "fix the scope first.", target);
      }
      const guid = roleGuidOf(role, config)!;
      try {
        let policyName: string | undefined;
        for await (const a of ctx.azure.authorization(ctx.subscriptionId).roleManagementPolicyAssignments.listForScope(scope)) {
          if (a.roleDefinitionId && lastSegment(a.roleDefinitionId).toLowerCase() === guid && a.policyId) {
            policyName = lastSegment(a.policyId);
          }
        }
        if (policyName) {
          return ok("pim", `The PIM policy ${policyName} of the role can be read.`, target);
        }
        if (resolveRoleReference(role, customNames)?.kind === "custom") {
          return ok("pim", "PIM policies can be read here; the custom role's own policy appears once pulumi up creates the role.", target);
        }
        return problem("pim", "Azure lists no PIM policy for this role at this scope, so the program cannot patch it.", "check that PIM for Azure resources is available (Microsoft Entra ID P2 or ID Governance) and the role can be assigned at this scope.", target);
      } catch (err) {
        return problem(
          "pim",
          `The PIM policy cannot be read: ${describeError(err)}. pulumi up patches it and would fail the same way.`,
          "PIM for Azure resources needs Microsoft Entra ID P2 (or ID Governance) in the tenant, and the deployer needs Owner, User Access Administrator or Role Based Access Control Administrator at the scope.",
          target,
        );
      }
    }),
  );
}
