/**
 * The compile-time contract between the stack config schema and {@link AgentPlatformArgs}: both describe
 * the same input, so a key added to one and not the other, or with another type or optionality, fails
 * `tsc` with the path of the difference (rules/shapeDiff.ts). Type-only: no run-time cost. It lives in
 * components/ because config/ imports nothing from components/.
 */
import type { z } from "zod";
import type { stackConfigSchema } from "../../config/schema";
import type { AgentPlatformArgs } from "../agentPlatform";
import type { AssertSameShape, ShapeDiff } from "../../rules/shapeDiff";

/** What a stack config may hold before validation (defaults not yet applied). */
export type StackConfigInput = z.input<typeof stackConfigSchema>;

/** `never` exactly when the schema's input and the platform's args have the same shape. */
export type ConfigArgsDiff = ShapeDiff<StackConfigInput, AgentPlatformArgs, "config">;

/** Fails to compile while {@link ConfigArgsDiff} names a difference. */
export type ConfigMatchesPlatformArgs = AssertSameShape<ConfigArgsDiff>;
