/**
 * Every Azure built-in role, by name, from the vendored list `data/azure-built-in-roles.tsv` (Microsoft's
 * "Azure built-in roles" page; source and date in the file's header). Built-in role GUIDs are the same
 * in every tenant and cloud, so names resolve offline and deterministically: the file is read once,
 * when this module is first imported, never fetched.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { nearest } from "./editDistance";

/** One built-in role. */
export interface BuiltInRole {
  /** The category on Microsoft's page, e.g. "Storage". */
  category: string;
  /** The display name, spelt as Azure spells it, e.g. "Storage Blob Data Reader". */
  name: string;
  /** The role definition GUID (lowercase). */
  guid: string;
}

/** The vendored list is missing or malformed (a packaging or editing mistake, never user input). */
export class BuiltInRolesDataError extends Error {
  /** Stable code. */
  readonly code = "ERR_BUILT_IN_ROLES_DATA";
  constructor(message: string) {
    super(message);
    this.name = "BuiltInRolesDataError";
  }
}

const FILE_NAME = "azure-built-in-roles.tsv";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Parses the TSV: `#` comment lines, a `category name guid` header, then one role per line. Throws a
 * {@link BuiltInRolesDataError} on a malformed row, a GUID that is not lowercase, or a duplicate name
 * (compared without case, as Azure compares role names) or GUID.
 */
export function parseBuiltInRoles(text: string): BuiltInRole[] {
  const lines = text.split(/\r?\n/).map((line, i) => ({ line, number: i + 1 })).filter(({ line }) => line.trim() !== "" && !line.startsWith("#"));
  const [header, ...rows] = lines;
  if (header?.line !== "category\tname\tguid") {
    throw new BuiltInRolesDataError(`${FILE_NAME}: the first row must be the header "category<TAB>name<TAB>guid".`);
  }
  const names = new Map<string, number>();
  const guids = new Map<string, number>();
  return rows.map(({ line, number }) => {
    const fields = line.split("\t");
    const [category, name, guid] = fields.map((f) => f.trim());
    if (fields.length !== 3 || !category || !name || !GUID.test(guid ?? "")) {
      throw new BuiltInRolesDataError(`${FILE_NAME}:${number}: expected "category<TAB>name<TAB>lowercase guid", got ${JSON.stringify(line)}.`);
    }
    const key = name.toLowerCase();
    if (names.has(key)) {
      throw new BuiltInRolesDataError(`${FILE_NAME}:${number}: the name ${JSON.stringify(name)} is already on line ${names.get(key)}.`);
    }
    if (guids.has(guid)) {
      throw new BuiltInRolesDataError(`${FILE_NAME}:${number}: the GUID ${guid} is already on line ${guids.get(guid)}.`);
    }
    names.set(key, number);
    guids.set(guid, number);
    return { category, name, guid };
  });
}

/**
 * Where the list is: `data/` at the package root, found from the compiled module (`bin/components/lib/`)
 * or from the TypeScript source (`components/lib/`, as the component provider runs it).
 */
export function builtInRolesFile(): string {
  const candidates = [path.resolve(__dirname, "..", "..", "..", "data", FILE_NAME), path.resolve(__dirname, "..", "..", "data", FILE_NAME)];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new BuiltInRolesDataError(`${FILE_NAME} is missing (looked in ${candidates.join(", ")}). Fix: ship the package's data/ folder with it.`);
  }
  return found;
}

/** Every built-in role, in the file's order. */
export const ALL_BUILT_IN_ROLES: readonly BuiltInRole[] = Object.freeze(parseBuiltInRoles(readFileSync(builtInRolesFile(), "utf8")).map((r) => Object.freeze(r)));

/** Built-in role GUIDs by exact display name (the shape callers have used since the first release). */
export const BUILT_IN_ROLES: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(ALL_BUILT_IN_ROLES.map((r) => [r.name, r.guid])));

const byLowerName = new Map(ALL_BUILT_IN_ROLES.map((r) => [r.name.toLowerCase(), r]));
const byGuid = new Map(ALL_BUILT_IN_ROLES.map((r) => [r.guid, r]));

/** The built-in role spelt exactly `name`, or undefined. Exact: see {@link builtInRoleIgnoringCase}. */
export function builtInRole(name: string): BuiltInRole | undefined {
  const role = byLowerName.get(name.toLowerCase());
  return role?.name === name ? role : undefined;
}

/**
 * The built-in role whose name equals `name` without regard to case. Azure treats role names as
 * case-insensitive; the config still asks for the exact spelling, and uses this to say what it is.
 */
export function builtInRoleIgnoringCase(name: string): BuiltInRole | undefined {
  return byLowerName.get(name.toLowerCase());
}

/** The built-in role with a role definition GUID (any case), or undefined. */
export function builtInRoleByGuid(guid: string): BuiltInRole | undefined {
  return byGuid.get(guid.toLowerCase());
}

/**
 * A few names nearest to a misspelt one, from `extraNames` (e.g. the stack's custom roles) and every
 * built-in role: first the names containing every word of it ("blob reader" finds "Storage Blob Data
 * Reader"), shortest first; then the nearest by edit distance. Empty when nothing is close.
 */
export function suggestRoleNames(name: string, extraNames: readonly string[] = [], limit = 3): string[] {
  const candidates = [...extraNames, ...ALL_BUILT_IN_ROLES.map((r) => r.name)];
  const words = name.toLowerCase().split(/\s+/).filter((w) => w.length > 1);
  const containing = words.length === 0 ? [] : candidates.filter((c) => words.every((w) => c.toLowerCase().includes(w))).sort((a, b) => a.length - b.length);
  const suggestions = new Set([...containing, ...nearest(name, candidates, { limit })]);
  return [...suggestions].slice(0, limit);
}

/** The subscription-scoped ARM id of a role definition GUID, for the subscription a scope lies in. */
export function roleDefinitionResourceId(scope: string, roleGuid: string): string {
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  const prefix = subscription ? `/subscriptions/${subscription}` : "";
  return `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}
