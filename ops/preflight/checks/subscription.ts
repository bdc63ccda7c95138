/** The deployment's subscription exists, is visible to the deployer and is enabled. */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck, isNotFound } from "../../lib/errors";
import { PreflightContext } from "../context";

/** Reads the subscription and its state. */
export async function checkSubscription(ctx: PreflightContext): Promise<CheckResult> {
  try {
    const sub = await ctx.azure.subscriptions().subscriptions.get(ctx.subscriptionId);
    if (sub.state && sub.state !== "Enabled") {
      return problem("subscription", `Subscription ${ctx.subscriptionId} (${sub.displayName}) is ${sub.state}: Azure creates nothing in it.`, "re-enable the subscription, or deploy to another one (--subscription).", ctx.subscriptionId);
    }
    return ok("subscription", `Subscription ${ctx.subscriptionId} (${sub.displayName ?? "?"}) is ${sub.state ?? "visible"}.`, ctx.subscriptionId);
  } catch (err) {
    if (isNotFound(err)) {
      return problem(
        "subscription",
        `Subscription ${ctx.subscriptionId} was not found, or the signed-in identity has no access to it.`,
        "check the subscription id (azure-native:subscriptionId, ARM_SUBSCRIPTION_ID or --subscription) and grant the deployer a role on it.",
        ctx.subscriptionId,
      );
    }
    return couldNotCheck("subscription", `subscription ${ctx.subscriptionId}`, err, ctx.subscriptionId);
  }
}
