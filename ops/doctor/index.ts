/**
 * Doctor: read-only comparison, after a deploy, of what Azure and the cluster hold with what the plan
 * expects, per agent. Every request is a read.
 */
import { LoadedStack } from "../lib/stack";
import { AzureClients } from "../lib/azure";
import { KubeClients } from "../lib/kube";
import { SignedInPrincipal, describePrincipal } from "../lib/identity";
import { Check, Report, makeReport, runChecks } from "../lib/report";
import { DoctorContext, doctorContext } from "./context";
import { checkFederatedCredentials } from "./checks/federatedCredentials";
import { checkServiceAccounts } from "./checks/serviceAccount";
import { checkPods } from "./checks/pods";
import { checkCallGraph } from "./checks/appRoleGrants";
import { checkJit } from "./checks/jit";

/** The checks, in the order they are reported. */
export const DOCTOR_CHECKS: Array<[string, Check<DoctorContext>]> = [
  ["federated-credential", checkFederatedCredentials],
  ["service-account", checkServiceAccounts],
  ["pods", checkPods],
  ["app-role-grants", checkCallGraph],
  ["eligibility", checkJit],
];

/** Runs every doctor check for a stack (or one agent of it). */
export async function runDoctor(stack: LoadedStack, subscriptionId: string, azure: AzureClients, kube: KubeClients, principal: SignedInPrincipal, agent?: string): Promise<Report> {
  const ctx = doctorContext(stack, subscriptionId, azure, kube, agent);
  const results = await runChecks(ctx, DOCTOR_CHECKS);
  return makeReport("doctor", stack.stack, results, describePrincipal(principal));
}
