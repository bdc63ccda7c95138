/**
 * The same-inputs replay: a program that registers exactly the resources of a plan (same types, names,
 * parent tree and providers) with the inputs the plan recorded, as literals. Placeholders such as
 * `<platform-a-identity.clientId>` stay strings, so nothing waits for another resource and no project
 * code runs. Against the same-types floor (bench/floorProgram.ts, bare inputs) it shows what the content
 * of the inputs costs.
 *
 * Wired (`{ wired: true }`), it also rebuilds the plan's wiring without the project's code: an input that
 * is a whole placeholder naming a resource of the plan becomes that resource's Output (the property,
 * then the path), and every dependency the plan recorded becomes a `dependsOn`, so the SDK resolves the
 * same Outputs and dependencies as for the project. Project / wired is then the project's own code;
 * wired / replay what the SDK's wiring costs.
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

const PLACEHOLDER = /^<([^<>]+?)\.([^<>]+)>$/;

/** Inputs with every whole placeholder that names a replayed resource turned into its Output. */
function wire(value: unknown, byName: ReadonlyMap<string, pulumi.Resource>): unknown {
  if (typeof value === "string") {
    const match = PLACEHOLDER.exec(value);
    const resource = match ? byName.get(match[1]) : undefined;
    if (!match || !resource) return value;
    const [property, ...path] = match[2].split(".");
    const output = (resource as unknown as Record<string, pulumi.Output<unknown> | undefined>)[property];
    if (!pulumi.Output.isInstance(output)) return value;
    return path.length === 0 ? output : output.apply((v) => path.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], v));
  }
  if (Array.isArray(value)) return value.map((item) => wire(item, byName));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, wire(item, byName)]));
  return value;
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
export function replayProgram(plan: Pick<Plan, "resources">, options: { wired?: boolean } = {}): () => Record<string, never> {
  return () => {
    const root = plan.resources.find((r) => r.type === STACK_TYPE)?.urn ?? null;
    const created = new Map<string, pulumi.Resource>();
    const byName = new Map<string, pulumi.Resource>();
    const placed = (urn: string) => urn === root || created.has(urn);
    let pending = plan.resources.filter((r) => r.type !== STACK_TYPE);
    while (pending.length > 0) {
      const waiting: PlannedResource[] = [];
      for (const r of pending) {
        const parentReady = r.parent === null || placed(r.parent);
        const providerReady = r.provider === null || created.has(r.provider);
        if (!parentReady || !providerReady || (options.wired && !r.dependsOn.every(placed))) {
          waiting.push(r);
          continue;
        }
        const parent = r.parent === null || r.parent === root ? undefined : created.get(r.parent);
        const provider = r.provider === null ? undefined : (created.get(r.provider) as pulumi.ProviderResource);
        const dependsOn = options.wired ? r.dependsOn.filter((urn) => urn !== root).map((urn) => created.get(urn) as pulumi.Resource) : undefined;
        const inputs = r.type.startsWith("pulumi:providers:") ? providerArgs(r.inputs) : options.wired ? (wire(r.inputs, byName) as Record<string, unknown>) : r.inputs;
        const resource = r.type.startsWith("agent-identity:")
          ? new pulumi.ComponentResource(r.type, r.name, {}, { parent })
          : new (resourceClass(r.type))(r.name, inputs, { parent, provider, dependsOn });
        created.set(r.urn, resource);
        byName.set(r.name, resource);
      }
      if (waiting.length === pending.length) {
        throw new Error(`The replay cannot place ${waiting.length} resources: their parent or provider is not in the plan (first: ${waiting[0].urn}).`);
      }
      pending = waiting;
    }
    return {};
  };
}
