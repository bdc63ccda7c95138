/**
 * The offline plan's fast path (plan/sdkBookkeeping.ts): the SDK bookkeeping the plan never records is
 * off during an evaluation, back afterwards, and the plan is the same as with it.
 * SDK behaviour relied on (node_modules/@pulumi/pulumi 3.276): `Resource.callsites` and the `aliases`
 * collapsed into `__aliases` in resource.js; `debuggablePromise` in runtime/debuggable.js; the version
 * aliases of generated resource classes (e.g. @pulumi/azure-native managedidentity/userAssignedIdentity.js
 * `aliasOpts`).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { planStack } from "../plan";
import { PlanFailedError, evaluateProgram } from "../plan/evaluate";
import { dropAliases } from "../plan/sdkBookkeeping";
import { stackFileConfig } from "./helpers";

const IDENTITY = "azure-native:managedidentity:UserAssignedIdentity";
const callsitesOf = () => (pulumi.Resource as unknown as { callsites(): unknown[] }).callsites;
const debuggablePromiseOf = () => (debuggable as unknown as { debuggablePromise: unknown }).debuggablePromise;

/** Evaluates a program under the placeholder mocks, with or without the SDK's bookkeeping. */
function run(program: () => unknown, sdkBookkeeping = false) {
  return evaluateProgram({ project: "agent-identity", stack: "unit", config: {}, program, sdkBookkeeping });
}

/** A program error with a stable code, like the project's own error classes. */
class ProgramError extends Error {
  readonly code = "ERR_TEST_PROGRAM";
}

describe("the offline plan's fast path", () => {
  for (const stack of ["production", "staging"]) {
    it(`plans ${stack} exactly as with the SDK's full bookkeeping (resources, options and outputs deep-equal)`, async () => {
      const module = (await import("../index")) as unknown as { default: () => unknown };
      const program = module.default;
      const config = stackFileConfig(stack);
      const full = await evaluateProgram({ project: "agent-identity", stack, config, program, sdkBookkeeping: true });
      const fast = await planStack(stack);
      assert.ok(fast.resources.length > 20);
      assert.deepStrictEqual(fast.resources, full.resources);
      assert.deepStrictEqual(fast.outputs, full.outputs);
    });
  }

  it("captures no stack traces and no call sites while the program runs, and restores all three SDK settings afterwards", async () => {
    const before = { limit: Error.stackTraceLimit, callsites: callsitesOf(), debuggablePromise: debuggablePromiseOf() };
    let during: { limit: number; callsites: unknown[]; stack: string | undefined } | undefined;
    await run(() => {
      during = { limit: Error.stackTraceLimit, callsites: callsitesOf()(), stack: new Error("probe").stack };
      return {};
    });
    assert.deepStrictEqual(during, { limit: 0, callsites: [], stack: "Error: probe" });
    assert.strictEqual(Error.stackTraceLimit, before.limit);
    assert.strictEqual(callsitesOf(), before.callsites);
    assert.strictEqual(debuggablePromiseOf(), before.debuggablePromise);
    assert.ok(callsitesOf()().length > 0, "the SDK's own call-site capture works again");
  });

  it("keeps the SDK's stack traces and call sites when asked for its full bookkeeping", async () => {
    let during: { limit: number; callsites: number } | undefined;
    await run(() => {
      during = { limit: Error.stackTraceLimit, callsites: callsitesOf()().length };
      return {};
    }, true);
    assert.ok(during && during.limit > 0 && during.callsites > 0, JSON.stringify(during));
  });

  it("drops every alias (the provider SDK's version aliases and the program's own renames): the plan never records them", async () => {
    const aliasCount = async (sdkBookkeeping: boolean) => {
      let identity: managedidentity.UserAssignedIdentity | undefined;
      await run(() => {
        identity = new managedidentity.UserAssignedIdentity("id", { resourceGroupName: "rg" }, { aliases: [{ name: "old-id" }] });
        return {};
      }, sdkBookkeeping);
      return (identity as unknown as { __aliases: unknown[] }).__aliases.length;
    };
    assert.strictEqual(await aliasCount(false), 0, "no alias is left on the fast path");
    assert.ok((await aliasCount(true)) > 2, "the program's alias and the SDK's version aliases are there with the SDK's full bookkeeping");
  });

  it("leaves a resource without aliases untouched", () => {
    const args = { type: IDENTITY, name: "x", props: {}, opts: {}, resource: {} as pulumi.Resource };
    assert.strictEqual(dropAliases(args), undefined);
    assert.deepStrictEqual(dropAliases({ ...args, opts: { aliases: [{ name: "y" }], protect: true } }), { props: {}, opts: { aliases: undefined, protect: true } });
  });

  it("reports an error thrown by the program with its message, class and code, and restores the stack-trace limit", async () => {
    const limit = Error.stackTraceLimit;
    await assert.rejects(
      run(() => {
        throw new ProgramError("agents[2].port: must be between 1 and 65535. Fix: use the container's port.");
      }),
      (err: unknown) => {
        assert.ok(err instanceof PlanFailedError);
        assert.strictEqual(err.code, "ERR_PLAN_FAILED");
        assert.strictEqual(err.message, "agents[2].port: must be between 1 and 65535. Fix: use the container's port.");
        assert.ok(err.cause instanceof ProgramError);
        assert.strictEqual((err.cause as ProgramError).code, "ERR_TEST_PROGRAM");
        return true;
      },
    );
    assert.strictEqual(Error.stackTraceLimit, limit);
    assert.ok((new Error("after").stack ?? "").split("\n").length > 1, "errors made after the plan have stack frames again");
  });

  it("reports an error thrown inside an apply with its message", async () => {
    await assert.rejects(
      run(() => {
        const name = pulumi.output("rg").apply((): string => {
          throw new ProgramError("the resource group name is not allowed");
        });
        new managedidentity.UserAssignedIdentity("id", { resourceGroupName: name });
        return {};
      }),
      (err: unknown) => err instanceof PlanFailedError && /the resource group name is not allowed/.test(err.message),
    );
  });

  it("gives a program error its stack frames when asked for the SDK's full bookkeeping", async () => {
    await assert.rejects(
      run(() => {
        throw new ProgramError("boom");
      }, true),
      (err: unknown) => err instanceof PlanFailedError && /planFastPath\.test\.(js|ts)/.test(String(err.cause.stack)),
    );
  });
});
