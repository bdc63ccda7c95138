/**
 * What a first real `pulumi up` meets and the mock runtime does not: one test per behaviour of the real
 * providers and of Azure, each naming its source, asserted on the production and staging plans.
 * (DESIGN.md §6 lists the behaviours; issue 8 found them.)
 */
import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { parse } from "yaml";
import { PROJECT_DIR } from "../../plan";
import type { Evaluation, PlannedResource } from "../../plan/evaluate";
import { validateStackConfig, rawConfigFromPulumi } from "../../config/load";
import { pinnedVersionConflict } from "../../config/schema";
import { supportedAksMinors, unsupportedAksVersionReason } from "../../rules/aksVersions";
import { resourceGroupOfScope } from "../../rules/formats";
import { TYPES, evaluate, ofType, one, planOf, stackFileConfig } from "../helpers";
import { durationDays, pimEligibilityInputsToSdkFailure } from "./providerModels";

const STACKS = ["production", "staging"] as const;
const ELIGIBILITY = "azure-native:authorization:PimRoleEligibilitySchedule";
const POLICY = "azure-native:authorization:RoleManagementPolicy";
const ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

const plans: Record<string, Evaluation> = {};
const configOf = (stack: string) => validateStackConfig(rawConfigFromPulumi(stackFileConfig(stack)));

before(async () => {
  for (const stack of STACKS) plans[stack] = await planOf(stack);
});

describe("a first real pulumi up: PIM eligibilities (azure-native custom resource)", () => {
  // Source: pulumi-azure-native provider/pkg/resources/customresources/custom_pim_eligibility.go, inputsToSdk.
  it("the provider's own input conversion accepts every eligibility of both plans (no panic on a missing duration)", () => {
    const eligibilities = STACKS.flatMap((s) => ofType(plans[s], ELIGIBILITY));
    assert.ok(eligibilities.length > 0, "production has JIT");
    for (const e of eligibilities) {
      assert.strictEqual(pimEligibilityInputsToSdkFailure(e.inputs), undefined, e.urn);
    }
  });

  it("the model of the provider really fails on what the program used to send ({type: NoExpiration} without a duration)", () => {
    const old = { scope: "/subscriptions/x", principalId: "p", roleDefinitionId: "r", scheduleInfo: { expiration: { type: "NoExpiration" } } };
    assert.match(String(pimEligibilityInputsToSdkFailure(old)), /^panic: .*expiration\.duration/);
    assert.match(String(pimEligibilityInputsToSdkFailure({ ...old, scheduleInfo: { startDateTime: "2026-12-01", expiration: { type: "AfterDuration", duration: "P1D" } } })), /invalid start time/);
  });

  // Source: azure-rest-api-specs Microsoft.Authorization stable/2020-10-01 examples PutRoleEligibilityScheduleRequest.json
  // (startDateTime + {type: AfterDuration, duration}); PatchRoleManagementPolicy.json (Expiration_Admin_Eligibility).
  it("sends a fixed start from config and a duration the role's policy allows, and replaces delete-first", () => {
    const config = configOf("production");
    for (const e of ofType(plans.production, ELIGIBILITY)) {
      const info = e.inputs.scheduleInfo as { startDateTime: string; expiration: { type: string; duration: string } };
      assert.strictEqual(info.startDateTime, config.pim.eligibilityStart);
      assert.strictEqual(info.expiration.type, "AfterDuration");
      const policy = plans.production.resources.find((r) => r.type === POLICY && r.parent === e.parent)!;
      const cap = (policy.inputs.rules as Array<{ id: string; maximumDuration?: string; isExpirationRequired?: boolean }>).find((r) => r.id === "Expiration_Admin_Eligibility")!;
      assert.strictEqual(cap.isExpirationRequired, true);
      assert.ok(durationDays(info.expiration.duration)! <= durationDays(cap.maximumDuration!)!, `${info.expiration.duration} exceeds the policy's ${cap.maximumDuration}`);
      // The provider replaces on any change and finds schedules by (scope, principal, role): create-first would collide.
      assert.strictEqual(e.options.deleteBeforeReplace, true);
    }
  });

  it("a second evaluation gives the same eligibility inputs (nothing depends on the clock)", async () => {
    const again = await planOf("production");
    assert.deepStrictEqual(ofType(again, ELIGIBILITY), ofType(plans.production, ELIGIBILITY));
  });
});

describe("a first real pulumi up: role assignments and principal types", () => {
  // Source: @pulumi/azure-native authorization/roleAssignment.js: `principalType = args?.principalType ?? "User"`.
  it("the SDK fills principalType \"User\" when a RoleAssignment leaves it unset (what the deployer's grant used to send)", async () => {
    const plan = await evaluate(() => new authorization.RoleAssignment("bare", { scope: "/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13", principalId: "p", roleDefinitionId: "r" }));
    assert.strictEqual(one(plan, TYPES.roleAssignment, "bare").inputs.principalType, "User");
  });

  // Azure refuses a principalType that does not match the principal: UnmatchedPrincipalType.
  for (const stack of STACKS) {
    it(`${stack}: every assignment declares the type of the principal it names (managed identities and the kubelet are service principals; the deployer is what config says)`, () => {
      const config = configOf(stack);
      for (const grant of ofType(plans[stack], TYPES.roleAssignment)) {
        const principal = String(grant.inputs.principalId);
        const expected = principal.startsWith("<getClientConfig.") ? config.deployerPrincipalType : "ServicePrincipal";
        assert.strictEqual(grant.inputs.principalType, expected, `${grant.name} names ${principal}`);
      }
    });
  }

  it("both stack files declare the deployer the deploy workflow really is: a service principal logged in with OIDC", () => {
    const deploy = parse(readFileSync(path.join(PROJECT_DIR, ".github", "workflows", "deploy.yml"), "utf8"));
    const stacksDeployed = Object.values(deploy.jobs as Record<string, { steps: Array<{ uses?: string; with?: Record<string, string> }> }>).flatMap((job) =>
      job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up").map((s) => s.with!["stack-name"]),
    );
    assert.deepStrictEqual([...new Set(stacksDeployed)].sort(), ["production", "staging"]);
    for (const stack of STACKS) assert.strictEqual(configOf(stack).deployerPrincipalType, "ServicePrincipal", stack);
  });
});

describe("a first real pulumi up: the resource group and the scopes inside it", () => {
  // azure-native checks that a resource does not exist before it creates it (refuses to adopt silently), and
  // Azure answers 404/400 to an assignment at a scope that does not exist.
  for (const stack of STACKS) {
    it(`${stack}: no assignment or eligibility targets a resource below a group the stack creates, unless the stack creates it too`, () => {
      const plan = plans[stack];
      const createdGroups = ofType(plan, TYPES.resourceGroup).map((g) => String(g.inputs.resourceGroupName).toLowerCase());
      const created = new Set(ofType(plan, TYPES.cluster).map((c) => `${String(c.inputs.resourceGroupName).toLowerCase()}/${String(c.inputs.resourceName).toLowerCase()}`));
      for (const r of [...ofType(plan, TYPES.roleAssignment), ...ofType(plan, ELIGIBILITY)]) {
        const scope = String(r.inputs.scope);
        if (scope.startsWith("<")) continue; // an output of a resource of the stack (the cluster's id)
        const group = resourceGroupOfScope(scope)?.toLowerCase();
        if (group === undefined || !createdGroups.includes(group) || !/\/providers\//i.test(scope)) continue;
        assert.ok(created.has(`${group}/${scope.split("/").pop()!.toLowerCase()}`), `${r.name} targets ${scope}, inside a group this stack creates`);
      }
    });
  }

  it("production adopts its existing group (it holds the storage and OpenAI accounts the agents use); staging creates its own", () => {
    assert.deepStrictEqual(ofType(plans.production, TYPES.resourceGroup), []);
    assert.strictEqual(ofType(plans.staging, TYPES.resourceGroup).length, 1);
  });
});

describe("a first real pulumi up: the Kubernetes version", () => {
  // learn.microsoft.com/azure/aks/supported-kubernetes-versions (release calendar; AKS refuses unsupported versions)
  // and auto-upgrade: a pinned version resent after a channel upgrade is a refused downgrade (OperationNotAllowed).
  for (const stack of STACKS) {
    it(`${stack}: the cluster is not pinned against its upgrade channel and pins only a supported version`, () => {
      for (const cluster of ofType(plans[stack], TYPES.cluster)) {
        const version = cluster.inputs.kubernetesVersion as string | undefined;
        const channel = (cluster.inputs.autoUpgradeProfile as { upgradeChannel: string }).upgradeChannel;
        if (version === undefined) continue;
        assert.strictEqual(pinnedVersionConflict(version, channel), undefined);
        assert.strictEqual(unsupportedAksVersionReason(version), undefined);
      }
    });
  }

  it("production and staging leave the version to AKS and the channel", () => {
    for (const stack of STACKS) assert.strictEqual(one(plans[stack], TYPES.cluster, `platform-${configOf(stack).cluster.name}-aks`).inputs.kubernetesVersion, undefined);
  });

  it("1.33, which left AKS support on 2026-07-31, is refused; 1.35-1.37 are offered by the calendar", () => {
    assert.match(String(unsupportedAksVersionReason("1.33")), /leaves AKS support on 2026-07-31/);
    assert.deepStrictEqual(supportedAksMinors(), ["1.35", "1.36", "1.37"]);
  });
});

describe("a first real pulumi up: pulling the agents' images", () => {
  // learn.microsoft.com/azure/aks/cluster-container-registry-integration: the kubelet identity pulls images
  // and needs AcrPull (7f951dda-4ed3-4680-a7ca-43fe172d538d) on the registry, or pods sit in ImagePullBackOff.
  for (const stack of STACKS) {
    it(`${stack}: the kubelet identity holds AcrPull on every Azure registry an agent image comes from, before the Deployments roll out`, () => {
      const plan = plans[stack];
      const clusterName = ofType(plan, TYPES.cluster)[0].name;
      const pulls = ofType(plan, TYPES.roleAssignment).filter((g) => String(g.inputs.roleDefinitionId).endsWith(`/roleDefinitions/${ACR_PULL}`));
      for (const deployment of ofType(plan, TYPES.deployment)) {
        const images = ((deployment.inputs.spec as any).template.spec.containers as Array<{ image: string }>).map((c) => c.image);
        for (const image of images.filter((i) => /\.azurecr\.io\//.test(i))) {
          const registry = image.split(".")[0];
          const grant = pulls.find((g) => String(g.inputs.scope).toLowerCase().endsWith(`/registries/${registry}`));
          assert.ok(grant, `no AcrPull on ${registry} for ${image}`);
          assert.strictEqual(grant.inputs.principalId, `<${clusterName}.identityProfile.kubeletidentity.objectId>`);
          assert.strictEqual(grant.inputs.principalType, "ServicePrincipal");
          assert.ok(deployment.dependsOn.includes(grant.urn), `${deployment.name} does not wait for the pull grant`);
        }
      }
      assert.ok(pulls.length > 0);
    });
  }
});

describe("a first real pulumi up: URNs the engine will use", () => {
  // The engine qualifies a child's type with the whole chain of its parents' types, leaving out the root stack;
  // the SDK computes alias URNs the same way (@pulumi/pulumi resource.ts createUrn). The mock monitor
  // (runtime/mocks.ts newUrn) keeps only the immediate parent; the plan must show the engine's URNs.
  for (const stack of STACKS) {
    it(`${stack}: every URN equals the SDK's createUrn from its name, type and parent chain`, async () => {
      const plan = plans[stack];
      const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
      for (const r of plan.resources) {
        const parent: PlannedResource | undefined = r.parent ? byUrn.get(r.parent) : undefined;
        assert.ok(r.parent === null || parent, `${r.urn}: parent ${r.parent} is not in the plan`);
        const expected = await new Promise<string>((resolve) => pulumi.createUrn(r.name, r.type, r.parent ?? undefined, plan.project, plan.stack).apply(resolve));
        assert.strictEqual(r.urn, expected);
      }
      const fic = plan.resources.find((r) => r.type === TYPES.credential)!;
      assert.match(fic.urn, /::agent-identity:index:AgentPlatform\$agent-identity:index:AgentIdentity\$azure-native:managedidentity:FederatedIdentityCredential::/);
    });
  }
});
