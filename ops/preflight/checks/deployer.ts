/** Who is deploying, and whether that matches `deployerPrincipalType`. */
import { CheckResult, ok, problem } from "../../lib/check";
import { describePrincipal } from "../../lib/identity";
import { PreflightContext } from "../context";

/** Compares the signed-in principal's type with the configured one. */
export async function checkDeployer(ctx: PreflightContext): Promise<CheckResult> {
  const configured = ctx.stack.config.deployerPrincipalType;
  const actual = ctx.principal.type;
  const who = describePrincipal(ctx.principal);
  if (configured !== actual) {
    return problem(
      "deployer",
      `deployerPrincipalType is ${configured}, but you are signed in as ${who}: the deployer's role assignments would name the wrong principal type and Azure refuses them (UnmatchedPrincipalType).`,
      actual === "User"
        ? `set ${ctx.stack.project}:deployerPrincipalType: User for a deployment from your own account, or sign in as the deploying service principal (az login --service-principal, or OIDC in CI).`
        : `set ${ctx.stack.project}:deployerPrincipalType: ServicePrincipal for CI, or sign in as a user (az login) for a personal deployment.`,
    );
  }
  return ok("deployer", `Deploying as ${who}, matching deployerPrincipalType ${configured}.`);
}
