import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as azure from "@pulumi/azure-native";
import { JitAccess, ProviderIdentity, createPolicyNameResolver, setPolicyNameResolver } from "../../components";
import { OFFLINE_DEPLOYER, PlaceholderMocks } from "../../plan/placeholders";
import { ArmPimDouble, staticCredential } from "../runtime/armPimDouble";
import { evaluate } from "../helpers";

const SUBSCRIPTION = "6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13";
const OTHER_SUBSCRIPTION = "0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c";
const OTHER_TENANT = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
const OTHER_CLIENT = "11112222-3333-4444-5555-666677778888";
const ROLE_GUID = "11791261-ab49-5393-8893-3354070c5430";
const scopeIn = (subscription: string) => `/subscriptions/${subscription}/resourceGroups/fabrikam-customer-data`;

/**
 * The placeholder mocks, except that `getClientConfig` through an explicit azure-native provider answers
 * with that provider's own subscription, tenant and client (as the real provider does: its config).
 */
class ProviderAwareMocks extends PlaceholderMocks {
  private readonly providerInputs = new Map<string, Record<string, string>>();
  override newResource(args: pulumi.runtime.MockResourceArgs) {
    if (args.type === "pulumi:providers:azure-native") this.providerInputs.set(args.name, args.inputs);
    return super.newResource(args);
  }
  override call(args: pulumi.runtime.MockCallArgs) {
    const result = super.call(args);
    // A provider reference is "<urn>::<id>"; the URN ends with the provider's name.
    const inputs = args.provider ? this.providerInputs.get(args.provider.split("::").slice(-2)[0]) : undefined;
    if (args.token === "azure-native:authorization:getClientConfig" && inputs) {
      return { ...result, subscriptionId: inputs.subscriptionId, tenantId: inputs.tenantId, clientId: inputs.clientId };
    }
    return result;
  }
}

/** Evaluates a JitAccess (optionally under an explicit provider) and returns what the resolver was asked. */
async function lookupsOf(scope: string, opts: (p: () => pulumi.ProviderResource) => pulumi.ComponentResourceOptions = () => ({})) {
  const asked: Array<{ scope: string; provider?: ProviderIdentity }> = [];
  await evaluate(() => {
    // The evaluation installs its offline resolver first; this one, installed inside the program, records.
    setPolicyNameResolver(async (s, _role, provider) => {
      asked.push({ scope: s, provider });
      return "policy-guid";
    });
    const provider = () => new azure.Provider("other-tenant", { subscriptionId: OTHER_SUBSCRIPTION, tenantId: OTHER_TENANT, clientId: OTHER_CLIENT });
    return new JitAccess(
      "jit",
      {
        scope,
        roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID}`,
        roleName: "Sensitive Data Reader",
        approvers: [{ objectId: "33333333-3333-3333-3333-333333333333", type: "Group" }],
        eligibilityStart: "2026-12-01T00:00:00Z",
        eligible: [{ name: "scanner", principalId: "11111111-1111-1111-1111-111111111111", justification: "Scans customer data for secrets." }],
      },
      opts(provider),
    );
  }, new ProviderAwareMocks());
  return asked;
}

describe("the PIM policy lookup follows the stack's providers (no ambient credential)", () => {
  it("with the default provider, looks up as the default provider's principal (its getClientConfig)", async () => {
    const asked = await lookupsOf(scopeIn(SUBSCRIPTION));
    assert.deepStrictEqual(asked, [
      { scope: scopeIn(SUBSCRIPTION), provider: { subscriptionId: OFFLINE_DEPLOYER.subscriptionId, tenantId: OFFLINE_DEPLOYER.tenantId, clientId: OFFLINE_DEPLOYER.clientId } },
    ]);
  });

  for (const [how, opts] of [
    ["given as `provider`", (p: () => pulumi.ProviderResource) => ({ provider: p() })],
    ["given in `providers`", (p: () => pulumi.ProviderResource) => ({ providers: [p()] })],
  ] as const) {
    it(`with an explicit provider for another subscription and tenant ${how}, looks up as that provider's principal`, async () => {
      const asked = await lookupsOf(scopeIn(OTHER_SUBSCRIPTION), opts);
      assert.deepStrictEqual(asked, [{ scope: scopeIn(OTHER_SUBSCRIPTION), provider: { subscriptionId: OTHER_SUBSCRIPTION, tenantId: OTHER_TENANT, clientId: OTHER_CLIENT } }]);
    });
  }

  describe("the Azure resolver", () => {
    let arm: ArmPimDouble;
    beforeEach(async () => {
      arm = new ArmPimDouble();
      await arm.start();
    });
    afterEach(() => arm.stop());

    it("authenticates with the credential of the provider's tenant and client, and lists at the scope's subscription", async () => {
      arm.maximumDurations.set(ROLE_GUID, "PT8H");
      const credentialsFor: Array<ProviderIdentity | undefined> = [];
      const resolve = createPolicyNameResolver({
        endpoint: arm.url,
        clientOptions: { tlsOptions: { ca: arm.ca }, retryOptions: { maxRetries: 0 } },
        credentialFor: (provider) => {
          credentialsFor.push(provider);
          return staticCredential("other-deployer");
        },
      });
      const scope = scopeIn(OTHER_SUBSCRIPTION);
      const other = { subscriptionId: OTHER_SUBSCRIPTION, tenantId: OTHER_TENANT, clientId: OTHER_CLIENT };
      assert.strictEqual(await resolve(scope, `${scope}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUID}`, other), `policy-${ROLE_GUID}`);
      assert.deepStrictEqual(credentialsFor, [other]);
      const [request] = arm.requestsTo("GET", "roleManagementPolicyAssignments");
      assert.ok(request.path.startsWith(`${scope}/providers/Microsoft.Authorization/roleManagementPolicyAssignments`), request.path);
    });
  });
});
