/**
 * The same-inputs replay: a program that registers exactly the resources of a plan (same types, names,
 * parent tree and providers) with the inputs the plan recorded, as literals. Placeholders such as
 * `<platform-a-identity.clientId>` stay strings, so nothing waits for another resource and no project
 * code runs. Against the same-types floor (bench/floorProgram.ts, bare inputs) it shows what the content
 * of the inputs costs; against the project it shows what the project's own code and wiring cost.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as azuread from "@pulumi/azuread";
import type { Plan, PlannedResource } from "../plan/evaluate";

type Constructor = new (name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions) => pulumi.Resource;

const STACK_TYPE = "pulumi:pulumi:Stack";

/** The provider SDK's class for a type token of the plan. */
export function resourceClass(type: string): Constructor {
  const [pkg, module, kind] = type.split(":");
  let found: unknown;
  if (type === "pulumi:providers:kubernetes") {
    found = k8s.Provider;
  } else if (pkg === "azure-native") {
    found = (require(`@pulumi/azure-native/${module}`) as Record<string, unknown>)[kind];
  } else if (pkg === "azuread") {
    found = (azuread as unknown as Record<string, unknown>)[kind];
  } else if (pkg === "kubernetes") {
    const [group, version] = module.split("/");
    const groupModule = (k8s as unknown as Record<string, Record<string, Record<string, unknown>>>)[group.split(".")[0]];
    found = groupModule?.[version]?.[kind];
  }
  if (typeof found !== "function") {
    throw new Error(`No class for ${type} in the replay; add it to bench/replayProgram.ts.`);
  }
  return found as Constructor;
}

/**
 * A provider's recorded inputs as its constructor takes them: provider SDKs send every non-string input
 * JSON-encoded (`enableServerSideApply: "true"`), so those are decoded once more.
 */
function providerArgs(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(inputs).map(([key, value]) => {
      if (typeof value !== "string") return [key, value];
      try {
        const decoded: unknown = JSON.parse(value);
        return [key, typeof decoded === "string" ? value : decoded];
      } catch {
        return [key, value];
      }
    }),
  );
}

/**
 * The program that registers every resource of `plan` again with its recorded inputs, each after its
 * parent and its provider, otherwise in plan order.
 */
export function replayProgram(plan: Pick<Plan, "resources">): () => Record<string, never> {
  return () => {
    const root = plan.resources.find((r) => r.type === STACK_TYPE)?.urn ?? null;
    const created = new Map<string, pulumi.Resource>();
    let pending = plan.resources.filter((r) => r.type !== STACK_TYPE);
    while (pending.length > 0) {
      const waiting: PlannedResource[] = [];
      for (const r of pending) {
        const parentReady = r.parent === null || r.parent === root || created.has(r.parent);
        const providerReady = r.provider === null || created.has(r.provider);
        if (!parentReady || !providerReady) {
          waiting.push(r);
          continue;
        }
        const parent = r.parent === null || r.parent === root ? undefined : created.get(r.parent);
        const provider = r.provider === null ? undefined : (created.get(r.provider) as pulumi.ProviderResource);
        const resource = r.type.startsWith("agent-identity:")
          ? new pulumi.ComponentResource(r.type, r.name, {}, { parent })
          : new (resourceClass(r.type))(r.name, r.type.startsWith("pulumi:providers:") ? providerArgs(r.inputs) : r.inputs, { parent, provider });
        created.set(r.urn, resource);
      }
      if (waiting.length === pending.length) {
        throw new Error(`The replay cannot place ${waiting.length} resources: their parent or provider is not in the plan (first: ${waiting[0].urn}).`);
      }
      pending = waiting;
    }
    return {};
  };
}
