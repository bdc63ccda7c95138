import * as assert from "assert";
import { policies } from "../policy/policies";
import { PlannedResource } from "../plan/evaluate";
import { planOf } from "./helpers";
import { resourceViolations, runPack, stackViolations } from "./lib/policyHarness";

type Props = Record<string, any>;

/** Every violation of the pack over a plan's resources, as at preview. */
async function allViolations(resources: PlannedResource[]): Promise<string[]> {
  return (await runPack(resources)).violations;
}

const goodCluster = { oidcIssuerProfile: { enabled: true }, securityProfile: { workloadIdentity: { enabled: true } }, disableLocalAccounts: true };
const goodDeployment = (overrides: Props = {}) => ({
  metadata: { name: "agent", namespace: "agents" },
  spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true" } }, spec: { serviceAccountName: "agent", containers: [{ name: "agent", image: "registry.example.com/agent:1.0.0", env: [{ name: "LOG_LEVEL", value: "info" }] }] } } },
  ...overrides,
});
const annotatedSa = { metadata: { name: "agent", namespace: "agents", annotations: { "azure.workload.identity/client-id": "id" } } };
const policyRules = (approval: boolean, approvers: number, max: string) => ({
  rules: [
    { id: "Approval_EndUser_Assignment", setting: { isApprovalRequired: approval, approvalStages: [{ primaryApprovers: Array.from({ length: approvers }, () => ({ id: "g", userType: "Group" })) }] } },
    { id: "Expiration_EndUser_Assignment", isExpirationRequired: true, maximumDuration: max },
  ],
});

describe("policy pack", () => {
  it("has the eleven guardrails, all mandatory", () => {
    assert.deepStrictEqual(policies.map((p) => p.name), [
      "aks-workload-identity",
      "federated-credential-serviceaccount",
      "workload-identity-pods",
      "no-latest-image",
      "no-stored-credentials",
      "no-standing-sensitive-role",
      "pim-approval-and-cap",
      "no-app-registration-credentials",
      "federated-credential-cluster-issuer",
      "pim-eligibility-approval-policy",
      "pim-requires-audit-trail",
    ]);
    assert.ok(policies.every((p) => p.enforcementLevel === "mandatory"));
  });

  it("aks-workload-identity passes a secure cluster and rejects one without OIDC issuer, workload identity or with local accounts", async () => {
    const type = "azure-native:containerservice:ManagedCluster";
    assert.deepStrictEqual(await resourceViolations("aks-workload-identity", type, goodCluster), []);
    assert.strictEqual((await resourceViolations("aks-workload-identity", type, { ...goodCluster, oidcIssuerProfile: { enabled: false } })).length, 1);
    assert.strictEqual((await resourceViolations("aks-workload-identity", type, { ...goodCluster, securityProfile: {} })).length, 1);
    assert.match((await resourceViolations("aks-workload-identity", type, { ...goodCluster, disableLocalAccounts: false }))[0], /disableLocalAccounts/);
  });

  it("federated-credential-serviceaccount passes the exchange audience with a ServiceAccount subject and rejects others", async () => {
    const type = "azure-native:managedidentity:FederatedIdentityCredential";
    // Since issue 10 an AKS issuer is required too (federated-credential tests in policy.identity.test.ts).
    const issuer = "https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/";
    assert.deepStrictEqual(await resourceViolations("federated-credential-serviceaccount", type, { audiences: ["api://AzureADTokenExchange"], subject: "system:serviceaccount:agents:scanner", issuer }), []);
    assert.match((await resourceViolations("federated-credential-serviceaccount", type, { audiences: ["api://other"], subject: "system:serviceaccount:agents:scanner", issuer }))[0], /audiences/);
    assert.match((await resourceViolations("federated-credential-serviceaccount", type, { audiences: ["api://AzureADTokenExchange"], subject: "repo:fabrikam/agents:ref:refs/heads/main", issuer }))[0], /not a ServiceAccount subject/);
  });

  it("workload-identity-pods passes a labelled pod on an annotated ServiceAccount and rejects an unlabelled pod or a bare ServiceAccount", async () => {
    const deployment = "kubernetes:apps/v1:Deployment";
    const sa = "kubernetes:core/v1:ServiceAccount";
    assert.deepStrictEqual(await stackViolations("workload-identity-pods", [{ type: deployment, props: goodDeployment() }, { type: sa, props: annotatedSa }]), []);
    const unlabelled = goodDeployment();
    unlabelled.spec.template.metadata.labels = {} as never;
    assert.match((await stackViolations("workload-identity-pods", [{ type: deployment, props: unlabelled }, { type: sa, props: annotatedSa }]))[0], /lacks the label/);
    assert.match((await stackViolations("workload-identity-pods", [{ type: deployment, props: goodDeployment() }, { type: sa, props: { metadata: { name: "agent", namespace: "agents" } } }]))[0], /not a ServiceAccount of this stack annotated/);
  });

  it("no-latest-image passes pinned images and rejects latest and untagged ones", async () => {
    const type = "kubernetes:apps/v1:Deployment";
    assert.deepStrictEqual(await resourceViolations("no-latest-image", type, goodDeployment()), []);
    for (const image of ["registry.example.com/agent:latest", "registry.example.com/agent"]) {
      const d = goodDeployment();
      d.spec.template.spec.containers[0].image = image;
      assert.strictEqual((await resourceViolations("no-latest-image", type, d)).length, 1, image);
    }
  });

  it("no-stored-credentials passes plain variables and rejects credential variables, secret references and credential Secrets", async () => {
    const type = "kubernetes:apps/v1:Deployment";
    assert.deepStrictEqual(await resourceViolations("no-stored-credentials", type, goodDeployment()), []);
    const withKey = goodDeployment();
    withKey.spec.template.spec.containers[0].env = [{ name: "OPENAI_API_KEY", value: "sk-1" }];
    assert.strictEqual((await resourceViolations("no-stored-credentials", type, withKey)).length, 1);
    const fromSecret = goodDeployment();
    (fromSecret.spec.template.spec.containers[0] as Props).envFrom = [{ secretRef: { name: "creds" } }];
    assert.match((await resourceViolations("no-stored-credentials", type, fromSecret))[0], /envFrom reads Secret creds/);
    assert.deepStrictEqual(await resourceViolations("no-stored-credentials", "kubernetes:core/v1:Secret", { stringData: { "feature-flags.json": "{}" } }), []);
    assert.match((await resourceViolations("no-stored-credentials", "kubernetes:core/v1:Secret", { stringData: { "db-password": "hunter2" } }))[0], /looks like a credential/);
  });

  it("no-standing-sensitive-role passes a standing non-sensitive role and rejects standing access to a role behind PIM or listed in config", async () => {
    const eligibility = { type: "azure-native:authorization:PimRoleEligibilitySchedule", props: { roleDefinitionId: "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/SENSITIVE" } };
    const standing = (role: string) => ({ type: "azure-native:authorization:RoleAssignment", props: { roleDefinitionId: `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${role}` } });
    assert.deepStrictEqual(await stackViolations("no-standing-sensitive-role", [eligibility, standing("reader")]), []);
    assert.strictEqual((await stackViolations("no-standing-sensitive-role", [eligibility, standing("sensitive")])).length, 1);
    assert.strictEqual((await stackViolations("no-standing-sensitive-role", [standing("owner-guid")], { sensitiveRoleIds: ["OWNER-GUID"] })).length, 1);
  });

  it("pim-approval-and-cap passes approval with approvers and PT4H, and rejects no approval, no approvers or PT8H", async () => {
    const type = "azure-native:authorization:RoleManagementPolicy";
    assert.deepStrictEqual(await resourceViolations("pim-approval-and-cap", type, policyRules(true, 1, "PT4H")), []);
    assert.strictEqual((await resourceViolations("pim-approval-and-cap", type, policyRules(false, 1, "PT1H"))).length, 1);
    assert.strictEqual((await resourceViolations("pim-approval-and-cap", type, policyRules(true, 0, "PT1H"))).length, 1);
    assert.match((await resourceViolations("pim-approval-and-cap", type, policyRules(true, 1, "PT8H")))[0], /PT4H or less/);
  });

  it("no-app-registration-credentials passes an application without secrets and rejects passwords and certificates", async () => {
    assert.deepStrictEqual(await resourceViolations("no-app-registration-credentials", "azuread:index/application:Application", { displayName: "api" }), []);
    assert.strictEqual((await resourceViolations("no-app-registration-credentials", "azuread:index/application:Application", { displayName: "api", password: { displayName: "p" } })).length, 1);
    assert.strictEqual((await resourceViolations("no-app-registration-credentials", "azuread:index/applicationPassword:ApplicationPassword", {})).length, 1);
    assert.strictEqual((await resourceViolations("no-app-registration-credentials", "azuread:index/servicePrincipalCertificate:ServicePrincipalCertificate", {})).length, 1);
  });

  for (const stack of ["production", "staging"]) {
    it(`passes every resource of the ${stack} plan`, async () => {
      assert.deepStrictEqual(await allViolations((await planOf(stack)).resources), []);
    });
  }

  it("catches a standing assignment of the sensitive role slipped into the production graph", async () => {
    const resources = [...(await planOf("production")).resources];
    const eligibility = resources.find((r) => r.type === "azure-native:authorization:PimRoleEligibilitySchedule")!;
    resources.push({ ...eligibility, urn: "urn:sneaky", name: "sneaky", type: "azure-native:authorization:RoleAssignment" });
    assert.deepStrictEqual(await allViolations(resources), [`no-standing-sensitive-role: RoleAssignment sneaky gives standing access to sensitive role ${eligibility.inputs.roleDefinitionId!.toString().split("/").pop()}; make the principal eligible through PIM instead.`]);
  });
});
