/**
 * The one pod-spec reader: where each workload kind keeps its pods' labels and spec, for every
 * policy that looks at pods (workload identity, pinned images, stored credentials).
 */

/** Where a workload kind keeps its pod template. */
interface WorkloadKind {
  /** API group as Pulumi writes it in type tokens (`core` for the core group). */
  groups: readonly string[];
  /** The kind. */
  kind: string;
  /** Property path from the resource to the pod template (`[]`: the resource is the pod). */
  template: readonly string[];
}

// Deprecated group versions (extensions/v1beta1, apps/v1beta2, batch/v1beta1, ...) still have Pulumi
// types, so the group and kind decide, not the version.
const KINDS: readonly WorkloadKind[] = [
  { groups: ["core"], kind: "Pod", template: [] },
  { groups: ["core"], kind: "PodTemplate", template: ["template"] },
  { groups: ["core"], kind: "ReplicationController", template: ["spec", "template"] },
  { groups: ["apps", "extensions"], kind: "Deployment", template: ["spec", "template"] },
  { groups: ["apps", "extensions"], kind: "ReplicaSet", template: ["spec", "template"] },
  { groups: ["apps", "extensions"], kind: "DaemonSet", template: ["spec", "template"] },
  { groups: ["apps"], kind: "StatefulSet", template: ["spec", "template"] },
  { groups: ["batch"], kind: "Job", template: ["spec", "template"] },
  { groups: ["batch"], kind: "CronJob", template: ["spec", "jobTemplate", "spec", "template"] },
];

const KUBERNETES_TOKEN = /^kubernetes:([A-Za-z0-9.-]+)\/[A-Za-z0-9]+:([A-Za-z]+)$/;

/** A workload's pods as the policies see them. */
export interface PodTemplate {
  /** The workload kind (`Deployment`, `CronJob`, ...). */
  kind: string;
  /** True for a `*Patch` resource: fields it does not set are left as they are in the cluster. */
  patch: boolean;
  /** The workload's namespace (`default` when unset). */
  namespace: string;
  /** The pod template's metadata (a Pod's own metadata). */
  metadata: Record<string, any> | undefined;
  /** The pod spec, when present. */
  spec: Record<string, any> | undefined;
}

/** The workload kind of a type token, with whether it is a patch, or undefined for non-workloads. */
export function workloadKindOf(type: string): { kind: string; patch: boolean; template: readonly string[] } | undefined {
  const match = KUBERNETES_TOKEN.exec(type);
  if (!match) {
    return undefined;
  }
  const [, group, name] = match;
  const patch = name.endsWith("Patch");
  const kindName = patch ? name.slice(0, -"Patch".length) : name;
  const kind = KINDS.find((k) => k.kind === kindName && k.groups.includes(group));
  return kind ? { kind: kind.kind, patch, template: kind.template } : undefined;
}

/** True when a type token is a workload kind whose pods the policies check. */
export function isWorkload(type: string): boolean {
  return workloadKindOf(type) !== undefined;
}

/** Reads a workload's pod template, or undefined when `type` is not a workload kind. */
export function podTemplateOf(type: string, props: Record<string, any>): PodTemplate | undefined {
  const kind = workloadKindOf(type);
  if (!kind) {
    return undefined;
  }
  let template: any = props;
  for (const key of kind.template) {
    template = template?.[key];
  }
  return {
    kind: kind.kind,
    patch: kind.patch,
    namespace: String(props?.metadata?.namespace ?? "default"),
    metadata: template?.metadata,
    spec: template?.spec,
  };
}

/** Every container of a pod spec: init, regular and ephemeral. */
export function podContainers(spec: Record<string, any> | undefined): Array<Record<string, any>> {
  if (!spec) {
    return [];
  }
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}
