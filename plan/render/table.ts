/**
 * The human summary of a plan: the cluster's identity settings, then one block per agent with its
 * identity, federation and workload, read from the registered resources (not from config).
 */
import type { Plan } from "../evaluate";
import { PlanGraph, inputAt } from "../graph";
import { BUILT_IN_ROLES } from "../../rules/builtInRoles";
import { lastSegment } from "../../rules/naming";
import { auditSection } from "./auditSection";

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
  jitComponent: "agent-identity:index:JitAccess",
  policy: "azure-native:authorization:RoleManagementPolicy",
  eligibility: "azure-native:authorization:PimRoleEligibilitySchedule",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
};

/** The inputs of one inline node pool of a cluster. */
interface NodePoolInputs {
  name: string;
  mode: string;
  vmSize: string;
  minCount: number;
  maxCount: number;
  availabilityZones?: string[];
}

/** "User, 1-2 x Standard_D2ds_v5, zones 1" */
function describePool(pool: NodePoolInputs): string {
  return `${pool.mode}, ${pool.minCount}-${pool.maxCount} x ${pool.vmSize}, zones ${(pool.availabilityZones ?? []).join(",") || "none"}`;
}

interface PolicyRule {
  id?: string;
  maximumDuration?: string;
  enabledRules?: string[];
  isEnabled?: boolean;
  setting?: { isApprovalRequired?: boolean; approvalStages?: Array<{ primaryApprovers?: Array<{ id?: string; userType?: string; description?: string }> }> };
}

/** The agent an identity output placeholder (`<agent-identity.principalId>`) belongs to. */
function agentOfPrincipal(g: PlanGraph, principal: unknown): string {
  const match = /^<(.+)-identity\.principalId>$/.exec(String(principal));
  const identity = match ? g.ofType(T.identityComponent).find((c) => c.name === match[1]) : undefined;
  return identity ? localName(g, identity) : match ? match[1] : String(principal);
}

/** A child's name without its parent component's name in front (`platform-scanner` in `platform`: `scanner`). */
function localName(g: PlanGraph, r: { name: string; parent: string | null }): string {
  const parent = g.get(r.parent);
  return parent && parent.type !== "pulumi:pulumi:Stack" && r.name.startsWith(`${parent.name}-`) ? r.name.slice(parent.name.length + 1) : r.name;
}

/** Role display names by role definition GUID, from the plan's custom roles. */
function customRoleNames(g: PlanGraph): Map<string, string> {
  return new Map(g.ofType(T.roleDefinition).map((r) => [String(inputAt(r, "roleDefinitionId")).toLowerCase(), String(inputAt(r, "roleName"))]));
}

function roleLabel(roleDefinitionId: unknown, custom: Map<string, string>): string {
  const guid = lastSegment(String(roleDefinitionId)).toLowerCase();
  return custom.get(guid) ?? Object.entries(BUILT_IN_ROLES).find(([, id]) => id === guid)?.[0] ?? guid;
}

/** The call graph: who may call whom, as identity (app role grant) and network (ingress policy) see it. */
function callSection(g: PlanGraph): string[] {
  const rows: string[][] = [["CALLER", "CALLEE", "APP ROLE GRANT", "NETWORK POLICY ADMITS CALLER"]];
  for (const api of g.ofType("agent-identity:index:AgentApi")) {
    const callee = localName(g, api);
    const policy = g.named("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${api.name}-ingress`);
    const admitted = new Set(
      ((inputAt(policy ?? api, "spec.ingress") ?? []) as Array<{ from?: Array<{ podSelector?: { matchExpressions?: Array<{ values?: string[] }> } }> }>).flatMap((rule) =>
        (rule.from ?? []).flatMap((f) => (f.podSelector?.matchExpressions ?? []).flatMap((e) => e.values ?? [])),
      ),
    );
    for (const grant of g.childrenOf(api.urn).filter((c) => c.type === "azuread:index/appRoleAssignment:AppRoleAssignment")) {
      const caller = agentOfPrincipal(g, inputAt(grant, "principalObjectId"));
      rows.push([caller, callee, "Agent.Invoke", admitted.has(caller) ? "yes" : "NO"]);
    }
  }
  return ["Calls between agents (Entra app role + NetworkPolicy; everything else is denied)", rows.length > 1 ? columns(rows) : "  none"];
}

/** The just-in-time section: per eligibility, what, where, for how long, approved by whom. */
function jitSection(g: PlanGraph): string[] {
  const custom = customRoleNames(g);
  const rows: string[][] = [["AGENT", "ELIGIBLE FOR", "SCOPE", "MAX ACTIVATION", "APPROVAL BY", "JUSTIFICATION", "MFA"]];
  for (const component of g.ofType(T.jitComponent)) {
    const children = g.childrenOf(component.urn);
    const policy = children.find((c) => c.type === T.policy);
    const rules = ((policy ? inputAt(policy, "rules") : []) ?? []) as PolicyRule[];
    const expiration = rules.find((r) => r.id === "Expiration_EndUser_Assignment");
    const approval = rules.find((r) => r.id === "Approval_EndUser_Assignment");
    const enablement = rules.find((r) => r.id === "Enablement_EndUser_Assignment");
    const approvers = approval?.setting?.isApprovalRequired
      ? (approval.setting.approvalStages ?? []).flatMap((s) => s.primaryApprovers ?? []).map((a) => `${a.userType} ${a.description ?? a.id}`).join(", ")
      : "NOT REQUIRED";
    const mfa = enablement?.enabledRules?.includes("MultiFactorAuthentication") ? "required" : "not required";
    for (const eligibility of children.filter((c) => c.type === T.eligibility)) {
      rows.push([
        agentOfPrincipal(g, inputAt(eligibility, "principalId")),
        roleLabel(inputAt(eligibility, "roleDefinitionId"), custom),
        String(inputAt(eligibility, "scope")),
        String(expiration?.maximumDuration ?? "-"),
        approvers,
        (enablement?.enabledRules ?? []).includes("Justification") ? "required" : "not required",
        mfa,
      ]);
    }
  }
  const standing: string[][] = [["AGENT", "STANDING ROLE", "SCOPE"]];
  for (const grant of g.ofType(T.roleAssignment).filter((r) => String(inputAt(r, "principalType")) === "ServicePrincipal")) {
    standing.push([agentOfPrincipal(g, inputAt(grant, "principalId")), roleLabel(inputAt(grant, "roleDefinitionId"), custom), String(inputAt(grant, "scope"))]);
  }
  return [
    "Just-in-time access (PIM: eligible only, activated with approval)",
    rows.length > 1 ? columns(rows) : "  none",
    "",
    "Standing role assignments (least privilege, never a sensitive role)",
    standing.length > 1 ? columns(standing) : "  none",
  ];
}

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
        ...((inputAt(cluster, "agentPoolProfiles") ?? []) as NodePoolInputs[]).map((pool): [string, string] => [`  node pool ${pool.name}`, describePool(pool)]),
      ]),
    );
    lines.push("");
  }
  for (const ns of g.ofType(T.namespace)) {
    const labels = (inputAt(ns, "metadata.labels") ?? {}) as Record<string, string>;
    lines.push(`Namespace ${String(inputAt(ns, "metadata.name"))}: pod security ${labels["pod-security.kubernetes.io/enforce"] ?? "not enforced"}`);
  }
  lines.push("");

  const rows: string[][] = [["AGENT", "IDENTITY", "CLIENT ID", "FEDERATED SUBJECTS", "SERVICE ACCOUNT", "REPLICAS", "IMAGE", "PORT"]];
  const issuers = new Set<string>();
  for (const component of g.ofType(T.identityComponent)) {
    const agent = localName(g, component);
    const children = g.childrenOf(component.urn);
    const identity = children.find((c) => c.type === T.identity);
    const credentials = children.filter((c) => c.type === T.credential);
    credentials.forEach((c) => issuers.add(String(inputAt(c, "issuer"))));
    const workload = g.named(T.workloadComponent, component.name);
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
  lines.push(...callSection(g));
  lines.push("");
  lines.push(...jitSection(g));
  lines.push("");
  lines.push(...auditSection(g, columns));
  lines.push("");
  lines.push(`Federated credential issuer(s): ${[...issuers].join(", ") || "-"}`);
  lines.push(`Kubernetes Secrets: ${counts.get(T.secret) ?? 0}`);
  lines.push("");
  lines.push("Resources by type");
  lines.push(columns([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => [`  ${type}`, String(n)])));
  return `${lines.join("\n")}\n`;
}
