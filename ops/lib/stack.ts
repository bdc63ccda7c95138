/**
 * Reads a stack's config exactly as the program does (plan/stackFiles readStackConfig, then
 * config/load validateStackConfig), so the checks see the values, defaults and refusals the program sees.
 */
import { readStackConfig } from "../../plan/stackFiles";
import { CONFIG_NAMESPACE, rawConfigFromPulumi, validateStackConfig } from "../../config/load";
import { StackConfig } from "../../config/schema";

/** The deploying principal's kind, as `deployerPrincipalType` names it. */
export type PrincipalType = StackConfig["deployerPrincipalType"];

/** A stack as the ops commands see it. */
export interface LoadedStack {
  /** Project name. */
  project: string;
  /** Stack name. */
  stack: string;
  /** The validated config, defaults applied. */
  config: StackConfig;
  /** `azure-native:subscriptionId` of the stack, when set. */
  subscriptionId?: string;
}

/** Loads and validates a stack's config; throws the project's own errors for a bad file or value. */
export function loadStack(projectDir: string, stack: string): LoadedStack {
  const file = readStackConfig(projectDir, stack);
  const config = validateStackConfig(rawConfigFromPulumi(file.config, CONFIG_NAMESPACE));
  return { project: file.project, stack, config, subscriptionId: file.config["azure-native:subscriptionId"] };
}
