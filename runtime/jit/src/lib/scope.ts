/**
 * ARM scopes a PIM eligibility can live at, checked before anything is sent: the scope is pasted
 * into request URLs unencoded (the SDK marks it `x-ms-skip-url-encoding`), so anything but a plain
 * scope could address another resource or smuggle a query.
 */
import { InvalidScopeError } from "../errors";

const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// Resource group and management group names: letters, digits, _ ( ) - . (up to 90), per ARM naming rules.
const GROUP = "[\\p{L}\\p{N}_().-]{1,90}";
const NAMESPACE = "[a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)+";
const TYPE = "[a-z][a-z0-9]*";
const NAME = "[\\p{L}\\p{N}_().~-]{1,260}";

const SUBSCRIPTION_SCOPE = new RegExp(
  `^/subscriptions/${GUID}(?:/resourceGroups/${GROUP}(?:/providers/${NAMESPACE}/${TYPE}/${NAME}(?:/${TYPE}/${NAME})*)?)?$`,
  "iu",
);
const MANAGEMENT_GROUP_SCOPE = new RegExp(`^/providers/Microsoft\\.Management/managementGroups/${GROUP}$`, "iu");

/** Longest scope accepted; ARM ids are far shorter in practice. */
const MAX_SCOPE_LENGTH = 1024;

/** The first reason the scope is refused, or undefined when it is a plain ARM scope. */
function problemOf(scope: string): string | undefined {
  if (scope.length === 0) return "it is empty";
  if (scope.length > MAX_SCOPE_LENGTH) return `it is longer than ${MAX_SCOPE_LENGTH} characters`;
  if (/\s/u.test(scope)) return "it contains whitespace";
  if (scope.includes("%")) return "it contains percent-encoding (an encoded slash or other character)";
  if (scope.includes("?")) return "it contains a query (?)";
  if (scope.includes("#")) return "it contains a fragment (#)";
  if (scope.includes("\\")) return "it contains a backslash";
  if (scope.includes("..")) return "it contains '..'";
  if (!scope.startsWith("/")) return "it does not start with /";
  if (scope.includes("//")) return "it contains an empty segment (//)";
  if (scope.endsWith("/")) return "it ends with /";
  if (scope.split("/").some((segment) => segment === ".")) return "it contains a '.' segment";
  if (/\.$/u.test(scope.split("/")[4] ?? "") && /^\/subscriptions\//iu.test(scope)) return "a resource group name cannot end with '.'";
  if (!SUBSCRIPTION_SCOPE.test(scope) && !MANAGEMENT_GROUP_SCOPE.test(scope)) {
    return "it is not a subscription, resource group, resource or management group scope";
  }
  return undefined;
}

/** Throws {@link InvalidScopeError} unless `scope` is a subscription, resource group, resource or management group scope. */
export function checkScope(scope: unknown): string {
  if (typeof scope !== "string") {
    throw new InvalidScopeError(String(scope), "it is not a string");
  }
  const problem = problemOf(scope);
  if (problem) {
    throw new InvalidScopeError(scope, problem);
  }
  return scope;
}
