/** Just-in-time access: one {@link JitAccess} per (role, scope) group of the graph. */
import { AgentIdentity } from "../agentIdentity";
import { JitAccess } from "../jitAccess";
import { deterministicGuid, slug } from "../../rules/naming";
import { PlatformContext, platformChild } from "./context";
import type { RoleDefinitionIdOf } from "./roles";

/** The PIM policy is per role and scope, the eligibilities per agent: one component per group. */
export function buildJitAccess(ctx: PlatformContext, identities: Record<string, AgentIdentity>, roleId: RoleDefinitionIdOf): JitAccess[] {
  const pim = ctx.config.pim;
  return ctx.graph.jitGroups.map((group) => {
    const child = platformChild(ctx, `jit-${slug(group.role)}-${deterministicGuid(group.key).slice(0, 8)}`);
    return new JitAccess(
        child.name,
        {
          scope: group.scope,
          roleDefinitionId: roleId(group.resolved, group.scope),
          roleName: group.role,
          maximumActivationDuration: group.maxDuration,
          approvers: pim.approvers,
          approvalTimeoutDays: pim.approvalTimeoutDays,
          notificationEmails: pim.notificationEmails,
          // Validation requires a start whenever an agent has jit.
          eligibilityStart: pim.eligibilityStart!,
          eligibilityDuration: pim.eligibilityDuration,
          eligible: group.eligible.map((e) => ({ name: e.agent, principalId: identities[e.agent].principalId, justification: e.justification })),
        },
        child.opts,
      );
  });
}
