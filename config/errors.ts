/**
 * The one error a bad stack config produces: every problem, each naming its key path and its fix.
 */
import type { core } from "zod";

/** One problem in the stack config. */
export interface ConfigIssue {
  /** The key path, e.g. `agents[1].image`. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** Thrown before any resource is registered when the stack config is invalid. */
export class ConfigValidationError extends Error {
  /** Stable code callers and tests can branch on. */
  readonly code = "ERR_STACK_CONFIG_INVALID";

  constructor(
    /** The Pulumi config namespace the keys belong to. */
    readonly namespace: string,
    /** Every problem found. */
    readonly issues: ConfigIssue[],
  ) {
    super(
      `Invalid stack config (${issues.length} problem${issues.length === 1 ? "" : "s"}); nothing was created:\n` +
        issues.map((i) => `  - ${namespace}:${i.path}: ${i.message}`).join("\n"),
    );
    this.name = "ConfigValidationError";
  }
}

/** Renders a key path the way users write it with `pulumi config set --path`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") {
      out += `[${part}]`;
    } else if (typeof part === "string" && /^[A-Za-z_][\w-]*$/.test(part)) {
      out += out === "" ? part : `.${part}`;
    } else {
      out += `[${JSON.stringify(String(part))}]`;
    }
  }
  return out;
}

/** Converts zod issues into config issues, giving zod's generic messages a fix. */
export function issuesFromZod(issues: ReadonlyArray<core.$ZodIssue>): ConfigIssue[] {
  const result: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        result.push({
          path: formatPath([...issue.path, key]),
          message: "is not a known key. Fix: remove it or correct its spelling (the README's config reference lists every key).",
        });
      }
      continue;
    }
    let message = issue.message;
    if (issue.code === "invalid_type" && !message.includes("Fix:")) {
      message = issue.input === undefined ? `is required. Fix: set a ${issue.expected}.` : `${message}. Fix: write a ${issue.expected}.`;
    }
    result.push({ path: formatPath(issue.path), message });
  }
  return result;
}
