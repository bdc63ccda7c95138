import * as assert from "assert";
import { Evaluation, PlannedResource } from "../plan/evaluate";
import { renderJson } from "../plan/render/json";
import { isPlaceholder } from "../plan/placeholders";
import { TYPES, evaluate, ofType, one, planOf } from "./helpers";
import { validateKubernetesObject } from "./k8sSchemas";

const PRODUCTION_AGENTS = ["security-scanner", "style-checker", "syntax-analyzer", "code-review-orchestrator"];
const K8S_PREFIX = "kubernetes:";

function childrenOf(plan: Evaluation, parent: PlannedResource): PlannedResource[] {
  return plan.resources.filter((r) => r.parent === parent.urn);
}

/** Every value in an object tree, with its path. */
function* leaves(value: unknown, path = ""): Generator<[string, unknown]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* leaves(value[i], `${path}[${i}]`);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) yield* leaves(v, path ? `${path}.${k}` : k);
  } else {
    yield [path, value];
  }
}

describe("the production stack", () => {
  let plan: Evaluation;
  before(async () => {
    plan = await planOf("production");
  });

  it("creates one cluster with the OIDC issuer and workload identity enabled and local accounts disabled", () => {
    const clusters = ofType(plan, TYPES.cluster);
    assert.strictEqual(clusters.length, 1);
    const i = clusters[0].inputs as any;
    assert.strictEqual(i.resourceName, "fabrikam-aks-cluster");
    assert.strictEqual(i.resourceGroupName, "fabrikam-agents-production");
    assert.strictEqual(i.oidcIssuerProfile.enabled, true);
    assert.strictEqual(i.securityProfile.workloadIdentity.enabled, true);
    assert.strictEqual(i.disableLocalAccounts, true);
  });

  for (const agent of PRODUCTION_AGENTS) {
    describe(`agent ${agent}`, () => {
      it("has its own managed identity", () => {
        const identity = one(plan, TYPES.identity, `platform-${agent}-identity`);
        assert.strictEqual(identity.inputs.resourceName, agent);
        assert.strictEqual(identity.inputs.resourceGroupName, "fabrikam-agents-production");
      });

      it("has a federated credential whose subject is its ServiceAccount, with the exchange audience and the cluster's issuer", () => {
        const credentials = ofType(plan, TYPES.credential).filter((c) => c.parent === one(plan, TYPES.identityComponent, `platform-${agent}`).urn);
        assert.strictEqual(credentials.length, 1);
        const [credential] = credentials;
        const sa = one(plan, TYPES.serviceAccount, `platform-${agent}-sa`).inputs as any;
        assert.strictEqual(credential.inputs.subject, `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`);
        assert.strictEqual(credential.inputs.subject, `system:serviceaccount:agents:${agent}`);
        assert.deepStrictEqual(credential.inputs.audiences, ["api://AzureADTokenExchange"]);
        assert.strictEqual(credential.inputs.issuer, "<platform-fabrikam-aks-cluster-aks.oidcIssuerProfile.issuerURL>", "the issuer is the cluster's output");
        assert.ok(credential.dependsOn.includes(one(plan, TYPES.cluster, "platform-fabrikam-aks-cluster-aks").urn), "the credential depends on the cluster");
        assert.strictEqual(credential.inputs.resourceName, agent);
      });

      it("has a ServiceAccount annotated with its identity's client and tenant id", () => {
        const sa = one(plan, TYPES.serviceAccount, `platform-${agent}-sa`);
        const annotations = (sa.inputs as any).metadata.annotations;
        assert.strictEqual(annotations["azure.workload.identity/client-id"], `<platform-${agent}-identity.clientId>`);
        assert.strictEqual(annotations["azure.workload.identity/tenant-id"], `<platform-${agent}-identity.tenantId>`);
        assert.ok(sa.dependsOn.includes(one(plan, TYPES.identity, `platform-${agent}-identity`).urn));
      });

      it("has a Deployment labelled for workload identity, on that ServiceAccount, started after its federation exists", () => {
        const deployment = one(plan, TYPES.deployment, `platform-${agent}-deployment`);
        const template = (deployment.inputs as any).spec.template;
        assert.strictEqual(template.metadata.labels["azure.workload.identity/use"], "true");
        assert.strictEqual(template.spec.serviceAccountName, agent);
        const credential = ofType(plan, TYPES.credential).find((c) => c.name === `platform-${agent}-fic-agents-${agent}`);
        assert.ok(credential && deployment.dependsOn.includes(credential.urn));
      });
    });
  }

  it("holds no Kubernetes Secret and no credential in any container environment", () => {
    assert.deepStrictEqual(ofType(plan, TYPES.secret), []);
    for (const d of ofType(plan, TYPES.deployment)) {
      for (const c of (d.inputs as any).spec.template.spec.containers) {
        assert.strictEqual(c.envFrom, undefined);
        for (const e of c.env ?? []) {
          assert.strictEqual(e.valueFrom, undefined, `${d.name} ${e.name} reads from another object`);
          assert.doesNotMatch(e.name, /SECRET|PASSWORD|TOKEN$|KEY$/);
        }
      }
    }
  });

  it("puts the agents in a namespace that enforces the restricted Pod Security Standard", () => {
    const ns = one(plan, TYPES.namespace, "platform-agents-namespace").inputs as any;
    assert.strictEqual(ns.metadata.name, "agents");
    assert.strictEqual(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
  });

  it("sends every Kubernetes object through the cluster's provider, and every Azure resource through the default one", () => {
    const provider = one(plan, TYPES.k8sProvider, "platform-fabrikam-aks-cluster-k8s");
    for (const r of plan.resources.filter((x) => x.type.startsWith(K8S_PREFIX))) {
      assert.strictEqual(r.provider, provider.urn, r.urn);
      assert.ok(r.dependsOn.length > 0 || r.type === TYPES.namespace, `${r.name} has dependencies`);
    }
    for (const r of plan.resources.filter((x) => x.type.startsWith("azure-native:"))) {
      assert.strictEqual(r.provider, null, r.urn);
    }
  });

  it("parents every resource: the platform under the stack, every other resource under a component", () => {
    const stack = one(plan, TYPES.stack, "agent-identity-production");
    const platform = one(plan, TYPES.platform, "platform");
    assert.strictEqual(platform.parent, stack.urn);
    const components = new Set(plan.resources.filter((r) => r.type.startsWith("agent-identity:")).map((r) => r.urn));
    for (const r of plan.resources) {
      if (r !== stack && r !== platform) {
        assert.ok(r.parent && components.has(r.parent), `${r.urn} has parent ${r.parent}`);
      }
    }
    assert.strictEqual(childrenOf(plan, platform).filter((r) => r.type === TYPES.identityComponent).length, PRODUCTION_AGENTS.length);
  });

  it("renders Kubernetes objects that are valid against the Kubernetes schemas", () => {
    const objects = plan.resources.filter((r) => r.type.startsWith(K8S_PREFIX) && r.type !== TYPES.k8sProvider);
    // Namespace and its default-deny policy; per agent a ServiceAccount, Deployment, Service and ingress policy.
    assert.strictEqual(objects.length, 2 + 4 * PRODUCTION_AGENTS.length);
    for (const r of objects) {
      assert.doesNotThrow(() => validateKubernetesObject(r.type, r.inputs), `${r.name} is not a valid ${r.type}`);
    }
  });

  it("has a schema check that catches an invalid object (the check itself can fail)", () => {
    const deployment = JSON.parse(JSON.stringify(one(plan, TYPES.deployment, "platform-security-scanner-deployment").inputs));
    deployment.spec.template.spec.securityContext.runAsNonRoot = "yes";
    assert.throws(() => validateKubernetesObject(TYPES.deployment, deployment), /runAsNonRoot must be boolean/);
  });

  it("exports the issuer and each agent's client id, principal id and subject", () => {
    assert.strictEqual(plan.outputs.oidcIssuerUrl, "<platform-fabrikam-aks-cluster-aks.oidcIssuerProfile.issuerURL>");
    const agents = plan.outputs.agents as Record<string, Record<string, string>>;
    assert.deepStrictEqual(Object.keys(agents).sort(), [...PRODUCTION_AGENTS].sort());
    assert.deepStrictEqual(agents["security-scanner"], {
      clientId: "<platform-security-scanner-identity.clientId>",
      principalId: "<platform-security-scanner-identity.principalId>",
      subject: "system:serviceaccount:agents:security-scanner",
    });
  });

  it("gives identical inputs on a second evaluation (no time, no randomness)", async () => {
    const again = await planOf("production");
    assert.strictEqual(renderJson(again), renderJson(plan));
  });

  it("marks every post-deployment value as a placeholder naming a resource of the plan or the invoke it comes from", () => {
    const names = new Set(plan.resources.map((r) => r.name));
    for (const r of plan.resources) {
      for (const [path, value] of leaves(r.inputs)) {
        if (typeof value === "string" && value.includes("<") && isPlaceholder(value)) {
          const source = value.slice(1, value.indexOf("."));
          assert.ok(names.has(source) || /^(get\w+|policyLookup\()/.test(source), `${r.name}.${path} = ${value} names no resource`);
        }
      }
    }
  });
});

describe("the staging stack", () => {
  it("is a smaller, separate environment: its own resource group and cluster, fewer agents", async () => {
    const staging = await planOf("staging");
    const cluster = one(staging, TYPES.cluster, "platform-fabrikam-aks-staging-aks").inputs as any;
    assert.strictEqual(cluster.resourceGroupName, "fabrikam-agents-staging");
    assert.strictEqual(cluster.oidcIssuerProfile.enabled, true);
    assert.strictEqual(cluster.securityProfile.workloadIdentity.enabled, true);
    assert.strictEqual(ofType(staging, TYPES.identity).length, 2);
    for (const r of staging.resources.filter((x) => x.type.startsWith(K8S_PREFIX) && x.type !== TYPES.k8sProvider)) {
      validateKubernetesObject(r.type, r.inputs);
    }
    for (const credential of ofType(staging, TYPES.credential)) {
      assert.strictEqual(credential.inputs.issuer, "<platform-fabrikam-aks-staging-aks.oidcIssuerProfile.issuerURL>");
    }
  });
});

describe("the component library", () => {
  it("registers nothing when imported", async () => {
    const componentsDir = require("path").resolve(__dirname, "..", "components");
    // The modules other tests hold stay the ones `require` returns afterwards.
    const loaded = Object.entries(require.cache).filter(([key]) => key.startsWith(componentsDir));
    try {
      const plan = await evaluate(() => {
        // Load the library afresh, so its top-level code really runs inside this evaluation.
        for (const [key] of loaded) delete require.cache[key];
        require("../components");
        return {};
      });
      assert.deepStrictEqual(plan.resources.map((r) => r.type), [TYPES.stack]);
    } finally {
      for (const [key, module] of loaded) require.cache[key] = module;
    }
  });
});

describe("the plan graph", () => {
  it("finds the longest chain through dependencies and providers: group, audit workspace, cluster, access, provider, namespace, ServiceAccount, Deployment", async () => {
    const { PlanGraph } = await import("../plan/graph");
    // Staging creates its group; production adopts an existing one, so its chain starts at the cluster.
    const plan = await planOf("staging");
    const chain = new PlanGraph(plan.resources).longestDependencyChain().map((urn) => plan.resources.find((r) => r.urn === urn)?.type);
    // The cluster's monitoring add-on names the audit workspace, so the cluster waits for it.
    assert.deepStrictEqual(chain, [TYPES.resourceGroup, "azure-native:operationalinsights:Workspace", TYPES.cluster, TYPES.roleAssignment, TYPES.k8sProvider, TYPES.namespace, TYPES.serviceAccount, TYPES.deployment]);
  });
});

describe("just-in-time access in the production stack", () => {
  let plan: Evaluation;
  before(async () => {
    plan = await planOf("production");
  });

  it("makes security-scanner's identity eligible for Sensitive Data Reader, with the custom role's id", () => {
    const eligibilities = ofType(plan, "azure-native:authorization:PimRoleEligibilitySchedule");
    assert.strictEqual(eligibilities.length, 1);
    const [e] = eligibilities;
    assert.strictEqual(e.inputs.principalId, "<platform-security-scanner-identity.principalId>");
    const role = one(plan, "azure-native:authorization:RoleDefinition", "platform-role-sensitive-data-reader-definition");
    assert.strictEqual((role.inputs as any).roleName, "Sensitive Data Reader");
    assert.strictEqual(e.inputs.roleDefinitionId, `${(role.inputs as any).scope}/providers/Microsoft.Authorization/roleDefinitions/${(role.inputs as any).roleDefinitionId}`);
  });

  it("has a policy for that role and scope requiring the configured approvers, justification, and at most PT4H", () => {
    const [policy] = ofType(plan, "azure-native:authorization:RoleManagementPolicy");
    const [eligibility] = ofType(plan, "azure-native:authorization:PimRoleEligibilitySchedule");
    assert.strictEqual(policy.inputs.scope, eligibility.inputs.scope);
    const rules = Object.fromEntries((policy.inputs.rules as any[]).map((r) => [r.id, r]));
    assert.strictEqual(rules.Approval_EndUser_Assignment.setting.isApprovalRequired, true);
    assert.deepStrictEqual(rules.Approval_EndUser_Assignment.setting.approvalStages[0].primaryApprovers.map((a: any) => a.id), ["4b8e2f6a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"]);
    const minutes = Number(/^PT(\d+)H$/.exec(rules.Expiration_EndUser_Assignment.maximumDuration)?.[1]) * 60;
    assert.ok(minutes >= 60 && minutes <= 240);
    assert.ok(rules.Enablement_EndUser_Assignment.enabledRules.includes("Justification"));
  });

  it("assigns Sensitive Data Reader standing to no one", () => {
    const role = one(plan, "azure-native:authorization:RoleDefinition", "platform-role-sensitive-data-reader-definition");
    const roleGuid = String((role.inputs as any).roleDefinitionId);
    for (const grant of ofType(plan, TYPES.roleAssignment)) {
      assert.ok(!String(grant.inputs.roleDefinitionId).endsWith(roleGuid), `${grant.name} is a standing assignment of the sensitive role`);
    }
  });

  it("gives standing least-privilege assignments to the agents' identities as service principals, with GUID names", () => {
    const grants = ofType(plan, TYPES.roleAssignment).filter((g) => g.parent?.includes(TYPES.identityComponent));
    assert.deepStrictEqual(grants.map((g) => g.inputs.principalId).sort(), ["<platform-code-review-orchestrator-identity.principalId>", "<platform-security-scanner-identity.principalId>"]);
    for (const g of grants) {
      assert.strictEqual(g.inputs.principalType, "ServicePrincipal");
      assert.match(String(g.inputs.roleAssignmentName), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe("caller identity between agents in the production stack", () => {
  const SPECIALISTS = ["security-scanner", "style-checker", "syntax-analyzer"];
  const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
  let plan: Evaluation;
  before(async () => {
    plan = await planOf("production");
  });

  function envOf(agent: string): Record<string, string> {
    const container = (one(plan, TYPES.deployment, `platform-${agent}-deployment`).inputs as any).spec.template.spec.containers[0];
    return Object.fromEntries((container.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
  }

  it("registers an API only for the orchestrator, the one agent others call, with v2 tokens and an app role", () => {
    const apps = ofType(plan, "azuread:index/application:Application");
    assert.deepStrictEqual(apps.map((a) => a.name), ["platform-code-review-orchestrator-app"]);
    const app = apps[0].inputs as any;
    assert.strictEqual(app.api.requestedAccessTokenVersion, 2);
    assert.strictEqual(app.appRoles[0].value, "Agent.Invoke");
  });

  it("grants the app role to the three specialists' identities and no one else", () => {
    const grants = ofType(plan, "azuread:index/appRoleAssignment:AppRoleAssignment");
    assert.deepStrictEqual(grants.map((g) => g.inputs.principalObjectId).sort(), SPECIALISTS.map((s) => `<platform-${s}-identity.principalId>`));
  });

  it("gives the orchestrator's Deployment its validation settings from the graph: tenant, audience, issuer, allowed callers", () => {
    const env = envOf("code-review-orchestrator");
    assert.strictEqual(env.AGENT_AUTH_ALLOWED_CALLERS, SPECIALISTS.map((s) => `<platform-${s}-identity.principalId>`).join(","));
    assert.strictEqual(env.AGENT_AUTH_AUDIENCE, "<platform-code-review-orchestrator-app.clientId>");
    assert.strictEqual(env.AGENT_AUTH_TENANT_ID, "<platform-code-review-orchestrator-identity.tenantId>");
    assert.strictEqual(env.AGENT_AUTH_ISSUER, "https://login.microsoftonline.com/<platform-code-review-orchestrator-identity.tenantId>/v2.0");
    assert.strictEqual(env.AGENT_AUTH_REQUIRED_ROLE, "Agent.Invoke");
    const deployment = one(plan, TYPES.deployment, "platform-code-review-orchestrator-deployment");
    for (const s of SPECIALISTS) {
      assert.ok(deployment.dependsOn.includes(one(plan, TYPES.identity, `platform-${s}-identity`).urn), `the orchestrator waits for ${s}'s identity`);
    }
  });

  it("tells each specialist where the orchestrator is and which token scope to ask for", () => {
    for (const s of SPECIALISTS) {
      assert.deepStrictEqual(JSON.parse(envOf(s).AGENT_CALLEES), {
        "code-review-orchestrator": { url: "http://code-review-orchestrator.agents.svc.cluster.local:8080", scope: "api://<platform-code-review-orchestrator-app.clientId>/.default" },
      });
      assert.strictEqual(envOf(s).AGENT_AUTH_AUDIENCE, undefined, "nobody calls a specialist");
    }
  });

  it("denies all ingress by default and admits only the three specialists' pods to the orchestrator's port", () => {
    const deny = one(plan, POLICY, "platform-agents-default-deny-ingress").inputs as any;
    assert.deepStrictEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress"] });
    const orchestrator = one(plan, POLICY, "platform-code-review-orchestrator-ingress").inputs as any;
    assert.deepStrictEqual(orchestrator.spec.podSelector, { matchLabels: { "app.kubernetes.io/name": "code-review-orchestrator" } });
    assert.deepStrictEqual(orchestrator.spec.ingress, [
      { from: [{ podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: SPECIALISTS }] } }], ports: [{ port: 8080, protocol: "TCP" }] },
    ]);
    assert.deepStrictEqual(orchestrator.spec.policyTypes, ["Ingress"], "egress (DNS included) is not restricted");
    for (const s of SPECIALISTS) {
      assert.deepStrictEqual((one(plan, POLICY, `platform-${s}-ingress`).inputs as any).spec.ingress, [], `${s} admits no one`);
    }
  });
});
