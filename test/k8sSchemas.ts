/**
 * Validates rendered Kubernetes objects against the Kubernetes OpenAPI schemas (kubernetes-models).
 */
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Service } from "kubernetes-models/v1/Service";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "kubernetes:core/v1:Namespace": Namespace,
  "kubernetes:core/v1:ServiceAccount": ServiceAccount,
  "kubernetes:core/v1:Service": Service,
  "kubernetes:apps/v1:Deployment": Deployment,
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": NetworkPolicy,
};

/** Throws the schema error of an object of a Pulumi Kubernetes type, or when the type has no model here. */
export function validateKubernetesObject(type: string, inputs: Record<string, unknown>): void {
  const Model = MODELS[type];
  if (!Model) {
    throw new Error(`No Kubernetes schema registered in the tests for ${type}.`);
  }
  new Model(inputs).validate();
}
