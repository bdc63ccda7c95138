/**
 * AgentWorkload: the agent's ServiceAccount, annotated with its managed identity, and a Deployment
 * whose pods carry the workload identity label, run under the `restricted` security context and hold
 * no credential; plus a Service when the agent listens on a port.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type * as authorization from "@pulumi/azure-native/authorization";
import { isCredentialLikeEnvName, isCredentialLikeEnvValue, parseImageReference } from "../rules/formats";
import { ComponentArgsError } from "../rules/componentArgsError";

/** CPU and memory of one container resource list. */
export interface ResourceQuantities {
  /** CPU, e.g. `250m`. */
  cpu: string;
  /** Memory, e.g. `256Mi`. */
  memory: string;
}

/** Arguments of {@link AgentWorkload}. */
export interface AgentWorkloadArgs {
  /** The agent's name: of its Deployment, Service and ingress policy, and its `app.kubernetes.io/name` label. Default: the component name. */
  agentName?: string;
  /** The namespace to run in (pass `AgentNamespace.namespaceName` so the namespace exists first). */
  namespace: pulumi.Input<string>;
  /** The ServiceAccount's name: the same value the identity's federated credential subject was built from. Default: the agent name. */
  serviceAccountName?: string;
  /** The managed identity's client id, written to the `azure.workload.identity/client-id` annotation. */
  clientId: pulumi.Input<string>;
  /** The identity's tenant, written to the `azure.workload.identity/tenant-id` annotation. Default: not set (the webhook uses the cluster's tenant). */
  tenantId?: pulumi.Input<string>;
  /** Lifetime of the projected ServiceAccount token in seconds (3600-86400). Default: the webhook's (3600). */
  serviceAccountTokenExpirationSeconds?: number;
  /** Container image, pinned by tag or digest. */
  image: string;
  /** Pod replicas. Default 1. */
  replicas?: number;
  /** Container port; when set, a ClusterIP Service exposes it. Default: none. */
  port?: number;
  /** Requests. Default 100m CPU, 128Mi memory. */
  requests?: ResourceQuantities;
  /** Limits. Default 500m CPU, 512Mi memory. */
  limits?: ResourceQuantities;
  /** Plain environment variables (never credentials). Default none. */
  env?: Record<string, pulumi.Input<string>>;
  /** The non-root user id the container runs as. Default 65532. */
  runAsUser?: number;
  /**
   * Agents (by name, i.e. their `app.kubernetes.io/name` label) whose pods may reach this agent's port.
   * With a port, a NetworkPolicy admits exactly these and nothing else. Default none.
   */
  allowedCallers?: string[];
  /**
   * The agent's federated identity credentials: the Deployment waits for them, so no pod asks for a
   * token before the federation exists (AADSTS70021). Default none.
   */
  federatedCredentials?: managedidentity.FederatedIdentityCredential[];
  /**
   * The grants that let the cluster pull the image (the kubelet identity's `AcrPull` on its registry,
   * `AgentCluster.acrPullAssignments`): the Deployment waits for them so its first rollout does not start
   * in ImagePullBackOff. Default none.
   */
  imagePullGrants?: authorization.RoleAssignment[];
}

/** Refuses an unpinned image, a privileged port or a credential in the environment, before anything is registered. */
function validateWorkloadArgs(name: string, args: AgentWorkloadArgs): void {
  const ref = parseImageReference(args.image);
  if (!ref || (!ref.digest && (ref.tag === undefined || ref.tag === "latest"))) {
    throw new ComponentArgsError("AgentWorkload", name, "image", `image ${JSON.stringify(args.image)} is not pinned. Fix: use a version tag or a digest, e.g. "registry/agent:1.0.0".`);
  }
  if (args.port !== undefined && !(Number.isInteger(args.port) && args.port >= 1024 && args.port <= 65535)) {
    throw new ComponentArgsError("AgentWorkload", name, "port", `port ${args.port} is outside 1024-65535 (the container runs as non-root without capabilities). Fix: use a port from 1024 to 65535.`);
  }
  for (const [key, value] of Object.entries(args.env ?? {})) {
    if (isCredentialLikeEnvName(key) || (typeof value === "string" && isCredentialLikeEnvValue(value))) {
      throw new ComponentArgsError("AgentWorkload", name, `env.${key}`, `env ${key} looks like a credential. Fix: remove it; the agent authenticates with its workload identity.`);
    }
  }
}

/** Labels Kubernetes tooling recognises, shared by every object of the agent. */
export function agentLabels(agent: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": agent,
    "app.kubernetes.io/component": "agent",
    "app.kubernetes.io/part-of": "agent-identity",
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** The annotations that bind a ServiceAccount to a managed identity. */
function serviceAccountAnnotations(args: AgentWorkloadArgs): Record<string, pulumi.Input<string>> {
  const annotations: Record<string, pulumi.Input<string>> = { "azure.workload.identity/client-id": args.clientId };
  if (args.tenantId !== undefined) {
    annotations["azure.workload.identity/tenant-id"] = args.tenantId;
  }
  if (args.serviceAccountTokenExpirationSeconds !== undefined) {
    annotations["azure.workload.identity/service-account-token-expiration"] = String(args.serviceAccountTokenExpirationSeconds);
  }
  return annotations;
}

/** The pod of the agent: non-root, read-only root filesystem, no capabilities, the env sorted by name. */
function podSpec(args: AgentWorkloadArgs, serviceAccountName: pulumi.Input<string>): k8s.types.input.core.v1.PodSpec {
  const runAsUser = args.runAsUser ?? 65532;
  const env = Object.keys(args.env ?? {})
    .sort()
    .map((key) => ({ name: key, value: (args.env ?? {})[key] }));
  return {
    serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser, runAsGroup: runAsUser, fsGroup: runAsUser, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: "agent",
        image: args.image,
        ports: args.port !== undefined ? [{ name: "http", containerPort: args.port, protocol: "TCP" }] : undefined,
        env: env.length > 0 ? env : undefined,
        resources: {
          requests: { ...(args.requests ?? { cpu: "100m", memory: "128Mi" }) },
          limits: { ...(args.limits ?? { cpu: "500m", memory: "512Mi" }) },
        },
        securityContext: {
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          privileged: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        },
        // A read-only root filesystem still needs somewhere to write temporary files.
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      },
    ],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
  };
}

/** Admits only the callers' pods, on the agent's port; with no callers, no rule, so nothing may connect. */
function ingressPolicySpec(selector: Record<string, string>, allowedCallers: string[], port: number): k8s.types.input.networking.v1.NetworkPolicySpec {
  const callers = [...allowedCallers].sort();
  return {
    podSelector: { matchLabels: selector },
    policyTypes: ["Ingress"],
    ingress:
      callers.length === 0
        ? []
        : [{ from: [{ podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: callers }] } }], ports: [{ port, protocol: "TCP" }] }],
  };
}

/** A ClusterIP Service in front of the agent's `http` container port. */
function serviceArgs(agent: string, namespace: pulumi.Input<string>, labels: Record<string, string>, selector: Record<string, string>, port: number): k8s.core.v1.ServiceArgs {
  return {
    metadata: { name: agent, namespace, labels },
    spec: { type: "ClusterIP", selector, ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }] },
  };
}

/** The agent's ServiceAccount, Deployment and (with a port) Service. */
export class AgentWorkload extends pulumi.ComponentResource {
  /** The ServiceAccount bound to the identity. */
  public readonly serviceAccount: k8s.core.v1.ServiceAccount;
  /** The agent's Deployment. */
  public readonly deployment: k8s.apps.v1.Deployment;
  /** The Service in front of the agent, when it has a port. */
  public readonly service: k8s.core.v1.Service | undefined;
  /** The ServiceAccount's name. */
  public readonly serviceAccountName: pulumi.Output<string>;
  /** The ingress policy admitting the callers, when the agent has a port. */
  public readonly ingressPolicy: k8s.networking.v1.NetworkPolicy | undefined;

  constructor(name: string, args: AgentWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    validateWorkloadArgs(name, args);
    super("agent-identity:index:AgentWorkload", name, {}, opts);
    const agent = args.agentName ?? name;
    const labels = agentLabels(agent);
    const selector = { "app.kubernetes.io/name": agent };
    const saName = args.serviceAccountName ?? agent;

    this.serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      {
        metadata: { name: saName, namespace: args.namespace, labels, annotations: serviceAccountAnnotations(args) },
        // The Kubernetes API token is not needed: the webhook projects its own token for Entra ID.
        automountServiceAccountToken: false,
      },
      { parent: this },
    );

    // One Output for the name (each read of a lifted property makes a new one): the pods and the component's output.
    this.serviceAccountName = this.serviceAccount.metadata.name;

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: agent, namespace: args.namespace, labels },
        spec: {
          replicas: args.replicas ?? 1,
          selector: { matchLabels: selector },
          template: { metadata: { labels: { ...labels, "azure.workload.identity/use": "true" } }, spec: podSpec(args, this.serviceAccountName) },
        },
      },
      { parent: this, dependsOn: [...(args.federatedCredentials ?? []), ...(args.imagePullGrants ?? [])] },
    );

    this.service = args.port === undefined ? undefined : new k8s.core.v1.Service(`${name}-service`, serviceArgs(agent, args.namespace, labels, selector, args.port), { parent: this });

    this.ingressPolicy =
      args.port === undefined
        ? undefined
        : new k8s.networking.v1.NetworkPolicy(
            `${name}-ingress`,
            { metadata: { name: `${agent}-ingress`, namespace: args.namespace, labels }, spec: ingressPolicySpec(selector, args.allowedCallers ?? [], args.port) },
            { parent: this },
          );

    this.registerOutputs({
      ingressPolicy: this.ingressPolicy,
      serviceAccount: this.serviceAccount,
      deployment: this.deployment,
      service: this.service,
      serviceAccountName: this.serviceAccountName,
    });
  }
}
