/**
 * Configs that passed the stack config schema, so that the platform takes them without parsing them a
 * second time: a validated config is deep-frozen (it cannot become invalid afterwards) and remembered
 * here. Anything else (a literal, a copy, a config changed by hand) is not trusted and is validated by
 * the component itself.
 */
import type { StackConfig } from "./schema";

const validated = new WeakSet<object>();

/** Freezes every object and list reachable from `value`. */
function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) {
    return;
  }
  Object.freeze(value);
  for (const child of Object.values(value)) {
    deepFreeze(child);
  }
}

/** Deep-freezes a config the schema just produced and marks it validated; returns the same object. */
export function sealValidated(config: StackConfig): StackConfig {
  deepFreeze(config);
  validated.add(config);
  return config;
}

/** True only for a config returned by {@link sealValidated} (frozen since, so still valid). */
export function isSealedValidConfig(value: unknown): value is StackConfig {
  return typeof value === "object" && value !== null && validated.has(value);
}
