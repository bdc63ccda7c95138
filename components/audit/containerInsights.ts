/** Container insights for the agents' cluster: a data collection rule (ContainerLogV2) and its association. */
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { CONTAINER_INSIGHTS_STREAM } from "./categories";
import type { AuditScope } from "./scope";

/** The rule sending the cluster's container logs and inventory to the workspace, associated with the cluster. */
export function buildContainerInsights(
  s: AuditScope,
  clusterId: pulumi.Input<string>,
  workspaceId: pulumi.Output<string>,
): { rule: monitor.DataCollectionRule; association: monitor.DataCollectionRuleAssociation } {
  const rule = new monitor.DataCollectionRule(
    `${s.name}-container-insights`,
    {
      resourceGroupName: s.args.resourceGroupName,
      location: s.args.location,
      dataCollectionRuleName: `${s.prefix}-container-insights`,
      kind: "Linux",
      description: "Container insights for the agents' cluster: ContainerLogV2 and inventory to the audit workspace.",
      dataSources: {
        extensions: [
          {
            name: "ContainerInsightsExtension",
            extensionName: "ContainerInsights",
            streams: [CONTAINER_INSIGHTS_STREAM],
            extensionSettings: { dataCollectionSettings: { interval: "1m", namespaceFilteringMode: "Off", enableContainerLogV2: true } },
          },
        ],
      },
      destinations: { logAnalytics: [{ name: "ciworkspace", workspaceResourceId: workspaceId }] },
      dataFlows: [{ streams: [CONTAINER_INSIGHTS_STREAM], destinations: ["ciworkspace"] }],
      tags: s.args.tags,
    },
    { parent: s.parent },
  );
  const association = new monitor.DataCollectionRuleAssociation(
    `${s.name}-container-insights-association`,
    { associationName: "ContainerInsightsExtension", resourceUri: clusterId, dataCollectionRuleId: rule.id, description: "Sends the cluster's container logs to the audit workspace." },
    { parent: s.parent },
  );
  return { rule, association };
}
