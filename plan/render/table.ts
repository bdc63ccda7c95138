/**
 * The human summary of a plan: the cluster's identity settings, then one block per agent with its
 * identity, federation and workload, read from the registered resources (not from config).
 */
import type { Plan } from "../evaluate";
import { PlanGraph, inputAt } from "../graph";

const T = {
  cluster: "azure-native:containerservice:ManagedCluster",
  identityComponent: "agent-identity:index:AgentIdentity",
  workloadComponent: "agent-identity:index:AgentWorkload",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  credential: "azure-native:managedidentity:FederatedIdentityCredential",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  deployment: "kubernetes:apps/v1:Deployment",
  service: "kubernetes:core/v1:Service",
  namespace: "kubernetes:core/v1:Namespace",
  secret: "kubernetes:core/v1:Secret",
};

function onOff(value: unknown): string {
  return value === true ? "on" : value === false ? "off" : String(value ?? "-");
}

/** Renders a table of columns padded to their widest cell. */
export function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

/** Renders the plan as plain text. */
export function renderTable(plan: Plan): string {
  const g = new PlanGraph(plan.resources);
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const r of plan.resources) {
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  }
  lines.push(`Stack ${plan.stack} (project ${plan.project}): ${plan.resources.length} resources registered offline`);
  lines.push("");

  for (const cluster of g.ofType(T.cluster)) {
    lines.push(`Cluster ${String(inputAt(cluster, "resourceName"))} (${String(inputAt(cluster, "location"))}, tier ${String(inputAt(cluster, "sku.tier"))})`);
    lines.push(
      columns([
        ["  OIDC issuer", onOff(inputAt(cluster, "oidcIssuerProfile.enabled"))],
        ["  workload identity", onOff(inputAt(cluster, "securityProfile.workloadIdentity.enabled"))],
        ["  local accounts disabled", onOff(inputAt(cluster, "disableLocalAccounts"))],
        ["  Entra ID + Azure RBAC", `${onOff(inputAt(cluster, "aadProfile.managed"))} / ${onOff(inputAt(cluster, "aadProfile.enableAzureRBAC"))}`],
        ["  auto-upgrade", `${String(inputAt(cluster, "autoUpgradeProfile.upgradeChannel"))}, node OS ${String(inputAt(cluster, "autoUpgradeProfile.nodeOSUpgradeChannel"))}`],
        ["  network policy", String(inputAt(cluster, "networkProfile.networkPolicy"))],
        ["  Azure Policy add-on", onOff(inputAt(cluster, "addonProfiles.azurepolicy.enabled"))],
        ["  image cleaner", onOff(inputAt(cluster, "securityProfile.imageCleaner.enabled"))],
      ]),
    );
    lines.push("");
  }
  for (const ns of g.ofType(T.namespace)) {
    lines.push(`Namespace ${String(inputAt(ns, "metadata.name"))}: pod security ${String(inputAt(ns, "metadata.labels.pod-security.kubernetes.io/enforce") ?? (inputAt(ns, "metadata.labels") as Record<string, string> | undefined)?.["pod-security.kubernetes.io/enforce"])}`);
  }
  lines.push("");

  const rows: string[][] = [["AGENT", "IDENTITY", "CLIENT ID", "FEDERATED SUBJECTS", "SERVICE ACCOUNT", "REPLICAS", "IMAGE", "PORT"]];
  const issuers = new Set<string>();
  for (const component of g.ofType(T.identityComponent)) {
    const agent = component.name;
    const children = g.childrenOf(component.urn);
    const identity = children.find((c) => c.type === T.identity);
    const credentials = children.filter((c) => c.type === T.credential);
    credentials.forEach((c) => issuers.add(String(inputAt(c, "issuer"))));
    const workload = g.ofType(T.workloadComponent).find((w) => w.name === agent);
    const workloadChildren = workload ? g.childrenOf(workload.urn) : [];
    const sa = workloadChildren.find((c) => c.type === T.serviceAccount);
    const deployment = workloadChildren.find((c) => c.type === T.deployment);
    const annotations = (inputAt(sa ?? component, "metadata.annotations") ?? {}) as Record<string, unknown>;
    rows.push([
      agent,
      String(identity ? inputAt(identity, "resourceName") : "-"),
      String(annotations["azure.workload.identity/client-id"] ?? "-"),
      credentials.map((c) => String(inputAt(c, "subject"))).join(", "),
      sa ? `${String(inputAt(sa, "metadata.namespace"))}/${String(inputAt(sa, "metadata.name"))}` : "-",
      String(deployment ? inputAt(deployment, "spec.replicas") : "-"),
      String(deployment ? ((inputAt(deployment, "spec.template.spec.containers") as Array<{ image?: string }> | undefined)?.[0]?.image ?? "-") : "-"),
      String(deployment ? ((inputAt(deployment, "spec.template.spec.containers") as Array<{ ports?: Array<{ containerPort?: number }> }> | undefined)?.[0]?.ports?.[0]?.containerPort ?? "-") : "-"),
    ]);
  }
  lines.push("Agents");
  lines.push(columns(rows));
  lines.push("");
  lines.push(`Federated credential issuer(s): ${[...issuers].join(", ") || "-"}`);
  lines.push(`Kubernetes Secrets: ${counts.get(T.secret) ?? 0}`);
  lines.push("");
  lines.push("Resources by type");
  lines.push(columns([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => [`  ${type}`, String(n)])));
  return `${lines.join("\n")}\n`;
}
