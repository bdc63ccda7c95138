/** The platform's resource group, when it creates one. */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import type { StackConfig } from "../../config/schema";

/** Creates the resource group when `createResourceGroup` is on; returns it and the name children use. */
export function buildResourceGroup(
  name: string,
  config: StackConfig,
  parent: pulumi.ComponentResource,
): { resourceGroup?: resources.ResourceGroup; resourceGroupName: pulumi.Input<string> } {
  if (!config.createResourceGroup) {
    return { resourceGroupName: config.resourceGroupName };
  }
  const resourceGroup = new resources.ResourceGroup(
    `${name}-resource-group`,
    { resourceGroupName: config.resourceGroupName, location: config.location, tags: config.tags },
    { parent },
  );
  return { resourceGroup, resourceGroupName: resourceGroup.name };
}
