/**
 * The component library. Exports only: importing it registers nothing.
 */
export { AgentCluster, AgentClusterArgs, SystemNodePoolArgs, managedClusterArgs, parseClusterId } from "./agentCluster";
export { AgentIdentity, AgentIdentityArgs, StandingRoleAssignment } from "./agentIdentity";
export { AgentApi, AgentApiArgs, AgentCaller, INVOKE_ROLE } from "./agentApi";
export { CustomRole, CustomRoleArgs } from "./customRole";
export { JitAccess, JitAccessArgs, JitEligiblePrincipal } from "./jitAccess";
export { PimApprover, JitPolicySettings, jitPolicyRules } from "./lib/pim/policyRules";
export { ComponentArgsError, COMPONENT_ARGS_ERROR_CODE } from "../rules/componentArgsError";
export { AlertFrequencyMinutes, ApproverType, AuditAlertName, AvailabilityZone, DeployerPrincipalType, KubeloginMode, NetworkPolicy, NodeOsUpgradeChannel, OsSku, SkuTier, UpgradeChannel } from "../rules/choices";
export { createPolicyNameResolver, lookUpPolicyName, providerCredential, setPolicyNameResolver, PolicyNameResolver, PolicyNameResolverOptions, PolicyNotFoundError, ProviderIdentity } from "./lib/pim/policyLookup";
export { BUILT_IN_ROLES } from "../rules/builtInRoles";
export { AgentNamespace, AgentNamespaceArgs, RESTRICTED_POD_SECURITY_LABELS } from "./agentNamespace";
export { AgentWorkload, AgentWorkloadArgs, ResourceQuantities, agentLabels } from "./agentWorkload";
export { AgentPlatform, CALLER_VALIDATION_ENV, AgentPlatformArgs, AgentSpec, AgentJitSpec, AgentRoleAssignmentSpec, AgentOutputs, PlatformClusterSpec, PimSpec, RoleDefinitionSpec, PlatformAuditSpec, validatePlatformArgs } from "./agentPlatform";
export { AuditTrail, AuditTrailArgs, AuditedAgent, AlertOverrides, AlertSettings, EffectiveAlert, effectiveAlerts } from "./auditTrail";
export { AUDIT_ALERTS, AlertDefinition } from "../rules/audit/alerts";
export { ServiceAccountRef, serviceAccountSubject, TOKEN_EXCHANGE_AUDIENCE } from "../rules/naming";
export { toNonInteractiveKubeconfig, AKS_AAD_SERVER_ID } from "./lib/kubeconfig";
