/**
 * AgentNamespace: the namespace agents run in, with Pod Security Admission enforcing the
 * `restricted` profile so no pod in it can run privileged, as root or with added capabilities.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ComponentArgsError } from "../rules/componentArgsError";
import { KUBERNETES_NAMESPACE } from "../rules/formats";

/** Arguments of {@link AgentNamespace}. */
export interface AgentNamespaceArgs {
  /** The namespace name. Default: the component name. */
  namespaceName?: string;
  /** Extra labels. Default none. */
  labels?: Record<string, string>;
  /**
   * Deny all ingress to the namespace's pods unless another NetworkPolicy admits it (each agent's
   * workload admits only its callers). Egress, DNS included, is left open. Default true.
   */
  defaultDenyIngress?: boolean;
}

/** The Pod Security Admission labels of the `restricted` profile, enforced, audited and warned. */
export const RESTRICTED_POD_SECURITY_LABELS: Readonly<Record<string, string>> = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/audit-version": "latest",
  "pod-security.kubernetes.io/warn": "restricted",
  "pod-security.kubernetes.io/warn-version": "latest",
};

/** A namespace for agent workloads under the `restricted` Pod Security Standard. */
export class AgentNamespace extends pulumi.ComponentResource {
  /** The namespace's name, resolved once the namespace exists. */
  public readonly namespaceName: pulumi.Output<string>;
  /** The namespace resource. */
  public readonly namespace: k8s.core.v1.Namespace;
  /** The default-deny ingress policy, unless turned off. */
  public readonly defaultDenyIngress: k8s.networking.v1.NetworkPolicy | undefined;

  constructor(name: string, args: AgentNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    const namespaceName = args.namespaceName ?? name;
    if (!KUBERNETES_NAMESPACE.test(namespaceName)) {
      throw new ComponentArgsError(
        "AgentNamespace",
        name,
        args.namespaceName === undefined ? "name" : "namespaceName",
        `namespace name ${JSON.stringify(namespaceName)} is not a DNS-1123 label. Fix: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit.`,
      );
    }
    super("agent-identity:index:AgentNamespace", name, {}, opts);
    this.namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: namespaceName,
          labels: { ...args.labels, ...RESTRICTED_POD_SECURITY_LABELS, "app.kubernetes.io/managed-by": "pulumi" },
        },
      },
      { parent: this },
    );
    this.namespaceName = this.namespace.metadata.name;
    this.defaultDenyIngress =
      args.defaultDenyIngress === false
        ? undefined
        : new k8s.networking.v1.NetworkPolicy(
            `${name}-default-deny-ingress`,
            {
              metadata: { name: "default-deny-ingress", namespace: this.namespaceName, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
              spec: { podSelector: {}, policyTypes: ["Ingress"] },
            },
            { parent: this },
          );
    this.registerOutputs({ namespaceName: this.namespaceName, namespace: this.namespace, defaultDenyIngress: this.defaultDenyIngress });
  }
}
