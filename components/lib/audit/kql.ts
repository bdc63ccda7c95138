/**
 * The KQL files of the audit trail (`audit/queries/`): where they are, how they are read, and how the
 * graph's values are put into them. A template names each value it needs as `{{NAME}}`; rendering
 * replaces it with a KQL literal, and refuses a template that needs a value it was not given.
 */
import { existsSync, readFileSync, readdirSync } from "fs";
import * as path from "path";

/** A value put into a query: a string becomes a KQL string literal, a list a `dynamic([...])` array. */
export type KqlValue = string | string[];

/** Thrown when a query template cannot be rendered. */
export class KqlTemplateError extends Error {
  /** Stable code. */
  readonly code = "ERR_KQL_TEMPLATE";
  constructor(message: string) {
    super(message);
    this.name = "KqlTemplateError";
  }
}

const PLACEHOLDER = /\{\{([A-Z][A-Z0-9_]*)\}\}/g;

/** The directory holding `alerts/` and `investigate/`: found upward from this module (source or bin/). */
export function queriesDir(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "audit", "queries");
    if (existsSync(path.join(candidate, "alerts"))) {
      return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new KqlTemplateError(`No audit/queries directory above ${from}. Fix: ship audit/queries with the program.`);
}

/** The text of one query file, e.g. `alerts/caller-refusal-burst.kql`. */
export function readQuery(relativePath: string): string {
  return readFileSync(path.join(queriesDir(), relativePath), "utf8");
}

/** Every `.kql` file below the queries directory, as paths relative to it, sorted. */
export function listQueries(): string[] {
  const root = queriesDir();
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(path.join(root, d.name)).filter((f) => f.endsWith(".kql")).map((f) => `${d.name}/${f}`))
    .sort();
}

/** The placeholder names a template uses, sorted and unique. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}

/** A KQL string literal (double-quoted; `\` and `"` escaped, control characters refused). */
export function kqlString(value: string): string {
  if (/[\u0000-\u001f]/.test(value)) {
    throw new KqlTemplateError(`${JSON.stringify(value)} holds a control character and cannot be put into a query.`);
  }
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The KQL literal of a value. */
export function kqlLiteral(value: KqlValue): string {
  return Array.isArray(value) ? `dynamic([${value.map(kqlString).join(", ")}])` : kqlString(value);
}

/**
 * Replaces every `{{NAME}}` of a template with the literal of `values[NAME]`. Throws when the template
 * needs a value that is missing, or when a value is given that the template does not use (a typo would
 * otherwise leave the query matching nothing).
 */
export function renderQuery(template: string, values: Record<string, KqlValue>, file = "query"): string {
  const needed = placeholdersOf(template);
  const missing = needed.filter((n) => !(n in values));
  if (missing.length > 0) {
    throw new KqlTemplateError(`${file} needs ${missing.map((m) => `{{${m}}}`).join(", ")}. Fix: pass ${missing.join(", ")} when rendering it.`);
  }
  const unused = Object.keys(values).filter((n) => !needed.includes(n));
  if (unused.length > 0) {
    throw new KqlTemplateError(`${file} has no placeholder for ${unused.join(", ")}. Fix: remove the value or add {{${unused[0]}}} to the query.`);
  }
  return template.replace(PLACEHOLDER, (_, name: string) => kqlLiteral(values[name]));
}
