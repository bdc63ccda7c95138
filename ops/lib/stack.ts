/**
 * Reads a stack's config exactly as the program does (plan/stackFiles readStackConfig, then
 * config/load validateStackConfig), plus the keys of issue 8 read defensively while the schema on
 * this branch may not know them yet.
 */
import { readStackConfig } from "../../plan/stackFiles";
import { CONFIG_NAMESPACE, rawConfigFromPulumi, validateStackConfig } from "../../config/load";
import { stackConfigSchema, StackConfig } from "../../config/schema";

/** The deploying principal's kind, as `deployerPrincipalType` names it. */
export type PrincipalType = "User" | "ServicePrincipal";

/** A stack as the ops commands see it. */
export interface LoadedStack {
  /** Project name. */
  project: string;
  /** Stack name. */
  stack: string;
  /** The validated config, defaults applied. */
  config: StackConfig;
  /** `deployerPrincipalType`, when configured. */
  deployerPrincipalType?: PrincipalType;
  /** `containerRegistries`: ARM ids of registries the cluster pulls from (default none). */
  containerRegistries: string[];
  /** `pim.eligibilityStart` / `pim.eligibilityDuration`, when configured. */
  eligibility: { start?: string; duration?: string };
  /** `azure-native:subscriptionId` of the stack, when set. */
  subscriptionId?: string;
}

/** Keys this code reads that the schema may not declare yet (issue 8). */
const NEWER_KEYS = ["deployerPrincipalType", "containerRegistries"] as const;

/** Loads and validates a stack's config; throws the project's own errors for a bad file or value. */
export function loadStack(projectDir: string, stack: string): LoadedStack {
  const file = readStackConfig(projectDir, stack);
  const raw = rawConfigFromPulumi(file.config, CONFIG_NAMESPACE);
  const known = new Set(Object.keys(stackConfigSchema.shape));
  const extras: Record<string, unknown> = {};
  for (const key of NEWER_KEYS) {
    if (!known.has(key) && key in raw) {
      extras[key] = raw[key];
      delete raw[key];
    }
  }
  const pim = raw.pim as Record<string, unknown> | undefined;
  const pimKnown = (stackConfigSchema.shape.pim as unknown as { unwrap?: () => { shape?: object } }).unwrap?.()?.shape ?? {};
  const eligibility: { start?: string; duration?: string } = {};
  if (pim && typeof pim === "object") {
    for (const [key, field] of [["eligibilityStart", "start"], ["eligibilityDuration", "duration"]] as const) {
      if (typeof pim[key] === "string") {
        eligibility[field] = pim[key] as string;
      }
      if (!(key in pimKnown)) {
        delete pim[key];
      }
    }
  }
  const config = validateStackConfig(raw);
  const typed = config as StackConfig & { deployerPrincipalType?: unknown; containerRegistries?: unknown };
  const principalType = typed.deployerPrincipalType ?? extras.deployerPrincipalType;
  const registries = typed.containerRegistries ?? extras.containerRegistries ?? [];
  return {
    project: file.project,
    stack,
    config,
    deployerPrincipalType: principalType === "User" || principalType === "ServicePrincipal" ? principalType : undefined,
    containerRegistries: Array.isArray(registries) ? registries.filter((r): r is string => typeof r === "string") : [],
    eligibility,
    subscriptionId: file.config["azure-native:subscriptionId"],
  };
}
