/**
 * Small models of what the real providers do with the inputs the plan shows, written from their
 * sources, so that the offline plan fails where `pulumi up` would. Each names the code it follows.
 */

/**
 * pulumi-azure-native `provider/pkg/resources/customresources/custom_pim_eligibility.go`, `inputsToSdk`:
 * run on Read (before Create), Create, Delete and refresh of `authorization:PimRoleEligibilitySchedule`.
 * `scope`, `principalId` and `roleDefinitionId` are required; `scheduleInfo.startDateTime` is parsed with
 * `time.Parse(time.RFC3339, ...)`; when `scheduleInfo.expiration` is present, `exp["duration"].StringValue()`
 * and `exp["type"].StringValue()` are read unconditionally: a missing value is a nil PropertyValue, whose
 * `StringValue()` type assertion panics and takes the provider down.
 * Returns the failure the provider would produce, or undefined.
 */
export function pimEligibilityInputsToSdkFailure(inputs: Record<string, unknown>): string | undefined {
  for (const key of ["scope", "principalId", "roleDefinitionId"]) {
    if (inputs[key] === undefined) return `error: ${key} is required`;
  }
  const info = inputs.scheduleInfo as Record<string, unknown> | undefined;
  if (info === undefined) return undefined;
  if (info.startDateTime !== undefined && !isRfc3339(String(info.startDateTime))) {
    return `error: invalid start time: parsing time ${JSON.stringify(info.startDateTime)} as RFC3339`;
  }
  const expiration = info.expiration as Record<string, unknown> | undefined;
  if (expiration !== undefined) {
    for (const key of ["duration", "type"]) {
      if (typeof expiration[key] !== "string") return `panic: interface conversion: interface {} is nil, not string (scheduleInfo.expiration.${key})`;
    }
  }
  return undefined;
}

/** Go's `time.Parse(time.RFC3339, s)`, for the forms a config can hold. */
function isRfc3339(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  return match !== null && !Number.isNaN(Date.parse(value)) && Number(match[2]) <= 12 && Number(match[4]) < 24;
}

/**
 * Azure's expiration for an eligibility request with `type: AfterDuration` (Microsoft.Authorization
 * 2020-10-01, RoleEligibilityScheduleRequest `scheduleInfo.expiration`; the example
 * PutRoleEligibilityScheduleRequest.json sends `{type: "AfterDuration", duration: "P365D"}`): the days of
 * an ISO 8601 `PnD` duration, or undefined for any other form.
 */
export function durationDays(duration: string): number | undefined {
  const match = /^P(\d+)D$/.exec(duration);
  return match ? Number(match[1]) : undefined;
}
