/**
 * One role eligibility schedule as ARM returns it from `GET .../roleEligibilitySchedules` (REST spec:
 * Microsoft.Authorization RoleEligibilitySchedule, api-version 2020-10-01): the shape both test doubles of
 * ARM (test/ops/armRoutes.ts and test/runtime/armPimDouble.ts) answer with.
 */

/** An eligibility of a ServicePrincipal for a role at a scope. */
export interface EligibilityOf {
  /** The ARM scope. */
  scope: string;
  /** The eligible principal's object id. */
  principalId: string;
  /** The role definition's GUID. */
  roleGuid: string;
}

/**
 * The schedule resource of `e`: id, name, type, and properties with `roleDefinitionId`, the direct
 * ServicePrincipal membership and status Provisioned, plus `extra` properties of the caller's double.
 */
export function eligibilityScheduleJson(e: EligibilityOf, roleDefinitionId: string, extra: Record<string, unknown>): Record<string, unknown> {
  const id = `${e.scope}/providers/Microsoft.Authorization/roleEligibilitySchedules/${e.principalId.slice(0, 8)}-${e.roleGuid.slice(0, 8)}`;
  return {
    id,
    name: id.split("/").pop(),
    type: "Microsoft.Authorization/roleEligibilitySchedules",
    properties: { scope: e.scope, roleDefinitionId, principalId: e.principalId, principalType: "ServicePrincipal", memberType: "Direct", status: "Provisioned", ...extra },
  };
}
