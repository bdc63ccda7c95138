/**
 * The plan as a Mermaid flowchart: one box per component, the resources inside it, and an arrow
 * from each resource to what it waits for.
 */
import type { Plan, PlannedResource } from "../evaluate";
import { PlanGraph } from "../graph";

function label(r: PlannedResource): string {
  const kind = r.type.split(":").pop() ?? r.type;
  return `${r.name}<br/><small>${kind}</small>`.replace(/"/g, "'");
}

/** Renders a `flowchart LR` document. */
export function renderMermaid(plan: Plan): string {
  const g = new PlanGraph(plan.resources);
  const ids = new Map<string, string>();
  plan.resources.forEach((r, i) => ids.set(r.urn, `r${i}`));
  const isComponent = (r: PlannedResource) => g.hasChildren(r.urn) || !r.type.includes(":") || r.type.startsWith("agent-identity:");
  const lines = ["flowchart LR"];

  const emit = (r: PlannedResource, indent: string) => {
    if (r.type === "pulumi:pulumi:Stack") {
      g.childrenOf(r.urn).forEach((c) => emit(c, indent));
      return;
    }
    if (isComponent(r)) {
      lines.push(`${indent}subgraph ${ids.get(r.urn)}["${label(r)}"]`);
      g.childrenOf(r.urn).forEach((c) => emit(c, `${indent}  `));
      lines.push(`${indent}end`);
    } else {
      lines.push(`${indent}${ids.get(r.urn)}["${label(r)}"]`);
    }
  };
  plan.resources.filter((r) => r.parent === null).forEach((r) => emit(r, "  "));

  for (const r of plan.resources) {
    if (isComponent(r)) {
      continue;
    }
    for (const dep of r.dependsOn) {
      const target = g.get(dep);
      if (target && !isComponent(target)) {
        lines.push(`  ${ids.get(r.urn)} --> ${ids.get(dep)}`);
      }
    }
  }
  // The call graph, between the agents' Deployments: granted app role and admitted by the network.
  for (const grant of g.ofType("azuread:index/appRoleAssignment:AppRoleAssignment")) {
    const callee = g.get(grant.parent)?.name;
    const caller = /^<(.+)-identity\.principalId>$/.exec(String(grant.inputs.principalObjectId))?.[1];
    const from = g.named("kubernetes:apps/v1:Deployment", `${caller}-deployment`);
    const to = g.named("kubernetes:apps/v1:Deployment", `${callee}-deployment`);
    if (from && to) {
      lines.push(`  ${ids.get(from.urn)} -. calls .-> ${ids.get(to.urn)}`);
    }
  }
  // The audit workspace stands out: every diagnostic setting and alert rule points at it.
  const workspaces = plan.resources.filter((r) => r.type === "azure-native:operationalinsights:Workspace");
  if (workspaces.length > 0) {
    lines.push("  classDef audit fill:#fff3cd,stroke:#b8860b,stroke-width:2px");
    lines.push(`  class ${workspaces.map((w) => ids.get(w.urn)).join(",")} audit`);
  }
  return `${lines.join("\n")}\n`;
}
