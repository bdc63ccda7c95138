/**
 * The offline plan's registration path: registrations start a batch per event-loop turn
 * (plan/registrationPacing.ts), and the mock monitor's answer skips its protobuf round trips
 * (plan/offlineRegistration.ts). Neither changes what is registered.
 * SDK behaviour relied on (node_modules/@pulumi/pulumi 3.276): runtime/resource.js `registerResource` and
 * `prepareResource` (first await: `dependsOn_1.gatherExplicitDependencies(opts.replaceWith)`), called
 * through the modules' exports; runtime/mocks.js `MockMonitor.registerResource`; the duck-typed response
 * runtime/resource.js builds itself without a monitor.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as dependsOnModule from "@pulumi/pulumi/runtime/dependsOn";
import * as resourceModule from "@pulumi/pulumi/runtime/resource";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { PlanFailedError, evaluateProgram } from "../plan/evaluate";
import { PlaceholderMocks } from "../plan/placeholders";
import { paceRegistrations } from "../plan/registrationPacing";

/** Mocks that note in which event-loop turn each registration reached the monitor. */
class TurnCountingMocks extends PlaceholderMocks {
  turn = 0;
  readonly perTurn = new Map<number, number>();
  private ticking = true;
  constructor() {
    super();
    const tick = () => {
      this.turn++;
      if (this.ticking) setImmediate(tick);
    };
    setImmediate(tick);
  }
  override newResource(args: pulumi.runtime.MockResourceArgs) {
    this.perTurn.set(this.turn, (this.perTurn.get(this.turn) ?? 0) + 1);
    return super.newResource(args);
  }
  stop(): number {
    this.ticking = false;
    return Math.max(...this.perTurn.values());
  }
}

/** 35 identities, none depending on another: all of them could start at once. */
function thirtyFiveIdentities(): Record<string, unknown> {
  for (let i = 0; i < 35; i++) {
    new managedidentity.UserAssignedIdentity(`id-${i}`, { resourceGroupName: "rg", resourceName: `id-${i}` });
  }
  return {};
}

/** Evaluates the SDK's own way (no pacing of its own), with the given pacing around it. */
async function busiestTurn(batchSize: number | undefined): Promise<{ busiest: number; resources: number }> {
  const mocks = new TurnCountingMocks();
  const stop = batchSize === undefined ? () => undefined : paceRegistrations(batchSize);
  try {
    const plan = await evaluateProgram({ project: "agent-identity", stack: "unit", config: {}, program: thirtyFiveIdentities, mocks, sdkBookkeeping: true });
    return { busiest: mocks.stop(), resources: plan.resources.length };
  } finally {
    stop();
    mocks.stop();
  }
}

describe("paced registrations in the offline plan", () => {
  it("start at most the batch size of registrations per event-loop turn, in creation order, and still register everything", async () => {
    const paced = await busiestTurn(10);
    assert.strictEqual(paced.resources, 36, "35 identities and the stack");
    assert.ok(paced.busiest <= 10, `at most 10 registrations answered in one turn, saw ${paced.busiest}`);
    const unpaced = await busiestTurn(undefined);
    assert.strictEqual(unpaced.resources, 36);
    assert.ok(unpaced.busiest > 10, `without pacing they all go at once (saw ${unpaced.busiest} in one turn)`);
  });

  it("wait at most once per registration: a registration's later dependency gathering and invokes are not paced", async () => {
    const stop = paceRegistrations(1);
    try {
      // Outside a registration's start the function is the SDK's own, answering without waiting a turn.
      let settled = false;
      void (dependsOnModule as unknown as { gatherExplicitDependencies(d: unknown): Promise<unknown[]> }).gatherExplicitDependencies(undefined).then(() => (settled = true));
      await Promise.resolve();
      await Promise.resolve();
      assert.strictEqual(settled, true);
    } finally {
      stop();
    }
  });

  it("put the SDK's functions back when stopped", () => {
    const register = (resourceModule as unknown as { registerResource: unknown }).registerResource;
    const gather = (dependsOnModule as unknown as { gatherExplicitDependencies: unknown }).gatherExplicitDependencies;
    const stop = paceRegistrations(5);
    assert.notStrictEqual((resourceModule as unknown as { registerResource: unknown }).registerResource, register);
    stop();
    assert.strictEqual((resourceModule as unknown as { registerResource: unknown }).registerResource, register);
    assert.strictEqual((dependsOnModule as unknown as { gatherExplicitDependencies: unknown }).gatherExplicitDependencies, gather);
  });

  it("refuse a batch size that is not a positive integer", () => {
    assert.throws(() => paceRegistrations(0), RangeError);
    assert.throws(() => paceRegistrations(1.5), RangeError);
  });

  it("let a resource wait for another's outputs across batches (a chain of 30 identities, batch 4)", async () => {
    const stop = paceRegistrations(4);
    try {
      const plan = await evaluateProgram({
        project: "agent-identity",
        stack: "unit",
        config: {},
        sdkBookkeeping: true,
        program: () => {
          let previous: managedidentity.UserAssignedIdentity | undefined;
          for (let i = 0; i < 30; i++) {
            previous = new managedidentity.UserAssignedIdentity(`chain-${i}`, { resourceGroupName: "rg", resourceName: previous ? pulumi.interpolate`${previous.name}-next` : "first" });
          }
          return { last: previous!.name };
        },
      });
      assert.strictEqual(plan.outputs.last, `first${"-next".repeat(29)}`);
    } finally {
      stop();
    }
  });
});

describe("the offline answer to registrations", () => {
  it("hands the SDK the same outputs as the SDK's mock monitor, secrets and placeholders included", async () => {
    const program = () => {
      const identity = new managedidentity.UserAssignedIdentity("id", { resourceGroupName: "rg", resourceName: "agent", tags: { owner: "team", secretish: pulumi.secret("s") as unknown as string } });
      return { clientId: identity.clientId, name: identity.name, tags: identity.tags, id: identity.id };
    };
    const offline = await evaluateProgram({ project: "agent-identity", stack: "unit", config: {}, program });
    const sdk = await evaluateProgram({ project: "agent-identity", stack: "unit", config: {}, program, sdkBookkeeping: true });
    assert.deepStrictEqual(offline.outputs, sdk.outputs);
    assert.deepStrictEqual(offline.resources, sdk.resources);
    assert.strictEqual(offline.outputs.clientId, "<id.clientId>");
  });

  it("fails the plan with the mock's own error when the mocks refuse a registration", async () => {
    class RefusingMocks extends PlaceholderMocks {
      override newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        if (args.type === "azure-native:managedidentity:UserAssignedIdentity") throw new Error("refused by the test");
        return super.newResource(args);
      }
    }
    await assert.rejects(
      evaluateProgram({
        project: "agent-identity",
        stack: "unit",
        config: {},
        mocks: new RefusingMocks(),
        program: () => {
          new managedidentity.UserAssignedIdentity("id", { resourceGroupName: "rg" });
          return {};
        },
      }),
      (err: unknown) => err instanceof PlanFailedError && /refused by the test/.test(err.message),
    );
  });
});

describe("output properties made on first read (plan/lazyOutputs.ts)", () => {
  /** An identity whose properties are read before its registration is answered, and one read after. */
  const program = async () => {
    const early = new managedidentity.UserAssignedIdentity("early", { resourceGroupName: "rg", resourceName: "early" });
    const earlyClientId = early.clientId;
    const late = new managedidentity.UserAssignedIdentity("late", { resourceGroupName: "rg", resourceName: "late", tags: { team: "a" } });
    await new Promise<void>((resolve) => late.urn.apply(() => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
    return { earlyClientId, lateClientId: late.clientId, lateTags: late.tags, lateName: late.name, unreadIsAccessor: Object.getOwnPropertyDescriptor(late, "principalId")?.get !== undefined };
  };

  it("give the same values as the SDK's eager Outputs, read before or after the registration is answered", async () => {
    const lazy = await evaluateProgram({ project: "agent-identity", stack: "unit", config: {}, program });
    const eager = await evaluateProgram({ project: "agent-identity", stack: "unit", config: {}, program, sdkBookkeeping: true });
    const { unreadIsAccessor: lazyAccessor, ...lazyValues } = lazy.outputs;
    const { unreadIsAccessor: eagerAccessor, ...eagerValues } = eager.outputs;
    assert.deepStrictEqual(lazyValues, eagerValues);
    assert.deepStrictEqual(lazyValues, { earlyClientId: "<early.clientId>", lateClientId: "<late.clientId>", lateTags: { team: "a" }, lateName: "late" });
    assert.strictEqual(lazyAccessor, true, "a property nobody read has no Output yet");
    assert.strictEqual(eagerAccessor, false, "the SDK makes every Output up front");
  });

  it("keep a value assigned over a property, as the SDK's data property does", async () => {
    let assigned: unknown;
    await evaluateProgram({
      project: "agent-identity",
      stack: "unit",
      config: {},
      program: () => {
        const identity = new managedidentity.UserAssignedIdentity("id", { resourceGroupName: "rg" });
        (identity as unknown as { tenantId: unknown }).tenantId = "set by hand";
        assigned = identity.tenantId;
        return {};
      },
    });
    assert.strictEqual(assigned, "set by hand");
  });

  it("reject a read output when its registration fails", async () => {
    class RefusingMocks extends PlaceholderMocks {
      override newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        if (args.type === "azure-native:managedidentity:UserAssignedIdentity") throw new Error("refused by the test");
        return super.newResource(args);
      }
    }
    let seen: unknown;
    await evaluateProgram({
      project: "agent-identity",
      stack: "unit",
      config: {},
      mocks: new RefusingMocks(),
      program: async () => {
        const identity = new managedidentity.UserAssignedIdentity("id", { resourceGroupName: "rg" });
        seen = await (identity.clientId as unknown as { promise(): Promise<unknown> }).promise().then(
          () => "resolved",
          (err: Error) => err.message,
        );
        return {};
      },
    }).catch(() => undefined);
    assert.match(String(seen), /refused by the test/);
  });
});
