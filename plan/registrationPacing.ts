/**
 * Paced registrations: the offline plan lets at most a fixed number of resource registrations start per
 * turn of the event loop, in the order the program created them.
 *
 * Why: a Pulumi program creates its resources synchronously (AgentPlatform's constructor builds every
 * agent before it returns), and each constructor starts an async registration (`prepareResource`,
 * `@pulumi/pulumi` runtime/resource.js) whose first `await` is reached before the constructor returns.
 * Without pacing, all registrations then advance together, one microtask step each, breadth first: the
 * serialized inputs, requests and answers of every resource of the stack are alive at once, survive every
 * young-generation collection and are copied into the old generation. The time per resource then grows
 * with the size of the stack (issue 12 measured twice the cost per agent at 1000 agents as at 100).
 * Released a batch at a time, a registration runs to its answer while its garbage is still young.
 *
 * How: the registration's first await is `gatherExplicitDependencies(opts.replaceWith)`
 * (runtime/resource.js `prepareResource`, called through the dependsOn module's exports). While a
 * registration is being started (inside runtime/resource.js `registerResource`, also called through its
 * module's exports from the Resource constructor), that call waits for a ticket; tickets are handed out
 * `batchSize` per `setImmediate`. Every other call of the function (the same registration's later
 * `dependsOn` gathering, invokes) goes straight through, so a registration waits at most once.
 *
 * Why this cannot change a plan: it only delays when a registration starts, preserving the creation
 * order; a registration that depends on another still waits for that one's outputs as before. The plan
 * records each request's content, not its timing, and sorts resources by URN. Tickets are handed out
 * while any are waiting, so no registration waits forever. The tests compare plans with and without.
 */
import * as dependsOnModule from "@pulumi/pulumi/runtime/dependsOn";
import * as resourceModule from "@pulumi/pulumi/runtime/resource";

type RegisterResource = (...args: unknown[]) => void;
type GatherExplicitDependencies = (dependsOn: unknown) => Promise<unknown[]>;

const resourceRuntime = resourceModule as unknown as { registerResource: RegisterResource };
const dependsOnRuntime = dependsOnModule as unknown as { gatherExplicitDependencies: GatherExplicitDependencies };

/** Registrations released per event-loop turn: measured with `npm run bench` (README, Benchmark). */
export const DEFAULT_REGISTRATIONS_PER_TURN = 100;

/** Puts the SDK's own functions back; returns nothing. */
export type RestorePacing = () => void;

/**
 * Starts pacing registrations, `batchSize` per event-loop turn (at least 1). Returns the function that
 * stops pacing; registrations already waiting are still released, in order.
 */
export function paceRegistrations(batchSize: number = DEFAULT_REGISTRATIONS_PER_TURN): RestorePacing {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Registrations per turn must be a positive integer, got ${batchSize}.`);
  }
  const originalRegister = resourceRuntime.registerResource;
  const originalGather = dependsOnRuntime.gatherExplicitDependencies;
  const waiting: Array<() => void> = [];
  let pumpScheduled = false;
  let starting = 0;

  const release = () => {
    pumpScheduled = false;
    for (const ticket of waiting.splice(0, batchSize)) ticket();
    if (waiting.length > 0) schedulePump();
  };
  const schedulePump = () => {
    if (!pumpScheduled) {
      pumpScheduled = true;
      setImmediate(release);
    }
  };

  resourceRuntime.registerResource = function registerResourcePaced(this: unknown, ...args: unknown[]) {
    starting++;
    try {
      return originalRegister.apply(this, args);
    } finally {
      starting--;
    }
  };
  dependsOnRuntime.gatherExplicitDependencies = (dependsOn) => {
    if (starting === 0) return originalGather(dependsOn);
    return new Promise<void>((ticket) => {
      waiting.push(ticket);
      schedulePump();
    }).then(() => originalGather(dependsOn));
  };

  return () => {
    resourceRuntime.registerResource = originalRegister;
    dependsOnRuntime.gatherExplicitDependencies = originalGather;
  };
}
