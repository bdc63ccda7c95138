/**
 * A plan of many agents without evaluating them all: the real program is evaluated once with three
 * agents in a call chain (bench/syntheticStack.ts), then the first, a middle and the last agent's
 * resources are copied with their names shifted, so agent i calls agent i+1 as in the synthetic stack.
 */
import type { Plan, PlannedResource } from "../../plan/evaluate";
import { planStack } from "../../plan";
import { syntheticStackConfig } from "../../bench/syntheticStack";

const agentName = (i: number) => `agent-${String(i).padStart(4, "0")}`;

/** The template agent (0, 1 or 2) a resource belongs to: its logical name starts with the agent's name (after the platform's). */
function ownerOf(r: PlannedResource): number | undefined {
  const match = /^(?:platform-)?agent-000([012])(?:-|$)/.exec(r.name);
  return match ? Number(match[1]) : undefined;
}

/** A plan of `agentCount` (at least 3) agents, shaped exactly like the program's own plan of three. */
export async function syntheticPlan(agentCount: number): Promise<Plan> {
  if (agentCount < 3) throw new Error("syntheticPlan needs at least 3 agents");
  const small = await planStack("bench", syntheticStackConfig(3));
  const shared = small.resources.filter((r) => ownerOf(r) === undefined);
  const templates = [0, 1, 2].map((t) => JSON.stringify(small.resources.filter((r) => ownerOf(r) === t)));
  const resources = [...shared];
  for (let i = 0; i < agentCount; i++) {
    const t = i === 0 ? 0 : i === agentCount - 1 ? 2 : 1;
    const copied = templates[t].replace(/agent-000([012])/g, (_, d: string) => agentName(i + Number(d) - t));
    resources.push(...(JSON.parse(copied) as PlannedResource[]));
  }
  resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { project: small.project, stack: small.stack, resources };
}
