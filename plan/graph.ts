/**
 * Read-only queries over a plan's resources: by type, by parent, by URN. Shared by the renderers and
 * the tests so both read the graph the same way.
 */
import type { PlannedResource } from "./evaluate";

/** Index of a plan's resources: each query costs the size of its answer, not of the plan. */
export class PlanGraph {
  private readonly byUrn = new Map<string, PlannedResource>();
  private readonly byType = new Map<string, PlannedResource[]>();
  private readonly byParent = new Map<string, PlannedResource[]>();
  private readonly byTypeAndName = new Map<string, PlannedResource>();

  constructor(readonly resources: PlannedResource[]) {
    // One pass in plan order, so every list below keeps the plan's order.
    for (const r of resources) {
      this.byUrn.set(r.urn, r);
      append(this.byType, r.type, r);
      if (r.parent !== null) append(this.byParent, r.parent, r);
      const key = typeAndName(r.type, r.name);
      if (!this.byTypeAndName.has(key)) this.byTypeAndName.set(key, r);
    }
  }

  /** The resource with this URN, if any. */
  get(urn: string | null | undefined): PlannedResource | undefined {
    return urn ? this.byUrn.get(urn) : undefined;
  }

  /** Every resource of a type token, in plan order. */
  ofType(type: string): PlannedResource[] {
    return [...(this.byType.get(type) ?? [])];
  }

  /** The first resource (in plan order) of a type with a logical name, if any. */
  named(type: string, name: string): PlannedResource | undefined {
    return this.byTypeAndName.get(typeAndName(type, name));
  }

  /** The one resource of a type with a logical name; throws when absent. */
  one(type: string, name: string): PlannedResource {
    const found = this.named(type, name);
    if (!found) {
      throw new Error(`The plan has no ${type} named ${name}.`);
    }
    return found;
  }

  /** Direct children of a resource, in plan order. */
  childrenOf(urn: string): PlannedResource[] {
    return [...(this.byParent.get(urn) ?? [])];
  }

  /** True when some resource has this parent. */
  hasChildren(urn: string): boolean {
    return this.byParent.has(urn);
  }

  /** All descendants of a resource. */
  descendantsOf(urn: string): PlannedResource[] {
    const out: PlannedResource[] = [];
    const visit = (u: string) => {
      for (const child of this.childrenOf(u)) {
        out.push(child);
        visit(child.urn);
      }
    };
    visit(urn);
    return out;
  }

  /**
   * The longest chain of dependencies, as URNs from first to last: the depth of the graph the engine
   * has to walk in order. A resource waits for its `dependsOn` and for its explicit provider.
   */
  longestDependencyChain(): string[] {
    const memo = new Map<string, string[]>();
    const chainTo = (urn: string, visiting: Set<string>): string[] => {
      const cached = memo.get(urn);
      if (cached) {
        return cached;
      }
      if (visiting.has(urn)) {
        throw new Error(`Dependency cycle through ${urn}`);
      }
      visiting.add(urn);
      let best: string[] = [];
      const resource = this.get(urn);
      const waitsFor = [...(resource?.dependsOn ?? []), ...(resource?.provider ? [resource.provider] : [])];
      for (const dep of waitsFor) {
        const chain = chainTo(dep, visiting);
        if (chain.length > best.length) {
          best = chain;
        }
      }
      visiting.delete(urn);
      const result = [...best, urn];
      memo.set(urn, result);
      return result;
    };
    let longest: string[] = [];
    for (const r of this.resources) {
      const chain = chainTo(r.urn, new Set());
      if (chain.length > longest.length) {
        longest = chain;
      }
    }
    return longest;
  }
}

function append(index: Map<string, PlannedResource[]>, key: string, r: PlannedResource): void {
  const list = index.get(key);
  if (list) list.push(r);
  else index.set(key, [r]);
}

function typeAndName(type: string, name: string): string {
  // A NUL occurs in neither a type token nor a logical name.
  return `${type}\u0000${name}`;
}

/** Reads a nested input by dotted path (`spec.template.metadata.labels`). */
export function inputAt(resource: PlannedResource, dottedPath: string): unknown {
  let value: unknown = resource.inputs;
  for (const part of dottedPath.split(".")) {
    if (value === null || typeof value !== "object") {
      return undefined;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
