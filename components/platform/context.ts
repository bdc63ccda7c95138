/**
 * What every builder of {@link AgentPlatform} receives: the platform component, its validated config and
 * the agent graph computed once from it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../config/schema";
import type { AgentGraph } from "./agentGraph";

/** The shared input of the platform's builders. */
export interface PlatformContext {
  /** The platform component's name. */
  name: string;
  /** The platform component: every child's parent. */
  parent: pulumi.ComponentResource;
  /** The validated config. */
  config: StackConfig;
  /** The agent graph of the config. */
  graph: AgentGraph;
  /** The resource group of the identities (the created group's name output, or the configured name). */
  resourceGroupName: pulumi.Input<string>;
}
