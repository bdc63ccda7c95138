/**
 * What every doctor check receives: the stack, the agents to examine with what each should hold, the
 * Azure and Kubernetes clients, and memoized reads shared by several checks (each object is read once).
 */
import type { Identity, FederatedIdentityCredential } from "@azure/arm-msi";
import type { V1Deployment, V1Pod, V1ServiceAccount } from "@kubernetes/client-node";
import { LoadedStack } from "../lib/stack";
import { AzureClients } from "../lib/azure";
import { KubeClients } from "../lib/kube";
import { ExpectedAgent, clusterLocation, expectedAgents } from "../lib/expectations";
import { GraphServicePrincipal } from "../lib/graph";
import { isNotFound } from "../lib/errors";

/** The doctor context. */
export interface DoctorContext {
  /** The stack. */
  stack: LoadedStack;
  /** Subscription of the deployment. */
  subscriptionId: string;
  /** Azure clients. */
  azure: AzureClients;
  /** Kubernetes clients. */
  kube: KubeClients;
  /** The agents examined (all, or the one of `--agent`), with what each should hold. */
  agents: ExpectedAgent[];
  /** Every agent of the stack (callers may lie outside `--agent`). */
  allAgents: ExpectedAgent[];
  /** The cluster's current OIDC issuer URL. */
  issuer(): Promise<string>;
  /** The agent's managed identity, or undefined when it does not exist. */
  identity(agent: string): Promise<Identity | undefined>;
  /** The identity's federated credentials ([] when the identity does not exist). */
  credentials(agent: string): Promise<FederatedIdentityCredential[]>;
  /** The agent's ServiceAccount, or undefined. */
  serviceAccount(agent: string): Promise<V1ServiceAccount | undefined>;
  /** The agent's Deployment, or undefined. */
  deployment(agent: string): Promise<V1Deployment | undefined>;
  /** The agent's pods (label `app.kubernetes.io/name=<agent>`). */
  pods(agent: string): Promise<V1Pod[]>;
  /** The API service principal of a callee, or undefined. */
  apiServicePrincipal(agent: string): Promise<GraphServicePrincipal | undefined>;
}

function memo<T>(make: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    if (!cache.has(key)) {
      cache.set(key, make(key));
    }
    return cache.get(key)!;
  };
}

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isNotFound(err)) {
      return undefined;
    }
    throw err;
  }
}

/** Builds the context; `agentName` limits the examination to one agent. */
export function doctorContext(stack: LoadedStack, subscriptionId: string, azure: AzureClients, kube: KubeClients, agentName?: string): DoctorContext {
  const allAgents = expectedAgents(stack);
  const find = (name: string) => allAgents.find((a) => a.name === name)!;
  const group = stack.config.resourceGroupName;
  const namespace = stack.config.namespace;
  const where = clusterLocation(stack, subscriptionId);
  let issuer: Promise<string> | undefined;
  const identity = memo((name) => orUndefined(azure.msi(subscriptionId).userAssignedIdentities.get(group, find(name).identityName)));
  return {
    stack,
    subscriptionId,
    azure,
    kube,
    agents: agentName ? allAgents.filter((a) => a.name === agentName) : allAgents,
    allAgents,
    issuer() {
      issuer ??= azure
        .containerService(where.subscriptionId)
        .managedClusters.get(where.resourceGroup, where.name)
        .then((c) => {
          const url = c.oidcIssuerProfile?.issuerURL;
          if (!url) {
            throw new Error(`cluster ${where.name} reports no OIDC issuer URL (is the issuer enabled?)`);
          }
          return url;
        });
      return issuer;
    },
    identity,
    credentials: memo(async (name) => {
      if (!(await identity(name))) {
        return [];
      }
      const list: FederatedIdentityCredential[] = [];
      for await (const c of azure.msi(subscriptionId).federatedIdentityCredentials.list(group, find(name).identityName)) {
        list.push(c);
      }
      return list;
    }),
    serviceAccount: memo((name) => orUndefined(kube.core.readNamespacedServiceAccount({ name: find(name).serviceAccount.name, namespace: find(name).serviceAccount.namespace }))),
    deployment: memo((name) => orUndefined(kube.apps.readNamespacedDeployment({ name: find(name).deploymentName, namespace }))),
    pods: memo(async (name) => (await kube.core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/name=${name}` })).items),
    apiServicePrincipal: memo(async (name) => {
      const api = find(name).api;
      return api ? (await azure.graph().servicePrincipalsByDisplayName(api.displayName))[0] : undefined;
    }),
  };
}
