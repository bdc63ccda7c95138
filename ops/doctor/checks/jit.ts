/**
 * Just-in-time access as planned: each JIT entry's eligibility exists in Azure for the agent's
 * identity (roleEligibilitySchedules at the scope, `$filter=principalId eq '<id>'`), has not ended,
 * and runs from `pim.eligibilityStart` for `pim.eligibilityDuration`; the role management policy at the scope holds the program's own rules (jitPolicyRules),
 * compared field by field (Microsoft.Authorization 2020-10-01).
 */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { ExpectedAgent, ExpectedJit } from "../../lib/expectations";
import { lastSegment } from "../../../rules/naming";
import { jitPolicyRules } from "../../../components/lib/pim/policyRules";
import { DoctorContext } from "../context";

/** The first path where `actual` does not hold `expected` (extra fields in `actual` are fine), or undefined. */
export function firstDifference(expected: unknown, actual: unknown, path = ""): string | undefined {
  const empty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
  if (empty(expected) && empty(actual)) {
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      return `${path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
    }
    if (expected.every((e) => typeof e !== "object")) {
      const norm = (a: unknown[]) => JSON.stringify(a.map((x) => String(x).toLowerCase()).sort());
      return norm(expected) === norm(actual) ? undefined : `${path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
    }
    for (const [i, e] of expected.entries()) {
      if (!actual.some((a) => firstDifference(e, a) === undefined)) {
        return firstDifference(e, actual[i], `${path}[${i}]`) ?? `${path}[${i}] is missing`;
      }
    }
    return undefined;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") {
      return `${path} is ${JSON.stringify(actual)}, expected an object`;
    }
    for (const [k, v] of Object.entries(expected)) {
      const d = firstDifference(v, (actual as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d) {
        return d;
      }
    }
    return undefined;
  }
  const same = typeof expected === "string" && typeof actual === "string" ? expected.toLowerCase() === actual.toLowerCase() : expected === actual;
  return same ? undefined : `${path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
}

async function checkEligibility(ctx: DoctorContext, agent: ExpectedAgent, jit: ExpectedJit): Promise<CheckResult> {
  const target = `${agent.name} ${jit.role} at ${jit.scope}`;
  const principalId = (await ctx.identity(agent.name))?.principalId;
  if (!principalId) {
    return problem("eligibility", `Managed identity ${agent.identityName} does not exist, so it holds no eligibility.`, "run pulumi up for the stack.", target);
  }
  const schedules = [];
  for await (const s of ctx.azure.authorization(ctx.subscriptionId).roleEligibilitySchedules.listForScope(jit.scope, { filter: `principalId eq '${principalId}'` })) {
    if (s.principalId === principalId && s.roleDefinitionId && lastSegment(s.roleDefinitionId).toLowerCase() === jit.roleGuid && (s.scope ?? "").toLowerCase() === jit.scope.toLowerCase()) {
      schedules.push(s);
    }
  }
  const now = Date.now();
  const current = schedules.find((s) => !s.endDateTime || new Date(s.endDateTime).getTime() > now);
  if (!current) {
    const ended = schedules.find((s) => s.endDateTime);
    return problem(
      "eligibility",
      ended
        ? `The eligibility ended at ${new Date(ended.endDateTime!).toISOString()}: activation fails with ERR_JIT_NO_ELIGIBILITY.`
        : `Azure holds no eligibility of ${agent.identityName} (${principalId}) for ${jit.role} here: activation fails with ERR_JIT_NO_ELIGIBILITY.`,
      ended ? `move ${ctx.stack.project}:pim.eligibilityStart forward and run pulumi up (it replaces the eligibility).` : "run pulumi up for the stack (it creates the eligibility; a changed one is replaced).",
      target,
    );
  }
  const { eligibilityStart, eligibilityDuration } = ctx.stack.config.pim;
  const planned = plannedWindow(eligibilityStart, eligibilityDuration);
  const actual = { start: isoOrUndefined(current.startDateTime), end: isoOrUndefined(current.endDateTime) };
  if (planned && (actual.start !== planned.start || actual.end !== planned.end)) {
    return problem(
      "eligibility",
      `Azure holds the eligibility from ${actual.start ?? "?"} until ${actual.end ?? "no end"}, but the plan says ${planned.start} until ${planned.end} (pim.eligibilityStart ${eligibilityStart}, eligibilityDuration ${eligibilityDuration}).`,
      "run pulumi up (it replaces the eligibility with the planned schedule).",
      target,
    );
  }
  return ok("eligibility", `Eligible from ${actual.start ?? "?"} until ${actual.end ?? "no end"}, as planned; status ${current.status ?? "?"}.`, target);
}

function isoOrUndefined(value: Date | string | undefined): string | undefined {
  return value ? new Date(value).toISOString() : undefined;
}

/** The planned window of an eligibility: from the fixed start, for the duration in days. */
function plannedWindow(start: string | undefined, duration: string): { start: string; end: string } | undefined {
  const days = /^P(\d+)D$/.exec(duration);
  if (!start || !days) {
    return undefined;
  }
  const from = Date.parse(start);
  return { start: new Date(from).toISOString(), end: new Date(from + Number(days[1]) * 86_400_000).toISOString() };
}

async function checkPolicy(ctx: DoctorContext, jit: ExpectedJit): Promise<CheckResult> {
  const target = `${jit.role} at ${jit.scope}`;
  const authz = ctx.azure.authorization(ctx.subscriptionId);
  let policyName: string | undefined;
  for await (const a of authz.roleManagementPolicyAssignments.listForScope(jit.scope)) {
    if (a.roleDefinitionId && lastSegment(a.roleDefinitionId).toLowerCase() === jit.roleGuid && a.policyId) {
      policyName = lastSegment(a.policyId);
    }
  }
  if (!policyName) {
    return problem("pim-policy", "Azure lists no role management policy for the role here.", "run pulumi up; if it persists, check PIM for Azure resources (Microsoft Entra ID P2) in the tenant.", target);
  }
  const policy = await authz.roleManagementPolicies.get(jit.scope, policyName);
  const { pim } = ctx.stack.config;
  const expected = jitPolicyRules({
    maximumActivationDuration: jit.maxDuration,
    approvers: pim.approvers,
    approvalTimeoutDays: pim.approvalTimeoutDays,
    notificationEmails: pim.notificationEmails,
    maximumEligibilityDuration: pim.eligibilityDuration,
  });
  const rules = (policy.rules ?? []) as unknown as Array<{ id?: string }>;
  const differences = expected
    .map((rule) => {
      const actual = rules.find((r) => r.id === rule.id);
      return actual ? firstDifference(rule, actual, rule.id) : `${rule.id} is missing`;
    })
    .filter((d): d is string => d !== undefined);
  if (differences.length > 0) {
    return problem("pim-policy", `The policy ${policyName} differs from the plan: ${differences.join("; ")}.`, "run pulumi up (it patches the policy back), and find out who changed it in the PIM audit log.", target);
  }
  return ok("pim-policy", `The policy ${policyName} holds the planned rules (activation up to ${jit.maxDuration}, approval by ${pim.approvers.map((a) => a.objectId).join(", ")}, justification, no MFA).`, target);
}

/** Eligibilities of the examined agents, and the policy of each role and scope they use. */
export async function checkJit(ctx: DoctorContext): Promise<CheckResult[]> {
  const entries = ctx.agents.flatMap((agent) => agent.jit.map((jit) => ({ agent, jit })));
  if (entries.length === 0) {
    return [ok("eligibility", "No examined agent has just-in-time access.")];
  }
  const policies = new Map<string, ExpectedJit>();
  for (const { jit } of entries) {
    policies.set(`${jit.roleGuid}@${jit.scope.toLowerCase()}`, jit);
  }
  const results = await Promise.all([
    ...entries.map(({ agent, jit }) => checkEligibility(ctx, agent, jit).catch((err) => couldNotCheck("eligibility", `the eligibilities at ${jit.scope}`, err, `${agent.name} ${jit.role}`))),
    ...[...policies.values()].map((jit) => checkPolicy(ctx, jit).catch((err) => couldNotCheck("pim-policy", `the PIM policy at ${jit.scope}`, err, `${jit.role} at ${jit.scope}`))),
  ]);
  return results;
}
