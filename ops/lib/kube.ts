/**
 * The Kubernetes side: the official client, loaded from the kubeconfig the user already has
 * (`KUBECONFIG`, else ~/.kube/config), on the current context or `--context`.
 */
import type { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { UsageError } from "./errors";

/** Kubernetes API clients for one context. */
export interface KubeClients {
  /** The context used. */
  context: string;
  /** The API server. */
  server: string;
  /** Core API (ServiceAccounts, Pods). */
  core: CoreV1Api;
  /** Apps API (Deployments). */
  apps: AppsV1Api;
}

/** Loads the kubeconfig and makes the clients; a missing context is a usage error. */
export function kubeClients(context?: string): KubeClients {
  // Loaded on first use: preflight never needs it, and it is the slowest module to load.
  const { AppsV1Api, CoreV1Api, KubeConfig } = require("@kubernetes/client-node") as typeof import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      throw new UsageError(`--context ${JSON.stringify(context)} is not in the kubeconfig. Fix: use one of ${kc.getContexts().map((c) => c.name).join(", ") || "(none: run az aks get-credentials)"}.`);
    }
    kc.setCurrentContext(context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new UsageError("The kubeconfig has no current cluster. Fix: run az aks get-credentials -g <group> -n <cluster>, or pass --context.");
  }
  return { context: kc.getCurrentContext(), server: cluster.server, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}
