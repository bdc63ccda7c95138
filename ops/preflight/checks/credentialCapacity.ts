/**
 * Existing agent identities stay within 20 federated credentials once the stack's are added: the
 * credentials already there (ARM Microsoft.ManagedIdentity userAssignedIdentities/{name}/
 * federatedIdentityCredentials) plus those the stack would add.
 */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck, isNotFound } from "../../lib/errors";
import { expectedAgents } from "../../lib/expectations";
import { MAX_FEDERATED_CREDENTIALS_PER_IDENTITY } from "../../../rules/formats";
import { PreflightContext } from "../context";

/** One finding per agent whose identity exists; one summary when none exists yet. */
export async function checkCredentialCapacity(ctx: PreflightContext): Promise<CheckResult[]> {
  const group = ctx.stack.config.resourceGroupName;
  const rg = await ctx.scopeState(`/subscriptions/${ctx.subscriptionId}/resourceGroups/${group}`);
  if ("exists" in rg && !rg.exists) {
    return [ok("credential-capacity", "The resource group does not exist yet, so no agent identity exists: each gets only the stack's credentials.")];
  }
  const msi = ctx.azure.msi(ctx.subscriptionId);
  const results = await Promise.all(
    expectedAgents(ctx.stack).map(async (agent): Promise<CheckResult | undefined> => {
      try {
        const existing = [];
        for await (const c of msi.federatedIdentityCredentials.list(group, agent.identityName)) {
          existing.push(c);
        }
        const planned = new Set(agent.credentials.map((c) => c.name.toLowerCase()));
        const foreign = existing.filter((c) => !planned.has((c.name ?? "").toLowerCase()));
        const total = foreign.length + agent.credentials.length;
        if (total > MAX_FEDERATED_CREDENTIALS_PER_IDENTITY) {
          return problem(
            "credential-capacity",
            `Identity ${agent.identityName} already holds ${foreign.length} other federated credential(s) (${foreign.map((c) => c.name).join(", ")}); with the stack's ${agent.credentials.length} it would hold ${total}, above Azure's limit of ${MAX_FEDERATED_CREDENTIALS_PER_IDENTITY}.`,
            `delete unused credentials (az identity federated-credential delete -g ${group} --identity-name ${agent.identityName} -n <name>), or list fewer extraServiceAccounts.`,
            agent.name,
          );
        }
        return ok("credential-capacity", `Identity ${agent.identityName} will hold ${total} of at most ${MAX_FEDERATED_CREDENTIALS_PER_IDENTITY} federated credentials.`, agent.name);
      } catch (err) {
        return isNotFound(err) ? undefined : couldNotCheck("credential-capacity", `the federated credentials of ${agent.identityName}`, err, agent.name);
      }
    }),
  );
  const found = results.filter((r): r is CheckResult => r !== undefined);
  return found.length > 0 ? found : [ok("credential-capacity", "No agent identity exists yet: each gets only the stack's credentials.")];
}
