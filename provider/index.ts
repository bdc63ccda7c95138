/**
 * The component provider: serves the components to Pulumi programs in any language
 * (`pulumi package add <path to this folder>`). Pulumi starts this file; it never runs in a stack.
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { AgentApi, AgentCluster, AgentIdentity, AgentNamespace, AgentWorkload, CustomRole, JitAccess } from "../components";

componentProviderHost({
  name: "agent-identity",
  dirname: __dirname,
  components: [AgentCluster, AgentIdentity, AgentNamespace, AgentWorkload, AgentApi, CustomRole, JitAccess],
});
