/**
 * The component library. Exports only: importing it registers nothing.
 */
export { AgentCluster, AgentClusterArgs, SystemNodePoolArgs, managedClusterArgs, parseClusterId } from "./agentCluster";
export { AgentIdentity, AgentIdentityArgs } from "./agentIdentity";
export { AgentNamespace, AgentNamespaceArgs, RESTRICTED_POD_SECURITY_LABELS } from "./agentNamespace";
export { AgentWorkload, AgentWorkloadArgs, ResourceQuantities, agentLabels } from "./agentWorkload";
export { AgentPlatform, AgentPlatformArgs, AgentSpec, AgentOutputs, PlatformClusterSpec, validatePlatformArgs } from "./agentPlatform";
export { ServiceAccountRef, serviceAccountSubject, TOKEN_EXCHANGE_AUDIENCE } from "./lib/naming";
export { toNonInteractiveKubeconfig, AKS_AAD_SERVER_ID } from "./lib/kubeconfig";
