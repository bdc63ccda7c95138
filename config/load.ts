/**
 * Reads the `agent-identity` config namespace, validates it against the schema, and returns the typed
 * config or throws one {@link ConfigValidationError} listing every bad key with its fix.
 */
import { stackConfigSchema, StackConfig } from "./schema";
import { ConfigValidationError, issuesFromZod } from "./errors";
import { sealValidated } from "./validated";

/** The Pulumi config namespace of this project (the project name). */
export const CONFIG_NAMESPACE = "agent-identity";

/** Keys whose values are plain strings; every other key holds JSON (objects, lists, booleans). */
export const STRING_CONFIG_KEYS: ReadonlySet<string> = new Set(["location", "resourceGroupName", "namespace", "deployerPrincipalType"]);

/**
 * Turns the flat `namespace:key` map Pulumi hands a program into the raw object the schema checks.
 * Keys of other namespaces (`azure-native:location`, ...) are ignored.
 */
export function rawConfigFromPulumi(all: Record<string, string>, namespace = CONFIG_NAMESPACE): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(all)) {
    const separator = fullKey.indexOf(":");
    if (fullKey.slice(0, separator) !== namespace) {
      continue;
    }
    const key = fullKey.slice(separator + 1);
    raw[key] = STRING_CONFIG_KEYS.has(key) ? value : parseJsonOrString(value);
  }
  return raw;
}

function parseJsonOrString(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Validates raw config; returns it with defaults applied, deep-frozen and marked validated (so
 * `AgentPlatform` does not parse it again), or throws a {@link ConfigValidationError}.
 */
export function validateStackConfig(raw: unknown, namespace = CONFIG_NAMESPACE): StackConfig {
  const result = stackConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigValidationError(namespace, issuesFromZod(result.error.issues, raw));
  }
  return sealValidated(result.data);
}
