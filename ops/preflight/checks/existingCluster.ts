/**
 * An adopted cluster (cluster.existingClusterId) has the OIDC issuer and workload identity enabled
 * (ManagedCluster: oidcIssuerProfile.enabled/issuerURL, securityProfile.workloadIdentity.enabled).
 */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck, isNotFound } from "../../lib/errors";
import { clusterLocation } from "../../lib/expectations";
import { PreflightContext } from "../context";

/** Reads the adopted cluster. */
export async function checkExistingCluster(ctx: PreflightContext): Promise<CheckResult> {
  const id = ctx.stack.config.cluster.existingClusterId;
  if (!id) {
    return ok("existing-cluster", "No cluster is adopted: the stack creates one with the OIDC issuer and workload identity enabled.");
  }
  const where = clusterLocation(ctx.stack, ctx.subscriptionId);
  try {
    const cluster = await ctx.azure.containerService(where.subscriptionId).managedClusters.get(where.resourceGroup, where.name);
    const missing = [
      cluster.oidcIssuerProfile?.enabled && cluster.oidcIssuerProfile.issuerURL ? undefined : "the OIDC issuer",
      cluster.securityProfile?.workloadIdentity?.enabled ? undefined : "workload identity",
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0) {
      return problem(
        "existing-cluster",
        `The adopted cluster ${where.name} does not have ${missing.join(" and ")} enabled; the deploy stops there.`,
        `az aks update -g ${where.resourceGroup} -n ${where.name} --enable-oidc-issuer --enable-workload-identity`,
        id,
      );
    }
    return ok("existing-cluster", `The adopted cluster ${where.name} has the OIDC issuer (${cluster.oidcIssuerProfile!.issuerURL}) and workload identity enabled.`, id);
  } catch (err) {
    if (isNotFound(err)) {
      return problem("existing-cluster", `The adopted cluster ${id} does not exist.`, `correct ${ctx.stack.project}:cluster.existingClusterId (az aks show -g <group> -n <name> --query id -o tsv).`, id);
    }
    return couldNotCheck("existing-cluster", `cluster ${id}`, err, id);
  }
}
