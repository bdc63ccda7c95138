/**
 * What every preflight check receives: the stack, the subscription, the Azure clients, the signed-in
 * principal, and a shared memo of which scopes exist (several checks need it; Azure is asked once).
 */
import type { ResourceManagementClient } from "@azure/arm-resources";
import { LoadedStack } from "../lib/stack";
import { AzureClients } from "../lib/azure";
import { SignedInPrincipal } from "../lib/identity";
import { isNotFound } from "../lib/errors";
import { parseScope } from "../lib/scopes";

/** Whether a scope exists: `true`, `false` (404), or the error that kept it from being read. */
export type ScopeState = { exists: true } | { exists: false } | { error: unknown };

/** The preflight context. */
export interface PreflightContext {
  /** The stack. */
  stack: LoadedStack;
  /** Subscription of the deployment. */
  subscriptionId: string;
  /** Azure clients. */
  azure: AzureClients;
  /** Who is deploying. */
  principal: SignedInPrincipal;
  /** Whether a scope exists (memoized). */
  scopeState(scope: string): Promise<ScopeState>;
}

const providers = new WeakMap<AzureClients, Map<string, ReturnType<ResourceManagementClient["providers"]["get"]>>>();

/** Latest stable API version a provider offers for a resource type (each provider is read once). */
async function apiVersionFor(azure: AzureClients, subscriptionId: string, namespace: string, resourceType: string): Promise<string | undefined> {
  const cache = providers.get(azure) ?? new Map<string, ReturnType<ResourceManagementClient["providers"]["get"]>>();
  providers.set(azure, cache);
  const key = `${subscriptionId}/${namespace}`.toLowerCase();
  if (!cache.has(key)) {
    cache.set(key, azure.resources(subscriptionId).providers.get(namespace));
  }
  const provider = await cache.get(key)!;
  const type = provider.resourceTypes?.find((t) => t.resourceType?.toLowerCase() === resourceType.toLowerCase());
  const versions = (type?.apiVersions ?? []).filter((v) => !v.includes("preview")).sort();
  return versions.pop() ?? type?.apiVersions?.slice().sort().pop();
}

/** Reads a scope: subscription, resource group or resource (any type, through its provider's API version). */
async function readScope(azure: AzureClients, scope: string): Promise<ScopeState> {
  const parsed = parseScope(scope);
  if (!parsed) {
    return { error: new Error(`${scope} is not an ARM scope`) };
  }
  try {
    if (parsed.kind === "subscription") {
      await azure.subscriptions().subscriptions.get(parsed.subscriptionId);
    } else if (parsed.kind === "resourceGroup") {
      await azure.resources(parsed.subscriptionId).resourceGroups.get(parsed.resourceGroup!);
    } else {
      const apiVersion = await apiVersionFor(azure, parsed.subscriptionId, parsed.namespace!, parsed.resourceType!);
      if (!apiVersion) {
        return { error: new Error(`provider ${parsed.namespace} offers no resource type ${parsed.resourceType}`) };
      }
      await azure.resources(parsed.subscriptionId).resources.getById(scope, apiVersion);
    }
    return { exists: true };
  } catch (err) {
    return isNotFound(err) ? { exists: false } : { error: err };
  }
}

/** Builds the context. */
export function preflightContext(stack: LoadedStack, subscriptionId: string, azure: AzureClients, principal: SignedInPrincipal): PreflightContext {
  const memo = new Map<string, Promise<ScopeState>>();
  return {
    stack,
    subscriptionId,
    azure,
    principal,
    scopeState(scope: string) {
      const key = scope.toLowerCase();
      if (!memo.has(key)) {
        memo.set(key, readScope(azure, scope));
      }
      return memo.get(key)!;
    },
  };
}
