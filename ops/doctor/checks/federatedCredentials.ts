/**
 * The agent identity's federated credentials trust exactly the token its pods present: issuer equal
 * to the cluster's current OIDC issuer URL (trailing slash included), subject
 * `system:serviceaccount:<ns>:<sa>`, audience `api://AzureADTokenExchange`. A difference of one
 * character is Entra ID's AADSTS70021 (Azure/azure-workload-identity issues #340, #977, #1200).
 */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { ExpectedAgent } from "../../lib/expectations";
import { DoctorContext } from "../context";

function aadsts70021(issuer: string, subject: string, audience: string): string {
  return `pods get "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audience}'."`;
}

function differenceOf(field: string, actual: string, expected: string): string {
  const hint =
    actual.replace(/\/$/, "") === expected.replace(/\/$/, "") ? " (they differ only in the trailing slash)" : actual.toLowerCase() === expected.toLowerCase() ? " (they differ only in letter case)" : "";
  return `${field} is "${actual}" but must be "${expected}"${hint}`;
}

/** Checks each expected credential of one agent. */
export async function checkAgentCredentials(ctx: DoctorContext, agent: ExpectedAgent): Promise<CheckResult[]> {
  const identity = await ctx.identity(agent.name);
  const group = ctx.stack.config.resourceGroupName;
  if (!identity) {
    return [problem("federated-credential", `Managed identity ${agent.identityName} does not exist in ${group}; the agent has no identity to sign in as.`, "run pulumi up for the stack.", agent.name)];
  }
  const issuer = await ctx.issuer();
  const actual = await ctx.credentials(agent.name);
  return agent.credentials.map((expected) => {
    const target = `${agent.name} ${expected.subject}`;
    const fix = `run pulumi up (the program derives the credential from the cluster output and the ServiceAccount), or az identity federated-credential update -g ${group} --identity-name ${agent.identityName} -n ${expected.name} --issuer "${issuer}" --subject "${expected.subject}" --audiences ${expected.audience}`;
    const exact = actual.find((c) => c.issuer === issuer && c.subject === expected.subject && (c.audiences ?? []).includes(expected.audience));
    if (exact) {
      return ok("federated-credential", `Credential ${exact.name} trusts issuer ${issuer}, subject ${expected.subject}, audience ${expected.audience}.`, target);
    }
    const candidate = actual.find((c) => c.name === expected.name) ?? actual.find((c) => c.subject === expected.subject) ?? actual.find((c) => (c.subject ?? "").toLowerCase() === expected.subject.toLowerCase());
    if (!candidate) {
      return problem(
        "federated-credential",
        `Identity ${agent.identityName} has no federated credential for ${expected.subject}; ${aadsts70021(issuer, expected.subject, expected.audience)}`,
        fix,
        target,
      );
    }
    const diffs = [
      candidate.issuer !== issuer ? differenceOf("issuer", candidate.issuer ?? "", issuer) : undefined,
      candidate.subject !== expected.subject ? differenceOf("subject", candidate.subject ?? "", expected.subject) : undefined,
      (candidate.audiences ?? []).includes(expected.audience) ? undefined : `audiences are ${JSON.stringify(candidate.audiences ?? [])} but must include "${expected.audience}"`,
    ].filter((d): d is string => d !== undefined);
    return problem("federated-credential", `Credential ${candidate.name}: ${diffs.join("; ")}; ${aadsts70021(issuer, expected.subject, expected.audience)}`, fix, target);
  });
}

/** Checks every examined agent. */
export async function checkFederatedCredentials(ctx: DoctorContext): Promise<CheckResult[]> {
  try {
    await ctx.issuer();
  } catch (err) {
    return [couldNotCheck("federated-credential", "the cluster's OIDC issuer", err)];
  }
  const all = await Promise.all(ctx.agents.map((a) => checkAgentCredentials(ctx, a).catch((err) => [couldNotCheck("federated-credential", `the identity of ${a.name}`, err, a.name)])));
  return all.flat();
}
