/**
 * Read-only queries over a plan's resources: by type, by parent, by URN. Shared by the renderers and
 * the tests so both read the graph the same way.
 */
import type { PlannedResource } from "./evaluate";

/** Index of a plan's resources. */
export class PlanGraph {
  private readonly byUrn = new Map<string, PlannedResource>();

  constructor(readonly resources: PlannedResource[]) {
    for (const r of resources) {
      this.byUrn.set(r.urn, r);
    }
  }

  /** The resource with this URN, if any. */
  get(urn: string | null | undefined): PlannedResource | undefined {
    return urn ? this.byUrn.get(urn) : undefined;
  }

  /** Every resource of a type token. */
  ofType(type: string): PlannedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of a type with a logical name; throws when absent. */
  one(type: string, name: string): PlannedResource {
    const found = this.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
      throw new Error(`The plan has no ${type} named ${name}.`);
    }
    return found;
  }

  /** Direct children of a resource. */
  childrenOf(urn: string): PlannedResource[] {
    return this.resources.filter((r) => r.parent === urn);
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
