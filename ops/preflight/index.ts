/**
 * Preflight: read-only checks of the tenant before `pulumi up`. Every request is a read.
 */
import { LoadedStack } from "../lib/stack";
import { AzureClients } from "../lib/azure";
import { SignedInPrincipal, describePrincipal } from "../lib/identity";
import { Check, Report, makeReport, runChecks } from "../lib/report";
import { PreflightContext, preflightContext } from "./context";
import { checkDeployer } from "./checks/deployer";
import { checkSubscription } from "./checks/subscription";
import { checkResourceGroup } from "./checks/resourceGroup";
import { checkScopes } from "./checks/scopes";
import { checkKubernetesVersion } from "./checks/kubernetesVersion";
import { checkVmSizes } from "./checks/vmSizes";
import { checkRights } from "./checks/rights";
import { checkGraphPermissions } from "./checks/graphPermissions";
import { checkPim } from "./checks/pim";
import { checkExistingCluster } from "./checks/existingCluster";
import { checkCredentialCapacity } from "./checks/credentialCapacity";

/** The checks, in the order they are reported. */
export const PREFLIGHT_CHECKS: Array<[string, Check<PreflightContext>]> = [
  ["deployer", checkDeployer],
  ["subscription", checkSubscription],
  ["resource-group", checkResourceGroup],
  ["scope", checkScopes],
  ["kubernetes-version", checkKubernetesVersion],
  ["vm-size", checkVmSizes],
  ["rights", checkRights],
  ["graph-permissions", checkGraphPermissions],
  ["pim", checkPim],
  ["existing-cluster", checkExistingCluster],
  ["credential-capacity", checkCredentialCapacity],
];

/** Runs every preflight check for a stack. */
export async function runPreflight(stack: LoadedStack, subscriptionId: string, azure: AzureClients, principal: SignedInPrincipal): Promise<Report> {
  const ctx = preflightContext(stack, subscriptionId, azure, principal);
  const results = await runChecks(ctx, PREFLIGHT_CHECKS);
  return makeReport("preflight", stack.stack, results, describePrincipal(principal));
}
