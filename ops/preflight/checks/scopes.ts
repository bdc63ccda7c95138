/** Every scope in config exists: standing assignments, JIT, custom roles' assignable scopes, registries, an adopted cluster. */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { configScopes } from "../../lib/configScopes";
import { PreflightContext } from "../context";

/** One finding per scope. */
export async function checkScopes(ctx: PreflightContext): Promise<CheckResult[]> {
  return Promise.all(
    configScopes(ctx.stack).map(async ({ scope, keys }) => {
      const state = await ctx.scopeState(scope);
      const named = keys.map((k) => `${ctx.stack.project}:${k}`).join(", ");
      if ("error" in state) {
        return couldNotCheck("scope", `scope ${scope}`, state.error, scope);
      }
      if (!state.exists) {
        return problem("scope", `${scope} does not exist (named by ${named}); assignments, eligibilities and policies there would fail.`, `create it first, or correct ${named} (az resource show --ids <id> --query id -o tsv).`, scope);
      }
      return ok("scope", `Exists (${named}).`, scope);
    }),
  );
}
