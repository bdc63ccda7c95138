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

/**
 * Name and options of a direct child of the platform. The name starts with the platform's name, so two
 * platforms (and agents of the same name in two platforms) can live in one stack; the child's own
 * children start with that name in turn. The alias keeps the URN a stack deployed before the prefix
 * (`<local>`), so upgrading moves nothing; the engine carries the alias down to the grandchildren,
 * whose names start with the child's (Pulumi "aliases": inherited child aliases).
 */
export function platformChild(ctx: Pick<PlatformContext, "name" | "parent">, local: string): { name: string; opts: pulumi.ComponentResourceOptions } {
  return { name: `${ctx.name}-${local}`, opts: { parent: ctx.parent, aliases: [{ name: local }] } };
}
