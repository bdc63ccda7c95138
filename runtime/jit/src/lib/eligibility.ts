/**
 * Finds the caller's eligibility for a role at a scope: the schedule an activation must link to.
 */
import type { AuthorizationManagementClient, RoleEligibilitySchedule } from "@azure/arm-authorization";
import { callAzure } from "./arm";
import { NoEligibilityError } from "../errors";

/** A role matches by display name, role definition GUID, or full role definition id (case-insensitive). */
export function roleMatches(schedule: RoleEligibilitySchedule, role: string): boolean {
  const wanted = role.toLowerCase();
  const id = (schedule.roleDefinitionId ?? "").toLowerCase();
  return (
    schedule.expandedProperties?.roleDefinition?.displayName?.toLowerCase() === wanted ||
    id === wanted ||
    id.split("/").pop() === wanted
  );
}

/** The active eligibility of the principal for the role at the scope, or a {@link NoEligibilityError}. */
export async function findEligibility(client: AuthorizationManagementClient, scope: string, principalId: string, role: string, abortSignal?: AbortSignal): Promise<RoleEligibilitySchedule> {
  const schedules = await callAzure("Listing role eligibility schedules", async () => {
    const found: RoleEligibilitySchedule[] = [];
    for await (const s of client.roleEligibilitySchedules.listForScope(scope, { filter: "asTarget()", abortSignal })) {
      found.push(s);
    }
    return found;
  });
  const match = schedules.find(
    (s) => s.principalId?.toLowerCase() === principalId.toLowerCase() && roleMatches(s, role) && (s.status === undefined || s.status === "Provisioned"),
  );
  if (!match?.id || !match.roleDefinitionId) {
    throw new NoEligibilityError(principalId, role, scope);
  }
  return match;
}
