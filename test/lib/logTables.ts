/**
 * The Log Analytics tables the audit queries read, with the columns they use, as documented in the Azure
 * Monitor Logs table reference (learn.microsoft.com/azure/azure-monitor/reference/tables/<table>; source
 * MicrosoftDocs/azure-reference-other azure-monitor-ref/tables/includes/<table>-include.md). Only
 * documented columns are declared, so a query using a column Azure does not have fails the check.
 */

/** Table name to Kusto schema `(Column:type, ...)`. */
export const LOG_TABLES: Record<string, string> = {
  // reference/tables/auditlogs
  AuditLogs:
    "(TimeGenerated:datetime, OperationName:string, Category:string, Result:string, ResultReason:string, ResultDescription:string, LoggedByService:string, InitiatedBy:dynamic, TargetResources:dynamic, AdditionalDetails:dynamic, CorrelationId:string, Id:string, AADOperationType:string, ActivityDisplayName:string, Identity:string, Type:string)",
  // reference/tables/azureactivity
  AzureActivity:
    "(TimeGenerated:datetime, CategoryValue:string, OperationNameValue:string, ActivityStatusValue:string, ActivitySubstatusValue:string, Caller:string, CallerIpAddress:string, Properties_d:dynamic, Authorization_d:dynamic, Claims_d:dynamic, CorrelationId:string, ResourceGroup:string, ResourceProviderValue:string, SubscriptionId:string, _ResourceId:string, Level:string, Type:string)",
  // reference/tables/aadserviceprincipalsigninlogs
  AADServicePrincipalSignInLogs:
    "(TimeGenerated:datetime, AppId:string, ServicePrincipalId:string, ServicePrincipalName:string, ResultType:string, ResultDescription:string, ResultSignature:string, FederatedCredentialId:string, ResourceDisplayName:string, ResourceIdentity:string, IPAddress:string, CorrelationId:string, Id:string, Type:string)",
  // reference/tables/aadmanagedidentitysigninlogs
  AADManagedIdentitySignInLogs:
    "(TimeGenerated:datetime, AppId:string, ServicePrincipalId:string, ServicePrincipalName:string, ResultType:string, ResultDescription:string, ResultSignature:string, FederatedCredentialId:string, ResourceDisplayName:string, ResourceIdentity:string, IPAddress:string, CorrelationId:string, Id:string, Type:string)",
  // reference/tables/containerlogv2 (LogMessage is dynamic: JSON lines are queried without parse_json)
  ContainerLogV2:
    "(TimeGenerated:datetime, Computer:string, ContainerId:string, ContainerName:string, PodName:string, PodNamespace:string, LogMessage:dynamic, LogSource:string, LogLevel:string, KubernetesMetadata:dynamic, _ResourceId:string, Type:string)",
  // reference/tables/aksauditadmin (diagnostic category kube-audit-admin, resource-specific mode)
  AKSAuditAdmin:
    "(TimeGenerated:datetime, AuditId:string, Verb:string, RequestUri:string, ObjectRef:dynamic, User:dynamic, SourceIps:dynamic, UserAgent:string, ResponseStatus:dynamic, RequestObject:dynamic, Stage:string, Level:string, PodName:string, _ResourceId:string, Type:string)",
  // reference/tables/akscontrolplane (diagnostic category guard, among others, resource-specific mode)
  AKSControlPlane: "(TimeGenerated:datetime, Category:string, Level:string, Message:string, PodName:string, Stream:string, _ResourceId:string, Type:string)",
};

/** Sample values for the placeholders the component fills from the graph (shapes as Azure has them). */
export const SAMPLE_VALUES: Record<string, string | string[]> = {
  SENSITIVE_ROLE_IDS: ["11791261-ab49-5393-8893-3354070c5430", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"],
  SENSITIVE_ROLE_NAMES: ["Sensitive Data Reader", "Storage Blob Data Owner"],
  JIT_ROLE_IDS: ["11791261-ab49-5393-8893-3354070c5430"],
  NAMESPACE: "agents",
  AGENT_IDS: ["6a1e0f1c-3c1b-4b9e-9a51-0f7d2b6c1e11", "2f6b1c3d-0d7e-4c2a-8f3b-9a4e5d6c7b81"],
  AGENT_IDENTITY_IDS: ["/subscriptions/6d3f0c2a-8b41-4f6e-9a27-5c1e0b7d9f13/resourceGroups/fabrikam-agents-production/providers/Microsoft.ManagedIdentity/userAssignedIdentities/security-scanner"],
  AGENT_APPLICATION_IDS: ["0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"],
  DEPLOYER_IDS: ["9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"],
};
