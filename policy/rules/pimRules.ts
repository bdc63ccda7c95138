/**
 * What makes a PIM role management policy compliant: activation needs approval by at least one
 * approver with an object id in every stage, activation ends within four hours, and no rule id is
 * given twice (Azure would apply one of them, and a reviewer would read the other).
 */
import { MAX_ACTIVATION_MINUTES, durationMinutes } from "../../rules/durations";

/** The problems of a policy's rules, empty when compliant. Reads values, so it may throw the analyzer's unknown-value error. */
export function policyRuleProblems(rules: unknown): string[] {
  const problems: string[] = [];
  const list: Array<Record<string, any>> = Array.isArray(rules) ? rules : [];
  const ids = list.map((r) => String(r?.id));
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (duplicates.length > 0) {
    problems.push(`rule ids ${duplicates.map((d) => JSON.stringify(d)).join(", ")} appear more than once; Azure keeps one rule per id, so the policy would not be the one reviewed.`);
  }
  const approval = list.find((r) => r?.id === "Approval_EndUser_Assignment");
  const stages: Array<Record<string, any>> = Array.isArray(approval?.setting?.approvalStages) ? approval!.setting.approvalStages : [];
  const approversPerStage = stages.map((s) => (Array.isArray(s?.primaryApprovers) ? s.primaryApprovers : []).filter((a: Record<string, any>) => typeof a?.id === "string" && a.id.trim().length > 0).length);
  if (approval?.setting?.isApprovalRequired !== true || stages.length === 0 || approversPerStage.some((n) => n === 0)) {
    problems.push("Approval_EndUser_Assignment must require approval and name at least one approver with an object id in every stage.");
  }
  const expiration = list.find((r) => r?.id === "Expiration_EndUser_Assignment");
  const minutes = durationMinutes(String(expiration?.maximumDuration ?? ""));
  if (expiration?.isExpirationRequired !== true || minutes === undefined || minutes > MAX_ACTIVATION_MINUTES) {
    problems.push(`Expiration_EndUser_Assignment must require expiry with maximumDuration of PT4H or less (got ${JSON.stringify(expiration?.maximumDuration)}).`);
  }
  return problems;
}
