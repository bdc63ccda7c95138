import * as assert from "assert";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { AgentWorkload } from "../../components";
import { TYPES, evaluate, isArgsError, ofType, one } from "../helpers";

const base = { namespace: "agents", clientId: "11111111-1111-1111-1111-111111111111", image: "registry.example.com/agent:1.0.0" };

describe("AgentWorkload", () => {
  it("annotates the ServiceAccount with the identity's client and tenant id and mounts no API token", async () => {
    const plan = await evaluate(() => new AgentWorkload("agent", { ...base, tenantId: "22222222-2222-2222-2222-222222222222", serviceAccountTokenExpirationSeconds: 7200 }));
    const sa = one(plan, TYPES.serviceAccount, "agent-sa").inputs as any;
    assert.deepStrictEqual(sa.metadata.annotations, {
      "azure.workload.identity/client-id": base.clientId,
      "azure.workload.identity/tenant-id": "22222222-2222-2222-2222-222222222222",
      "azure.workload.identity/service-account-token-expiration": "7200",
    });
    assert.strictEqual(sa.metadata.name, "agent");
    assert.strictEqual(sa.metadata.namespace, "agents");
    assert.strictEqual(sa.automountServiceAccountToken, false);
  });

  it("labels the pods for workload identity, binds them to the ServiceAccount and runs them restricted", async () => {
    const plan = await evaluate(() => new AgentWorkload("agent", { ...base, replicas: 3, env: { B: "2", A: "1" } }));
    const deployment = one(plan, TYPES.deployment, "agent-deployment");
    const spec = (deployment.inputs as any).spec;
    assert.strictEqual(spec.replicas, 3);
    assert.strictEqual(spec.template.metadata.labels["azure.workload.identity/use"], "true");
    assert.strictEqual(spec.template.spec.serviceAccountName, "agent");
    assert.ok(deployment.dependsOn.includes(one(plan, TYPES.serviceAccount, "agent-sa").urn), "the Deployment waits for its ServiceAccount");
    assert.deepStrictEqual(spec.template.spec.securityContext, { fsGroup: 65532, runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } });
    const container = spec.template.spec.containers[0];
    assert.deepStrictEqual(container.securityContext, {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepStrictEqual(container.resources, { limits: { cpu: "500m", memory: "512Mi" }, requests: { cpu: "100m", memory: "128Mi" } });
    assert.deepStrictEqual(container.env, [{ name: "A", value: "1" }, { name: "B", value: "2" }], "variables in a stable order");
    assert.strictEqual(container.envFrom, undefined);
    assert.deepStrictEqual(ofType(plan, TYPES.secret), []);
  });

  it("adds a ClusterIP Service only when the agent has a port", async () => {
    const withPort = await evaluate(() => new AgentWorkload("agent", { ...base, port: 8080 }));
    const service = one(withPort, TYPES.service, "agent-service").inputs as any;
    assert.deepStrictEqual(service.spec.ports, [{ name: "http", port: 8080, protocol: "TCP", targetPort: "http" }]);
    assert.deepStrictEqual(service.spec.selector, { "app.kubernetes.io/name": "agent" });
    const withoutPort = await evaluate(() => new AgentWorkload("agent", base));
    assert.deepStrictEqual(ofType(withoutPort, TYPES.service), []);
  });

  for (const [title, overrides, field] of [
    ["an image tagged latest", { image: "registry.example.com/agent:latest" }, "image"],
    ["a privileged port", { port: 443 }, "port"],
    ["a credential in the environment", { env: { GITHUB_TOKEN: "ghp_x" } }, "env.GITHUB_TOKEN"],
  ] as const) {
    it(`refuses ${title} before registering anything`, async () => {
      await assert.rejects(
        evaluate(() => new AgentWorkload("agent", { ...base, ...overrides })),
        (err: unknown) => isArgsError(err, "AgentWorkload", field),
      );
    });
  }

  it("starts the pods only after the resources it is told to wait for (the federated credentials)", async () => {
    const plan = await evaluate(() => {
      const federation = new managedidentity.FederatedIdentityCredential("agent-federation", {
        resourceGroupName: "rg",
        resourceName: "agent",
        issuer: "https://issuer.example/",
        subject: "system:serviceaccount:agents:agent",
        audiences: ["api://AzureADTokenExchange"],
      });
      return new AgentWorkload("agent", { ...base, federatedCredentials: [federation] });
    });
    assert.ok(one(plan, TYPES.deployment, "agent-deployment").dependsOn.includes(one(plan, TYPES.credential, "agent-federation").urn));
  });
});
