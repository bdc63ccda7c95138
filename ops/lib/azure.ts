/**
 * The Azure side of the ops commands: one DefaultAzureCredential, the ARM SDK clients pointed at the
 * chosen cloud's endpoints, and the token scopes that go with them (sovereign clouds included).
 */
import type { TokenCredential } from "@azure/identity";
import { ResourceManagementClient } from "@azure/arm-resources";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { ComputeManagementClient } from "@azure/arm-compute";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { GraphClient } from "./graph";

/** Public cloud endpoints (the defaults of `--arm-endpoint` and `--graph-endpoint`). */
export const PUBLIC_CLOUD = { arm: "https://management.azure.com", graph: "https://graph.microsoft.com" } as const;

/** How to reach Azure. */
export interface AzureOptions {
  /** The credential (the commands always pass a DefaultAzureCredential). */
  credential: TokenCredential;
  /** Subscription of the deployment. */
  subscriptionId: string;
  /** ARM endpoint. Default the public cloud's. */
  armEndpoint?: string;
  /** Microsoft Graph endpoint. Default the public cloud's. */
  graphEndpoint?: string;
  /** Extra CA certificate(s) to trust (PEM), for endpoints with a private CA; the system store stays trusted too. */
  ca?: string;
}

/** The token scope of a resource endpoint: `<origin>/.default`. */
export function scopeOf(endpoint: string): string {
  return `${new URL(endpoint).origin}/.default`;
}

/** Lazily built SDK clients for one subscription (another subscription gets its own set). */
export class AzureClients {
  readonly armEndpoint: string;
  readonly graphEndpoint: string;
  readonly armScope: string;
  private readonly cache = new Map<string, unknown>();

  constructor(readonly options: AzureOptions) {
    this.armEndpoint = new URL(options.armEndpoint ?? PUBLIC_CLOUD.arm).origin;
    this.graphEndpoint = new URL(options.graphEndpoint ?? PUBLIC_CLOUD.graph).origin;
    this.armScope = scopeOf(this.armEndpoint);
  }

  /** The credential. */
  get credential(): TokenCredential {
    return this.options.credential;
  }

  private pipelineOptions() {
    return {
      endpoint: this.armEndpoint,
      ...(this.options.ca ? { tlsOptions: { ca: this.options.ca } } : {}),
      retryOptions: { maxRetries: 2 },
    };
  }

  private memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) {
      this.cache.set(key, make());
    }
    return this.cache.get(key) as T;
  }

  /** Resource groups, providers and generic resources. */
  resources(subscriptionId = this.options.subscriptionId): ResourceManagementClient {
    return this.memo(`resources:${subscriptionId}`, () => new ResourceManagementClient(this.credential, subscriptionId, { ...this.pipelineOptions(), credentials: { scopes: [this.armScope] } }));
  }

  /** Subscriptions. */
  subscriptions(): SubscriptionClient {
    return this.memo("subscriptions", () => new SubscriptionClient(this.credential, { ...this.pipelineOptions(), credentials: { scopes: [this.armScope] } }));
  }

  /** Managed clusters and Kubernetes versions. */
  containerService(subscriptionId = this.options.subscriptionId): ContainerServiceClient {
    return this.memo(`aks:${subscriptionId}`, () => new ContainerServiceClient(this.credential, subscriptionId, { ...this.pipelineOptions(), credentials: { scopes: [this.armScope] } }));
  }

  /** Resource SKUs. */
  compute(subscriptionId = this.options.subscriptionId): ComputeManagementClient {
    return this.memo(`compute:${subscriptionId}`, () => new ComputeManagementClient(this.credential, subscriptionId, { ...this.pipelineOptions(), credentials: { scopes: [this.armScope] } }));
  }

  /** Managed identities and federated credentials. */
  msi(subscriptionId = this.options.subscriptionId): ManagedServiceIdentityClient {
    return this.memo(`msi:${subscriptionId}`, () => new ManagedServiceIdentityClient(this.credential, subscriptionId, { ...this.pipelineOptions(), credentialScopes: [this.armScope] }));
  }

  /** Role assignments, definitions and PIM. Scoped calls take the scope; the subscription only fills the client. */
  authorization(subscriptionId = this.options.subscriptionId): AuthorizationManagementClient {
    return this.memo(`authz:${subscriptionId}`, () => new AuthorizationManagementClient(this.credential, subscriptionId, { ...this.pipelineOptions(), credentialScopes: [this.armScope] }));
  }

  /** Microsoft Graph. */
  graph(): GraphClient {
    return this.memo("graph", () => new GraphClient({ credential: this.credential, endpoint: this.graphEndpoint, ca: this.options.ca }));
  }
}
