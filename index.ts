/**
 * The Pulumi program: read and validate the stack config, build the platform, export its outputs.
 * Exported as a function so the offline plan and the tests can run the very same program.
 */
import * as pulumi from "@pulumi/pulumi";
import { AgentPlatform } from "./components";
import { rawConfigFromPulumi, validateStackConfig } from "./config/load";

export = async () => {
  const config = validateStackConfig(rawConfigFromPulumi(pulumi.runtime.allConfig()));
  const platform = new AgentPlatform("platform", config);
  return {
    oidcIssuerUrl: platform.oidcIssuerUrl,
    clusterName: platform.cluster.clusterName,
    namespace: platform.namespace.namespaceName,
    agents: Object.fromEntries(
      Object.entries(platform.agents).map(([name, agent]) => [name, { clientId: agent.clientId, principalId: agent.principalId, subject: agent.subject }]),
    ),
  };
};
