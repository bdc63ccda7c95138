/** The platform's cluster: {@link AgentCluster} from the `cluster` section of the config. */
import * as pulumi from "@pulumi/pulumi";
import { AgentCluster } from "../agentCluster";
import { PlatformContext, platformChild } from "./context";

/** Builds the cluster; `monitoringWorkspaceId` is the audit workspace's id when there is an audit trail. */
export function buildCluster(ctx: PlatformContext, monitoringWorkspaceId: pulumi.Input<string> | undefined): AgentCluster {
  const { config } = ctx;
  const c = config.cluster;
  const child = platformChild(ctx, c.name);
  return new AgentCluster(
    child.name,
    {
      resourceGroupName: ctx.resourceGroupName,
      location: config.location,
      clusterName: c.name,
      existingClusterId: c.existingClusterId,
      kubernetesVersion: c.kubernetesVersion,
      skuTier: c.skuTier,
      systemNodePool: c.systemNodePool,
      agentNodePool: c.agentNodePool,
      adminGroupObjectIds: c.adminGroupObjectIds,
      authorizedIpRanges: c.authorizedIpRanges,
      upgradeChannel: c.upgradeChannel,
      nodeOsUpgradeChannel: c.nodeOsUpgradeChannel,
      networkPolicy: c.networkPolicy,
      azurePolicy: c.azurePolicy,
      imageCleanerIntervalHours: c.imageCleanerIntervalHours,
      kubeloginMode: c.kubeloginMode,
      deployerPrincipalType: config.deployerPrincipalType,
      acrPullRegistryIds: config.containerRegistries,
      monitoringWorkspaceId,
      tags: config.tags,
    },
    child.opts,
  );
}
