/**
 * The resource group exists or not, and whether that matches `createResourceGroup`: azure-native
 * refuses to create a resource that already exists (DESIGN.md §6), and a group that should exist but
 * does not fails every resource placed in it.
 */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { resourceGroupScope } from "../../lib/scopes";
import { PreflightContext } from "../context";

/** Compares the group's existence with `createResourceGroup`. */
export async function checkResourceGroup(ctx: PreflightContext): Promise<CheckResult> {
  const { resourceGroupName, createResourceGroup } = ctx.stack.config;
  const scope = resourceGroupScope(ctx.subscriptionId, resourceGroupName);
  const state = await ctx.scopeState(scope);
  const key = `${ctx.stack.project}:createResourceGroup`;
  if ("error" in state) {
    return couldNotCheck("resource-group", `resource group ${resourceGroupName}`, state.error, resourceGroupName);
  }
  if (state.exists && createResourceGroup) {
    return problem(
      "resource-group",
      `Resource group ${resourceGroupName} exists but createResourceGroup is true: azure-native refuses to create an existing resource.`,
      `set ${key}: false to use the existing group (or choose a new resourceGroupName).`,
      resourceGroupName,
    );
  }
  if (!state.exists && !createResourceGroup) {
    return problem(
      "resource-group",
      `Resource group ${resourceGroupName} does not exist but createResourceGroup is false: every resource placed in it would fail.`,
      `set ${key}: true to create it, or create it first (az group create -n ${resourceGroupName} -l ${ctx.stack.config.location}).`,
      resourceGroupName,
    );
  }
  return ok("resource-group", state.exists ? `Resource group ${resourceGroupName} exists and createResourceGroup is false.` : `Resource group ${resourceGroupName} does not exist yet and createResourceGroup is true.`, resourceGroupName);
}
