/**
 * The state of a test tenant and cluster, healthy by default for the test stack (see stack.ts):
 * what Azure Resource Manager, Microsoft Graph and the Kubernetes API hold after a good deploy.
 * Tests break one thing at a time.
 */
import { TOKEN_EXCHANGE_AUDIENCE, agentApiDisplayName, appRoleId, customRoleGuid } from "../../rules/naming";
import { jitPolicyRules } from "../../components/lib/pim/policyRules";
import { BUILT_IN_ROLES } from "../../rules/builtInRoles";
import { APPROVER, DATA_SCOPE, ELIGIBILITY_START, EMAILS, REGISTRY_SCOPE, RULES_SCOPE, SUB, TENANT } from "./stack";

export const DEPLOYER = { objectId: "d0000000-0000-4000-8000-000000000001", appId: "d0000000-0000-4000-8000-0000000000a1" };
export const ISSUER = `https://westeurope.oic.prod-aks.azure.com/${TENANT}/c1a2b3c4-0000-4000-8000-000000000000/`;
export const GRAPH_SP = "99999999-0000-4000-8000-000000000001";
export const AGENTS = {
  scanner: { clientId: "c0000000-0000-4000-8000-00000000000a", principalId: "e0000000-0000-4000-8000-00000000000a" },
  reviewer: { clientId: "c0000000-0000-4000-8000-00000000000b", principalId: "e0000000-0000-4000-8000-00000000000b" },
};
export const REVIEWER_API = { id: "a0000000-0000-4000-8000-0000000000b1", appId: "a0000000-0000-4000-8000-0000000000b2", displayName: agentApiDisplayName("agent-identity", "ops", "reviewer") };
export const CUSTOM_ROLE = customRoleGuid("Sensitive Data Reader", [`/subscriptions/${SUB}/resourceGroups/contoso-data`]);
export const OWNER = BUILT_IN_ROLES.Owner;
export const CONTRIBUTOR = BUILT_IN_ROLES.Contributor;
/** Graph application permissions (ids as Microsoft Graph's service principal publishes them). */
export const GRAPH_ROLES: Record<string, string> = {
  "Application.ReadWrite.OwnedBy": "18a4783c-866b-4cc7-a460-3d5e5662c884",
  "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
  "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
  "AppRoleAssignment.ReadWrite.All": "06b708a9-e830-4db3-a914-8e69da51d44f",
  "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
};

export interface RoleAssignmentState { scope: string; principalId: string; roleGuid: string; condition?: string }
export interface RoleDefinitionState { roleName: string; actions: string[]; notActions: string[] }
export interface CredentialState { name: string; issuer: string; subject: string; audiences: string[] }
export interface EligibilityState { scope: string; principalId: string; roleGuid: string; startDateTime: string; endDateTime?: string }
export interface PodState { name: string; agent: string; labels: Record<string, string>; env: Record<string, string>; tokenVolume?: string; created: string; serviceAccount: string }

/** Everything the doubles serve. */
export class World {
  subscriptionState = "Enabled";
  resourceGroups = new Set(["contoso-agents", "contoso-data", "contoso-shared"]);
  /** Resources by id (lower case). */
  resources = new Set([DATA_SCOPE, RULES_SCOPE, REGISTRY_SCOPE].map((s) => s.toLowerCase()));
  providers: Record<string, Record<string, string[]>> = {
    "microsoft.storage": { storageAccounts: ["2023-05-01", "2024-01-01-preview"] },
    "microsoft.containerregistry": { registries: ["2023-07-01"] },
    "microsoft.containerservice": { managedClusters: ["2025-01-01"] },
  };
  roleAssignments: RoleAssignmentState[] = [{ scope: `/subscriptions/${SUB}`, principalId: DEPLOYER.objectId, roleGuid: OWNER }];
  roleDefinitions = new Map<string, RoleDefinitionState>([
    [OWNER, { roleName: "Owner", actions: ["*"], notActions: [] }],
    [
      CONTRIBUTOR,
      {
        roleName: "Contributor",
        actions: ["*"],
        notActions: ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write"],
      },
    ],
  ]);
  /** PIM policies per scope (lower case) and role GUID: their rules. */
  policies = new Map<string, unknown[]>([[`${DATA_SCOPE.toLowerCase()}|${CUSTOM_ROLE}`, azureRules(jitPolicyRules({ maximumActivationDuration: "PT2H", approvers: [{ objectId: APPROVER, type: "Group", description: "Data stewards" }], approvalTimeoutDays: 1, notificationEmails: EMAILS, maximumEligibilityDuration: "P180D" }))]]);
  eligibilities: EligibilityState[] = [{ scope: DATA_SCOPE, principalId: AGENTS.scanner.principalId, roleGuid: CUSTOM_ROLE, startDateTime: ELIGIBILITY_START, endDateTime: "2027-05-30T00:00:00Z" }];
  kubernetesVersions = [
    { version: "1.34", isPreview: false, patchVersions: { "1.34.3": { upgrades: ["1.35.1"] } } },
    { version: "1.35", isPreview: false, patchVersions: { "1.35.1": { upgrades: [] } } },
  ];
  skus = [{ name: "Standard_D4ds_v5", zones: ["1", "2", "3"], restrictions: [] as unknown[] }];
  clusters = new Map<string, { oidc: boolean; workloadIdentity: boolean; issuer: string }>([["contoso-agents/contoso-aks", { oidc: true, workloadIdentity: true, issuer: ISSUER }]]);
  identities = new Map(Object.entries(AGENTS));
  credentials = new Map<string, CredentialState[]>([
    ["scanner", [{ name: "agents-scanner", issuer: ISSUER, subject: "system:serviceaccount:agents:scanner", audiences: [TOKEN_EXCHANGE_AUDIENCE] }]],
    ["reviewer", [{ name: "agents-reviewer", issuer: ISSUER, subject: "system:serviceaccount:agents:reviewer", audiences: [TOKEN_EXCHANGE_AUDIENCE] }]],
  ]);

  // Microsoft Graph
  deployerGraphRoles = ["Application.ReadWrite.OwnedBy", "AppRoleAssignment.ReadWrite.All", "Application.Read.All"];
  apiServicePrincipals = [{ ...REVIEWER_API, appRoleAssignmentRequired: true }];
  /** Grants of the reviewer API's app role: principal ids. */
  reviewerGrants = [AGENTS.scanner.principalId];
  usersMayCreateApps = false;
  myDirectoryRoles: string[] = [];

  // Kubernetes
  serviceAccounts = new Map<string, { clientId?: string; annotatedAt: string }>([
    ["scanner", { clientId: AGENTS.scanner.clientId, annotatedAt: "2026-11-29T08:00:00Z" }],
    ["reviewer", { clientId: AGENTS.reviewer.clientId, annotatedAt: "2026-11-29T08:00:00Z" }],
  ]);
  deployments = new Map<string, { templateLabels: Record<string, string>; labels: Record<string, string>; env: Record<string, string>; replicas: number }>([
    ["scanner", { labels: agentLabels("scanner"), templateLabels: { ...agentLabels("scanner"), "azure.workload.identity/use": "true" }, env: {}, replicas: 1 }],
    [
      "reviewer",
      {
        labels: agentLabels("reviewer"),
        templateLabels: { ...agentLabels("reviewer"), "azure.workload.identity/use": "true" },
        env: { AGENT_AUTH_ALLOWED_CALLERS: AGENTS.scanner.principalId, AGENT_AUTH_AUDIENCE: REVIEWER_API.appId, AGENT_AUTH_REQUIRED_ROLE: "Agent.Invoke" },
        replicas: 1,
      },
    ],
  ]);
  pods: PodState[] = [mutatedPod("scanner", AGENTS.scanner.clientId), mutatedPod("reviewer", AGENTS.reviewer.clientId)];

  /** The app role id of the reviewer API. */
  get reviewerAppRoleId(): string {
    return appRoleId(REVIEWER_API.displayName);
  }
}

function agentLabels(agent: string): Record<string, string> {
  return { "app.kubernetes.io/name": agent, "app.kubernetes.io/part-of": "agent-identity" };
}

/** A pod as the webhook leaves it: labelled, AZURE_* injected, projected token volume. */
export function mutatedPod(agent: string, clientId: string): PodState {
  return {
    name: `${agent}-7d9f8b6c5-x2x4q`,
    agent,
    labels: { "app.kubernetes.io/name": agent, "azure.workload.identity/use": "true" },
    env: {
      AZURE_CLIENT_ID: clientId,
      AZURE_TENANT_ID: TENANT,
      AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token",
      AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
    },
    tokenVolume: TOKEN_EXCHANGE_AUDIENCE,
    created: "2026-11-29T09:00:00Z",
    serviceAccount: agent,
  };
}

/** Rules as Azure returns them: with the target fields Azure adds, and no empty claim value. */
function azureRules(rules: ReturnType<typeof jitPolicyRules>): unknown[] {
  return rules.map((rule) => {
    const copy: Record<string, unknown> = { ...rule, target: { ...rule.target, targetObjects: null, inheritableSettings: null, enforcedSettings: null } };
    if (copy.claimValue === "") {
      delete copy.claimValue;
    }
    return copy;
  });
}
