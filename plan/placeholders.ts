/**
 * The offline stand-in for Azure and Kubernetes: what each resource would report after deployment,
 * as explicit placeholders that name the resource and property the real value comes from
 * (`<security-scanner-identity.clientId>`), and the answers to the invokes the program makes.
 */
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { lastSegment } from "../rules/naming";

/** The placeholder for a value only known after deployment. */
export function placeholder(resourceName: string, property: string): string {
  return `<${resourceName}.${property}>`;
}

/** True when a value is a deployment-time placeholder. */
export function isPlaceholder(value: unknown): value is string {
  return typeof value === "string" && /^<[^<>]+\.[^<>]+>$/.test(value);
}

type State = Record<string, unknown>;

/** Outputs Azure computes, per resource type: what a deployment would fill in. */
const COMPUTED_OUTPUTS: Record<string, (name: string, inputs: State) => State> = {
  "azure-native:resources:ResourceGroup": (name, inputs) => ({ name: inputs.resourceGroupName ?? placeholder(name, "name") }),
  "azure-native:containerservice:ManagedCluster": (name, inputs) => ({
    name: inputs.resourceName ?? placeholder(name, "name"),
    fqdn: placeholder(name, "fqdn"),
    oidcIssuerProfile: { ...(inputs.oidcIssuerProfile as State), issuerURL: placeholder(name, "oidcIssuerProfile.issuerURL") },
    identity: { ...(inputs.identity as State), principalId: placeholder(name, "identity.principalId"), tenantId: placeholder(name, "identity.tenantId") },
    // AKS creates a kubelet identity for every managed-identity cluster (ManagedCluster.identityProfile).
    identityProfile: {
      kubeletidentity: {
        clientId: placeholder(name, "identityProfile.kubeletidentity.clientId"),
        objectId: placeholder(name, "identityProfile.kubeletidentity.objectId"),
        resourceId: placeholder(name, "identityProfile.kubeletidentity.resourceId"),
      },
    },
  }),
  "azure-native:managedidentity:UserAssignedIdentity": (name, inputs) => ({
    name: inputs.resourceName ?? placeholder(name, "name"),
    clientId: placeholder(name, "clientId"),
    principalId: placeholder(name, "principalId"),
    tenantId: placeholder(name, "tenantId"),
  }),
  "azuread:index/application:Application": (name) => ({
    clientId: placeholder(name, "clientId"),
    objectId: placeholder(name, "objectId"),
    id: `/applications/${placeholder(name, "objectId")}`,
  }),
  "azuread:index/servicePrincipal:ServicePrincipal": (name) => ({ objectId: placeholder(name, "objectId") }),
  // A custom role's id is fixed by its scope and GUID name, as in Azure.
  "azure-native:authorization:RoleDefinition": (_name, inputs) => ({
    id: `${String(inputs.scope)}/providers/Microsoft.Authorization/roleDefinitions/${String(inputs.roleDefinitionId)}`,
  }),
  // Log Analytics: the ARM id Azure gives the workspace, and its customerId (the workspace GUID queries use).
  "azure-native:operationalinsights:Workspace": (name, inputs) => ({
    id: `/subscriptions/${OFFLINE_DEPLOYER.subscriptionId}/resourceGroups/${String(inputs.resourceGroupName)}/providers/Microsoft.OperationalInsights/workspaces/${String(inputs.workspaceName ?? placeholder(name, "name"))}`,
    name: inputs.workspaceName ?? placeholder(name, "name"),
    customerId: placeholder(name, "customerId"),
  }),
  "azure-native:monitor:ActionGroup": (name, inputs) => ({
    id: `/subscriptions/${OFFLINE_DEPLOYER.subscriptionId}/resourceGroups/${String(inputs.resourceGroupName)}/providers/Microsoft.Insights/actionGroups/${String(inputs.actionGroupName ?? placeholder(name, "name"))}`,
  }),
  "azure-native:monitor:DataCollectionRule": (name, inputs) => ({
    id: `/subscriptions/${OFFLINE_DEPLOYER.subscriptionId}/resourceGroups/${String(inputs.resourceGroupName)}/providers/Microsoft.Insights/dataCollectionRules/${String(inputs.dataCollectionRuleName ?? placeholder(name, "name"))}`,
    immutableId: placeholder(name, "immutableId"),
  }),
  "azure-native:monitor:ScheduledQueryRule": (name) => ({ id: placeholder(name, "id"), isWorkspaceAlertsStorageConfigured: false }),
  "azure-native:managedidentity:FederatedIdentityCredential": (name, inputs) => ({
    name: inputs.federatedIdentityCredentialResourceName ?? placeholder(name, "name"),
  }),
};

/** The user kubeconfig AKS returns for an Entra ID cluster (format `exec`), before it is rewritten. */
export function aksUserKubeconfig(clusterName: string, resourceGroupName: string): string {
  const context = clusterName;
  const user = `clusterUser_${resourceGroupName}_${clusterName}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: context, cluster: { server: `https://${placeholder(clusterName, "fqdn")}:443`, "certificate-authority-data": "PENBIGNlcnRpZmljYXRlPg==" } }],
    contexts: [{ name: context, context: { cluster: context, user } }],
    "current-context": context,
    users: [
      {
        name: user,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "kubelogin",
            args: ["get-token", "--environment", "AzurePublicCloud", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630", "--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a", "--tenant-id", "<tenant>", "--login", "devicecode"],
            interactiveMode: "IfAvailable",
            provideClusterInfo: false,
          },
        },
      },
    ],
  });
}

/** Who the offline plan pretends runs `pulumi up`. */
export const OFFLINE_DEPLOYER = {
  clientId: "<getClientConfig.clientId>",
  objectId: "<getClientConfig.objectId>",
  subscriptionId: "<getClientConfig.subscriptionId>",
  tenantId: "<getClientConfig.tenantId>",
};

/** Answers to the provider functions (invokes) the program calls. */
const INVOKES: Record<string, (inputs: State) => State> = {
  "azure-native:authorization:getClientConfig": () => ({ ...OFFLINE_DEPLOYER }),
  "azuread:index/getClientConfig:getClientConfig": () => ({ clientId: "<getClientConfig(azuread).clientId>", objectId: "<getClientConfig(azuread).objectId>", tenantId: "<getClientConfig(azuread).tenantId>" }),
  "azure-native:containerservice:listManagedClusterUserCredentials": (inputs) => ({
    kubeconfigs: [{ name: "clusterUser", value: Buffer.from(aksUserKubeconfig(String(inputs.resourceName), String(inputs.resourceGroupName))).toString("base64") }],
  }),
  "azure-native:containerservice:getManagedCluster": (inputs) => ({
    name: inputs.resourceName,
    oidcIssuerProfile: { enabled: true, issuerURL: placeholder(`getManagedCluster(${String(inputs.resourceName)})`, "oidcIssuerProfile.issuerURL") },
    securityProfile: { workloadIdentity: { enabled: true } },
    identityProfile: {
      kubeletidentity: {
        clientId: placeholder(`getManagedCluster(${String(inputs.resourceName)})`, "identityProfile.kubeletidentity.clientId"),
        objectId: placeholder(`getManagedCluster(${String(inputs.resourceName)})`, "identityProfile.kubeletidentity.objectId"),
        resourceId: placeholder(`getManagedCluster(${String(inputs.resourceName)})`, "identityProfile.kubeletidentity.resourceId"),
      },
    },
  }),
};

/** The program reads a stack through a StackReference and no outputs were given for that stack. */
export class MissingStackOutputsError extends Error {
  /** Stable code. */
  readonly code = "ERR_NO_STACK_OUTPUTS";
  constructor(
    /** The referenced stack (`org/project/stack`). */
    readonly stackName: string,
  ) {
    super(
      `The program reads the stack ${JSON.stringify(stackName)} through a StackReference, and the offline plan has no outputs for it. ` +
        `Fix: give them, e.g. from \`pulumi stack output --json -s ${stackName} > outputs.json\`: npm run plan -- --stack-outputs ${stackName}=outputs.json; in tests, the stackReferences option.`,
    );
    this.name = "MissingStackOutputsError";
  }
}

/**
 * Mocks for `pulumi.runtime.setMocks`: inputs pass through, values Azure computes become placeholders,
 * and an invoke without an offline answer fails loudly instead of returning nothing.
 */
export class PlaceholderMocks implements pulumi.runtime.Mocks {
  /**
   * @param stackReferences outputs of other stacks by stack name, for programs that read them through a
   * StackReference (an unknown stack's outputs are placeholders naming the stack and output).
   */
  constructor(private readonly stackReferences: Record<string, Record<string, unknown>> = {}) {}

  /**
   * The errors these mocks threw, in order. The SDK hands a mock's error to the program wrapped in a
   * plain Error ("failed to read resource ..."); the evaluation unwraps it from here to keep its code.
   */
  readonly failures: Error[] = [];

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    if (args.type === "pulumi:pulumi:StackReference") {
      const stack = String(args.inputs.name ?? args.name);
      const outputs = this.stackReferences[stack];
      if (!outputs) {
        const failure = new MissingStackOutputsError(stack);
        this.failures.push(failure);
        throw failure;
      }
      return { id: stack, state: { name: stack, outputs, secretOutputNames: [] } };
    }
    const { id, ...computed } = COMPUTED_OUTPUTS[args.type]?.(args.name, args.inputs) ?? {};
    return { id: args.id || (typeof id === "string" ? id : placeholder(args.name, "id")), state: { ...args.inputs, ...computed } };
  }

  call(args: pulumi.runtime.MockCallArgs): State {
    const answer = INVOKES[args.token];
    if (!answer) {
      throw new Error(`The offline plan has no answer for the provider function ${args.token}. Add one in plan/placeholders.ts.`);
    }
    return answer(args.inputs);
  }
}

/**
 * The offline answer to the role management policy lookup: a placeholder naming the lookup, the role
 * and the scope (the real GUID only Azure knows).
 */
export function offlinePolicyName(scope: string, roleDefinitionId: string): Promise<string> {
  const role = lastSegment(roleDefinitionId);
  return Promise.resolve(placeholder(`policyLookup(${role} at ${scope})`, "name"));
}
