/**
 * The test stack `ops`: two agents (scanner calls reviewer; scanner has a standing assignment and
 * just-in-time access to a custom role), written with the project's own Pulumi.yaml into a
 * temporary project directory.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { stringify } from "yaml";

export const SUB = "6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13";
export const TENANT = "72f988bf-0000-4000-8000-000000000000";
export const APPROVER = "4b8e2f6a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
export const EMAILS = ["security@contoso.com"];
export const ELIGIBILITY_START = "2026-12-01T00:00:00Z";
export const DATA_SCOPE = `/subscriptions/${SUB}/resourceGroups/contoso-data/providers/Microsoft.Storage/storageAccounts/contosodata`;
export const RULES_SCOPE = `/subscriptions/${SUB}/resourceGroups/contoso-data/providers/Microsoft.Storage/storageAccounts/contosorules`;
export const REGISTRY_SCOPE = `/subscriptions/${SUB}/resourceGroups/contoso-shared/providers/Microsoft.ContainerRegistry/registries/contosoacr`;

/** The config of the healthy test stack (the `agent-identity` namespace, unprefixed keys). */
export function healthyConfig(): Record<string, any> {
  return {
    location: "westeurope",
    resourceGroupName: "contoso-agents",
    createResourceGroup: false,
    namespace: "agents",
    deployerPrincipalType: "ServicePrincipal",
    containerRegistries: [REGISTRY_SCOPE],
    cluster: { name: "contoso-aks", kubernetesVersion: "1.35", upgradeChannel: "patch", systemNodePool: { vmSize: "Standard_D4ds_v5", availabilityZones: ["1", "2", "3"] } },
    roleDefinitions: [
      {
        name: "Sensitive Data Reader",
        actions: ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
        dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
        assignableScopes: [`/subscriptions/${SUB}/resourceGroups/contoso-data`],
      },
    ],
    pim: { approvers: [{ objectId: APPROVER, type: "Group", description: "Data stewards" }], notificationEmails: EMAILS, eligibilityStart: ELIGIBILITY_START, eligibilityDuration: "P180D" },
    // Required with jit (issue 13): where the audit trail goes.
    audit: { alertEmails: EMAILS },
    agents: [
      {
        name: "scanner",
        image: "contosoacr.azurecr.io/agents/scanner:1.0.0",
        port: 8080,
        calls: ["reviewer"],
        jit: [{ role: "Sensitive Data Reader", scope: DATA_SCOPE, maxDuration: "PT2H", justification: "Scan customer data pipelines for leaked secrets." }],
        roleAssignments: [{ role: "Storage Blob Data Reader", scope: RULES_SCOPE }],
      },
      { name: "reviewer", image: "contosoacr.azurecr.io/agents/reviewer:1.0.0", port: 8080 },
    ],
  };
}

/** A temporary project: the real Pulumi.yaml plus Pulumi.ops.yaml from a config. */
export class TempProject {
  readonly dir = mkdtempSync(path.join(tmpdir(), "ops-project-"));

  constructor() {
    copyFileSync(path.join(__dirname, "../../../Pulumi.yaml"), path.join(this.dir, "Pulumi.yaml"));
  }

  /** Writes the stack file `Pulumi.<stack>.yaml`. */
  write(config: Record<string, any>, stack = "ops"): void {
    const flat: Record<string, unknown> = { "azure-native:subscriptionId": SUB };
    for (const [k, v] of Object.entries(config)) {
      flat[`agent-identity:${k}`] = v;
    }
    writeFileSync(path.join(this.dir, `Pulumi.${stack}.yaml`), stringify({ config: flat }));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
