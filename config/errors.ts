/**
 * The one error a bad stack config produces: every problem, each naming its key path and its fix.
 */
import type { core } from "zod";

/** One problem in the stack config. */
export interface ConfigIssue {
  /**
   * The key path as `pulumi config set --path` takes it, with list positions as indexes, e.g.
   * `agents[1].image`. Stable: tests and tools may match on it.
   */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
  /**
   * The named thing the path lies in, for people reading the error, e.g. `agent "style-checker"`
   * for `agents[1].image` (set when the list entry has a name).
   */
  subject?: string;
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
        issues.map((i) => `  - ${namespace}:${i.path}${i.subject ? ` (${i.subject})` : ""}: ${i.message}`).join("\n"),
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

/** Lists whose entries carry a `name`, and what an entry is called in an error. */
const NAMED_LISTS: Readonly<Record<string, string>> = { agents: "agent", roleDefinitions: "custom role" };

/**
 * Names the entry of a named list (`agents`, `roleDefinitions`) that a path lies in, from the raw
 * config: `agents[1].image` lies in `agent "style-checker"`. Undefined when the entry has no name.
 */
export function subjectOf(path: ReadonlyArray<PropertyKey>, input: unknown): string | undefined {
  const [list, index] = path;
  const noun = typeof list === "string" ? NAMED_LISTS[list] : undefined;
  if (!noun || typeof index !== "number" || input === null || typeof input !== "object") {
    return undefined;
  }
  const entries = (input as Record<string, unknown>)[list as string];
  const entry = Array.isArray(entries) ? (entries[index] as unknown) : undefined;
  const name = entry !== null && typeof entry === "object" ? (entry as { name?: unknown }).name : undefined;
  return typeof name === "string" && name !== "" ? `${noun} ${JSON.stringify(name)}` : undefined;
}

/**
 * Converts zod issues into config issues, giving zod's generic messages a fix. With the raw `input`
 * that was validated, issues inside a named list entry also name it (see {@link subjectOf}).
 */
export function issuesFromZod(issues: ReadonlyArray<core.$ZodIssue>, input?: unknown): ConfigIssue[] {
  const result: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        result.push(withSubject({
          path: formatPath([...issue.path, key]),
          message: "is not a known key. Fix: remove it or correct its spelling (the README's config reference lists every key).",
        }, issue.path, input));
      }
      continue;
    }
    let message = issue.message;
    if (issue.code === "invalid_type" && !message.includes("Fix:")) {
      message = issue.input === undefined ? `is required. Fix: set a ${issue.expected}.` : `${message}. Fix: write a ${issue.expected}.`;
    }
    result.push(withSubject({ path: formatPath(issue.path), message }, issue.path, input));
  }
  return result;
}

function withSubject(issue: ConfigIssue, path: ReadonlyArray<PropertyKey>, input: unknown): ConfigIssue {
  const subject = subjectOf(path, input);
  return subject ? { ...issue, subject } : issue;
}
