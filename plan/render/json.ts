/**
 * The plan's JSON contract: `{project, stack, resources: [{urn, type, name, parent, provider, dependsOn,
 * inputs, options}]}`. CI, reviewers' tools and the tests read it; fields may be added, never changed or removed.
 */
import type { Plan } from "../evaluate";

/** Renders exactly one JSON document (with a trailing newline). */
export function renderJson(plan: Plan): string {
  const document = {
    project: plan.project,
    stack: plan.stack,
    resources: plan.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      provider: r.provider,
      dependsOn: r.dependsOn,
      inputs: r.inputs,
      options: r.options,
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
