/**
 * The small rules the checks rely on: RBAC action matching (learn.microsoft.com/azure/role-based-access-control/role-definitions:
 * `*` wildcards, NotActions subtracted), scope containment on whole segments, and the policy comparison.
 */
import * as assert from "assert";
import { allowsAction } from "../../ops/lib/actions";
import { isAtOrBelow, parseScope } from "../../ops/lib/scopes";
import { firstDifference } from "../../ops/doctor/checks/jit";
import { missingGraphPermissions } from "../../ops/preflight/checks/graphPermissions";

describe("ops helpers", () => {
  it("allowsAction: wildcards match, NotActions subtract, case is ignored", () => {
    const contributor = [{ actions: ["*"], notActions: ["Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"] }];
    assert.strictEqual(allowsAction(contributor, "Microsoft.Authorization/roleAssignments/write"), false);
    assert.strictEqual(allowsAction(contributor, "Microsoft.Storage/storageAccounts/write"), true);
    const rbacAdmin = [{ actions: ["Microsoft.Authorization/roleAssignments/*"], notActions: [] }];
    assert.strictEqual(allowsAction(rbacAdmin, "microsoft.authorization/roleassignments/write"), true);
    assert.strictEqual(allowsAction(rbacAdmin, "Microsoft.Authorization/roleDefinitions/write"), false);
    assert.strictEqual(allowsAction([], "Microsoft.Authorization/roleAssignments/write"), false);
  });

  it("isAtOrBelow compares whole segments, so contoso-data2 is not below contoso-data", () => {
    assert.strictEqual(isAtOrBelow("/subscriptions/s/resourceGroups/contoso-data/providers/x/y/z", "/subscriptions/s/resourceGroups/Contoso-Data"), true);
    assert.strictEqual(isAtOrBelow("/subscriptions/s/resourceGroups/contoso-data2", "/subscriptions/s/resourceGroups/contoso-data"), false);
    assert.strictEqual(isAtOrBelow("/subscriptions/s", "/subscriptions/s/resourceGroups/g"), false);
  });

  it("parseScope reads subscription, group and nested resource scopes and refuses others", () => {
    assert.deepStrictEqual(parseScope("/subscriptions/s")?.kind, "subscription");
    assert.deepStrictEqual(parseScope("/subscriptions/s/resourceGroups/g")?.resourceGroup, "g");
    const nested = parseScope("/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a/blobServices/default");
    assert.strictEqual(nested?.namespace, "Microsoft.Storage");
    assert.strictEqual(nested?.resourceType, "storageAccounts/blobServices");
    assert.strictEqual(parseScope("/providers/Microsoft.Management/managementGroups/m"), undefined);
    assert.strictEqual(parseScope("/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts"), undefined);
  });

  it("firstDifference ignores extra fields Azure adds but names the first planned field that differs", () => {
    assert.strictEqual(firstDifference({ a: 1, b: ["x", "y"] }, { a: 1, b: ["Y", "x"], extra: true }), undefined);
    assert.strictEqual(firstDifference({ a: { b: "PT2H" } }, { a: { b: "PT8H" } }), 'a.b is "PT8H", expected "PT2H"');
    assert.strictEqual(firstDifference({ list: [{ id: "1" }] }, { list: [{ id: "2" }] }), 'list[0].id is "2", expected "1"');
    assert.strictEqual(firstDifference({ claim: "" }, {}), undefined);
  });

  it("missingGraphPermissions: OwnedBy plus AppRoleAssignment.ReadWrite.All and Application.Read.All suffice; OwnedBy alone does not", () => {
    assert.deepStrictEqual(missingGraphPermissions(new Set(["Application.ReadWrite.OwnedBy", "AppRoleAssignment.ReadWrite.All", "Application.Read.All"])), []);
    assert.deepStrictEqual(missingGraphPermissions(new Set(["Application.ReadWrite.All"])), []);
    assert.strictEqual(missingGraphPermissions(new Set(["Application.ReadWrite.OwnedBy"])).length, 1);
    assert.strictEqual(missingGraphPermissions(new Set()).length, 2);
  });
});
