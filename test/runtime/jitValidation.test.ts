/**
 * Everything a request carries is checked before the client talks to Azure: the scope (pasted
 * unencoded into request URLs; the spec marks it `x-ms-skip-url-encoding`, azure-rest-api-specs
 * specification/authorization/resource-manager/Microsoft.Authorization/stable/2020-10-01/RoleAssignmentScheduleRequest.json),
 * durations (PIM: at least 5 minutes; "Activation maximum duration ... can be from 1 to 24 hours",
 * learn.microsoft.com "Configure Azure resource role settings in PIM", MicrosoftDocs/entra-docs
 * docs/id-governance/privileged-identity-management/pim-resource-roles-configure-role-settings.md),
 * the approval wait ("Delegated approvers have 24 hours to approve requests", same repository,
 * pim-resource-roles-approval-workflow.md) and the poll interval (at least 1 s). Credential failures
 * become one line with the fix.
 */
import * as assert from "assert";
import { AuthenticationError, CredentialUnavailableError, AggregateAuthenticationError } from "@azure/identity";
import {
  CredentialRefusedError,
  DurationExceedsPolicyError,
  InvalidDurationError,
  InvalidOptionError,
  InvalidScopeError,
  JitClientOptions,
  JitError,
  NoCredentialError,
  releaseActivation,
  requestActivation,
} from "@agent-identity/jit";
import { ArmPimDouble } from "./armPimDouble";
import { AGENT_OID, JUSTIFICATION, ROLE_GUID, SCOPE, useArmDouble } from "./jitFixture";

const SUBSCRIPTION = "6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13";

describe("@agent-identity/jit: input checked before anything is sent", () => {
  let arm: ArmPimDouble;
  let options: JitClientOptions;
  useArmDouble((a, o) => ((arm = a), (options = o)));

  const ask = (overrides: Record<string, unknown> = {}, opts: JitClientOptions = options) =>
    requestActivation(
      { scope: SCOPE, role: "Sensitive Data Reader", duration: "PT2H", justification: JUSTIFICATION, pollIntervalMs: 1000, maxPollIntervalMs: 1000, ...overrides } as Parameters<typeof requestActivation>[0],
      opts,
    );

  describe("the scope", () => {
    const refused: Array<[string, RegExp]> = [
      ["", /empty/],
      [`subscriptions/${SUBSCRIPTION}`, /does not start with \//],
      ["/subscriptions/not-a-guid", /not a subscription, resource group/],
      [`${SCOPE}/../../other-sub`, /'\.\.'/],
      [`/subscriptions/${SUBSCRIPTION}/resourceGroups/..`, /'\.\.'/],
      [`${SCOPE}?api-version=2015-07-01`, /query/],
      [`${SCOPE}#fragment`, /fragment/],
      [`${SCOPE}%2F..%2Fother`, /percent-encoding/],
      [`/subscriptions/${SUBSCRIPTION}%2fresourceGroups%2fx`, /percent-encoding/],
      [`${SCOPE} `, /whitespace/],
      [`${SCOPE}\n/extra`, /whitespace/],
      [`${SCOPE}/`, /ends with \//],
      [`/subscriptions/${SUBSCRIPTION}//resourceGroups/x`, /empty segment/],
      [`${SCOPE}/./x`, /'\.' segment/],
      [`${SCOPE}\\x`, /backslash/],
      [`${SCOPE}/providers/Microsoft.Storage`, /not a subscription, resource group/],
      [`${SCOPE}/providers/Microsoft.Storage/storageAccounts`, /not a subscription, resource group/],
      [`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg./`, /ends with \//],
      [`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg.`, /cannot end with '\.'/],
      [`https://management.azure.com${SCOPE}`, /does not start with \//],
      ["/providers/Microsoft.Management/managementGroups", /not a subscription, resource group/],
      ["/", /ends with \//],
      [`/subscriptions/${SUBSCRIPTION}/resourcegroups/${"r".repeat(91)}`, /not a subscription, resource group/],
    ];

    it("refuses what is not a plain ARM scope (.., query, fragment, encoded slashes, whitespace, ...) with ERR_JIT_INVALID_SCOPE and sends nothing", async () => {
      for (const [scope, reason] of refused) {
        await assert.rejects(ask({ scope }), (err: unknown) => {
          assert.ok(err instanceof InvalidScopeError, `${JSON.stringify(scope)}: ${String(err)}`);
          assert.strictEqual(err.code, "ERR_JIT_INVALID_SCOPE");
          assert.strictEqual(err.scope, scope);
          assert.match(err.message, reason, JSON.stringify(scope));
          assert.match(err.message, /Fix: pass \/subscriptions\//);
          return true;
        });
      }
      assert.deepStrictEqual(arm.log, [], "the double received nothing");
    });

    it("refuses a scope that is not a string", async () => {
      for (const scope of [undefined, null, 42, { toString: () => SCOPE }]) {
        await assert.rejects(ask({ scope }), InvalidScopeError);
      }
      assert.deepStrictEqual(arm.log, []);
    });

    it("refuses a bad scope on release too, before anything is sent", async () => {
      await assert.rejects(releaseActivation({ scope: `${SCOPE}/..`, role: "Sensitive Data Reader" }, options), InvalidScopeError);
      await assert.rejects(releaseActivation({ scope: SCOPE, role: " " }, options), InvalidOptionError);
      assert.deepStrictEqual(arm.log, []);
    });

    it("accepts scopes case-insensitively: upper-case segments and GUID reach Azure as given", async () => {
      const upper = `/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/RESOURCEGROUPS/fabrikam-customer-data`;
      const activation = await ask({ scope: upper, role: ROLE_GUID });
      assert.strictEqual(activation.status, "Provisioned");
      assert.strictEqual(arm.requestsTo("PUT", "roleAssignmentScheduleRequests")[0].path.startsWith(upper), true);
    });

    it("accepts a subscription, a resource (with child types) and a management group as scopes", async () => {
      const scopes = [
        `/subscriptions/${SUBSCRIPTION}`,
        `${SCOPE}/providers/Microsoft.Storage/storageAccounts/fabrikamcustomerdata`,
        `${SCOPE}/providers/Microsoft.Storage/storageAccounts/fabrikamcustomerdata/blobServices/default/containers/records`,
        "/providers/Microsoft.Management/managementGroups/fabrikam-platform",
      ];
      for (const scope of scopes) {
        arm.eligibilities.push({ principalId: AGENT_OID, roleGuid: ROLE_GUID, roleName: "Sensitive Data Reader", scope });
        const activation = await ask({ scope });
        assert.strictEqual(activation.scope, scope);
        assert.ok(arm.requestsTo("PUT", "roleAssignmentScheduleRequests").some((r) => r.path.startsWith(`${scope}/providers/Microsoft.Authorization/`)), scope);
      }
    });
  });

  describe("durations and timings", () => {
    it("refuses an activation above PIM's PT24H limit locally, even when the policy would allow more", async () => {
      arm.maximumDurations.set(ROLE_GUID, "PT48H");
      for (const duration of ["PT25H", "PT24H1M", "PT1441M", "PT99999H"]) {
        await assert.rejects(ask({ duration }), (err: unknown) => err instanceof InvalidDurationError && /PT24H/.test(err.message));
      }
      assert.deepStrictEqual(arm.log, []);
    });

    it("accepts the bounds: PT5M, and PT24H when the policy allows it", async () => {
      assert.strictEqual((await ask({ duration: "PT5M" })).status, "Provisioned");
      arm.maximumDurations.set(ROLE_GUID, "PT24H");
      const day = await ask({ duration: "PT24H" });
      assert.strictEqual(day.expiresAt.getTime() - day.activatedAt.getTime(), 24 * 3_600_000);
    });

    it("still refuses a duration above the policy's maximum (PT4H) after the lookup, before the activation request", async () => {
      await assert.rejects(ask({ duration: "PT4H1M" }), DurationExceedsPolicyError);
      assert.deepStrictEqual(arm.requestsTo("PUT", "roleAssignmentScheduleRequests"), []);
    });

    it("refuses a non-string duration", async () => {
      await assert.rejects(ask({ duration: 7200 }), InvalidDurationError);
      assert.deepStrictEqual(arm.log, []);
    });

    const badTimings: Array<[string, Record<string, unknown>]> = [
      ["pollIntervalMs", { pollIntervalMs: 999 }],
      ["pollIntervalMs", { pollIntervalMs: 0 }],
      ["pollIntervalMs", { pollIntervalMs: -5 }],
      ["pollIntervalMs", { pollIntervalMs: Number.NaN }],
      ["pollIntervalMs", { pollIntervalMs: "5000" }],
      ["maxPollIntervalMs", { pollIntervalMs: 5000, maxPollIntervalMs: 4000 }],
      ["maxPollIntervalMs", { maxPollIntervalMs: Infinity }],
      ["timeoutMs", { timeoutMs: 0 }],
      ["timeoutMs", { timeoutMs: 999 }],
      ["timeoutMs", { timeoutMs: 24 * 3_600_000 + 1 }],
      ["timeoutMs", { timeoutMs: Number.POSITIVE_INFINITY }],
      ["timeoutMs", { timeoutMs: "30m" }],
    ];

    it("refuses a poll interval under 1 s, a maximum under the interval, and a timeout outside 1 s..24 h, naming the field", async () => {
      for (const [field, overrides] of badTimings) {
        await assert.rejects(ask(overrides), (err: unknown) => {
          assert.ok(err instanceof InvalidOptionError, `${JSON.stringify(overrides)}: ${String(err)}`);
          assert.strictEqual(err.code, "ERR_JIT_INVALID_OPTION");
          assert.strictEqual(err.field, field);
          assert.match(err.message, new RegExp(`^${field} .*Fix: `));
          return true;
        });
      }
      assert.deepStrictEqual(arm.log, []);
    });

    it("accepts a 1 s poll interval and the 24 h timeout", async () => {
      const activation = await ask({ pollIntervalMs: 1000, maxPollIntervalMs: 1000, timeoutMs: 24 * 3_600_000 });
      assert.strictEqual(activation.status, "Provisioned");
    });

    it("refuses a blank justification or role, and a signal that is not an AbortSignal", async () => {
      await assert.rejects(ask({ justification: "   " }), (err: unknown) => err instanceof JitError && err.code === "ERR_JIT_NO_JUSTIFICATION");
      await assert.rejects(ask({ role: "" }), (err: unknown) => err instanceof InvalidOptionError && err.field === "role");
      await assert.rejects(ask({ signal: { aborted: false } }), (err: unknown) => err instanceof InvalidOptionError && err.field === "signal");
      assert.deepStrictEqual(arm.log, []);
    });
  });

  describe("credential failures", () => {
    const failingCredential = (error: Error) => ({
      getToken: async () => {
        throw error;
      },
    });
    const oneLine = (message: string) => assert.ok(!/[\r\n]/.test(message), `one line: ${message}`);

    it("no credential available (DefaultAzureCredential's chain) is ERR_JIT_NO_CREDENTIAL, one line with the fix", async () => {
      const chain = new AggregateAuthenticationError(
        [
          new CredentialUnavailableError("EnvironmentCredential is unavailable. No underlying credential could be used.\nTo troubleshoot, visit https://aka.ms/azsdk/js/identity/environmentcredential/troubleshoot."),
          new CredentialUnavailableError("WorkloadIdentityCredential: is unavailable. tenantId, clientId, and federatedTokenFilePath are required parameters."),
          new CredentialUnavailableError("Please run 'az login' from a command prompt to authenticate before using this credential."),
        ],
        "ChainedTokenCredential authentication failed.",
      );
      await assert.rejects(ask({}, { ...options, credential: failingCredential(chain) }), (err: unknown) => {
        assert.ok(err instanceof NoCredentialError);
        assert.strictEqual(err.code, "ERR_JIT_NO_CREDENTIAL");
        assert.strictEqual(err.message, "no Azure credential: run in a pod with workload identity (label azure.workload.identity/use and an annotated ServiceAccount) or `az login`.");
        assert.strictEqual(err.cause, chain, "the SDK's error stays available as cause");
        return true;
      });
      assert.deepStrictEqual(arm.log, []);
    });

    it("the same when the principal id is given and the token is first asked for inside the SDK's pipeline", async () => {
      const credential = failingCredential(new CredentialUnavailableError("ManagedIdentityCredential: no managed identity endpoint found.\nMore text."));
      await assert.rejects(ask({}, { ...options, principalId: AGENT_OID, credential }), (err: unknown) => {
        assert.ok(err instanceof NoCredentialError, String(err));
        oneLine(err.message);
        return true;
      });
      assert.deepStrictEqual(arm.log, [], "no request left without a token");
    });

    it("a credential Entra ID refuses (AADSTS70021) is ERR_JIT_CREDENTIAL_REFUSED, one line naming the code and the fix", async () => {
      const refused = new AuthenticationError(400, {
        error: "invalid_request",
        error_description: "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://oidc.example'.\r\nTrace ID: 1\r\nCorrelation ID: 2",
      });
      await assert.rejects(ask({}, { ...options, credential: failingCredential(refused) }), (err: unknown) => {
        assert.ok(err instanceof CredentialRefusedError, String(err));
        assert.strictEqual(err.code, "ERR_JIT_CREDENTIAL_REFUSED");
        assert.match(err.message, /AADSTS70021: No matching federated identity record/);
        assert.match(err.message, /Fix: check the identity's federated credential/);
        assert.doesNotMatch(err.message, /Trace ID/);
        oneLine(err.message);
        return true;
      });
    });
  });
});
