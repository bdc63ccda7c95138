import * as assert from "assert";
import { AgentApi } from "../../components";
import { evaluate, isArgsError, ofType, one } from "../helpers";
import { PlanFailedError } from "../../plan/evaluate";

const APP = "azuread:index/application:Application";
const SP = "azuread:index/servicePrincipal:ServicePrincipal";
const GRANT = "azuread:index/appRoleAssignment:AppRoleAssignment";
const URI = "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri";

const program = () =>
  new AgentApi("orchestrator", {
    displayName: "agents-production-orchestrator",
    callers: [
      { name: "scanner", principalId: "11111111-1111-1111-1111-111111111111" },
      { name: "checker", principalId: "22222222-2222-2222-2222-222222222222" },
    ],
  });

describe("AgentApi", () => {
  it("registers an application that issues v2 tokens, exposes an application-only role and asks for idtyp", async () => {
    const plan = await evaluate(program);
    const app = one(plan, APP, "orchestrator-app").inputs as any;
    assert.deepStrictEqual(app.api, { requestedAccessTokenVersion: 2 });
    assert.strictEqual(app.signInAudience, "AzureADMyOrg");
    assert.strictEqual(app.appRoles.length, 1);
    assert.deepStrictEqual(app.appRoles[0].allowedMemberTypes, ["Application"]);
    assert.strictEqual(app.appRoles[0].value, "Agent.Invoke");
    assert.strictEqual(app.appRoles[0].enabled, true);
    assert.deepStrictEqual(app.optionalClaims, { accessTokens: [{ essential: false, name: "idtyp" }] });
    assert.strictEqual(app.password, undefined, "no password");
    assert.strictEqual(app.passwords, undefined);
    assert.strictEqual(app.keyCredentials, undefined, "no certificate");
  });

  it("sets the identifier URI to api://<client id> and requires an app role assignment on the service principal", async () => {
    const plan = await evaluate(program);
    assert.deepStrictEqual(one(plan, URI, "orchestrator-identifier-uri").inputs, { applicationId: "/applications/<orchestrator-app.objectId>", identifierUri: "api://<orchestrator-app.clientId>" });
    const sp = one(plan, SP, "orchestrator-sp").inputs as any;
    assert.strictEqual(sp.appRoleAssignmentRequired, true);
    assert.strictEqual(sp.clientId, "<orchestrator-app.clientId>");
  });

  it("refuses a caller listed twice before registering anything", async () => {
    const twice = () => new AgentApi("api", { displayName: "api", callers: [{ name: "a", principalId: "1" }, { name: "a", principalId: "2" }] });
    await assert.rejects(evaluate(twice), (err: unknown) => isArgsError(err, "AgentApi", "callers") && /caller "a" is listed twice/.test((err as PlanFailedError).cause.message));
  });

  it("grants the role to each caller's identity on the API's service principal, with a role id stable across evaluations", async () => {
    const first = await evaluate(program);
    const second = await evaluate(program);
    const roleId = (one(first, APP, "orchestrator-app").inputs as any).appRoles[0].id;
    assert.strictEqual(roleId, (one(second, APP, "orchestrator-app").inputs as any).appRoles[0].id);
    const grants = ofType(first, GRANT);
    assert.deepStrictEqual(
      grants.map((g) => [g.name, g.inputs.principalObjectId, g.inputs.appRoleId, g.inputs.resourceObjectId]).sort(),
      [
        ["orchestrator-grant-checker", "22222222-2222-2222-2222-222222222222", roleId, "<orchestrator-sp.objectId>"],
        ["orchestrator-grant-scanner", "11111111-1111-1111-1111-111111111111", roleId, "<orchestrator-sp.objectId>"],
      ],
    );
    for (const g of grants) {
      assert.ok(g.dependsOn.includes(one(first, SP, "orchestrator-sp").urn));
    }
  });
});
