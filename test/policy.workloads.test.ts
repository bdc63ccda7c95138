import * as assert from "assert";
import { UNKNOWN, resourceViolations, runResourcePolicy, runStackPolicy, stackViolations } from "./lib/policyHarness";
import { podTemplateOf } from "../policy/rules/podSpec";

type Props = Record<string, any>;

const pod = (containers: Props[] = [{ name: "agent", image: "registry.example.com/agent:1.0.0" }], extra: Props = {}) => ({
  metadata: { labels: { "azure.workload.identity/use": "true" } },
  spec: { serviceAccountName: "agent", containers, ...extra },
});

/** Every workload kind, with its pods placed where that kind keeps them (Kubernetes API reference, workload resources). */
const KINDS: Array<{ type: string; wrap: (template: Props) => Props }> = [
  { type: "kubernetes:core/v1:Pod", wrap: (t) => ({ metadata: { namespace: "agents", labels: t.metadata.labels }, spec: t.spec }) },
  { type: "kubernetes:apps/v1:Deployment", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:apps/v1:ReplicaSet", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:apps/v1:StatefulSet", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:apps/v1:DaemonSet", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:batch/v1:Job", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:batch/v1:CronJob", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: t } } } }) },
  { type: "kubernetes:core/v1:ReplicationController", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:apps/v1:DeploymentPatch", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:apps/v1:StatefulSetPatch", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:apps/v1:DaemonSetPatch", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:batch/v1:JobPatch", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
  { type: "kubernetes:batch/v1:CronJobPatch", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { jobTemplate: { spec: { template: t } } } }) },
  { type: "kubernetes:core/v1:PodPatch", wrap: (t) => ({ metadata: { namespace: "agents", labels: t.metadata.labels }, spec: t.spec }) },
  { type: "kubernetes:extensions/v1beta1:Deployment", wrap: (t) => ({ metadata: { namespace: "agents" }, spec: { template: t } }) },
];

const annotatedSa = { type: "kubernetes:core/v1:ServiceAccount", props: { metadata: { name: "agent", namespace: "agents", annotations: { "azure.workload.identity/client-id": "00000000-0000-0000-0000-000000000000" } } } };

describe("the pod-spec reader (policy/rules/podSpec)", () => {
  it("finds the pods of every workload kind and its patch, and nothing in other kinds", () => {
    for (const { type, wrap } of KINDS) {
      const read = podTemplateOf(type, wrap(pod()));
      assert.ok(read, type);
      assert.strictEqual(read.spec?.containers[0].name, "agent", type);
      assert.strictEqual(read.metadata?.labels["azure.workload.identity/use"], "true", type);
      assert.strictEqual(read.patch, type.endsWith("Patch"), type);
    }
    assert.strictEqual(podTemplateOf("kubernetes:core/v1:Service", { spec: { template: pod() } }), undefined);
    assert.strictEqual(podTemplateOf("kubernetes:core/v1:ConfigMap", {}), undefined);
  });
});

describe("policy workload-identity-pods on every workload kind", () => {
  it("accepts labelled pods on an annotated ServiceAccount, for every kind", async () => {
    for (const { type, wrap } of KINDS) {
      assert.deepStrictEqual(await stackViolations("workload-identity-pods", [{ type, props: wrap(pod()) }, annotatedSa]), [], type);
    }
  });

  it("refuses unlabelled pods and pods on a ServiceAccount without a client id, for every non-patch kind", async () => {
    for (const { type, wrap } of KINDS.filter((k) => !k.type.endsWith("Patch"))) {
      const unlabelled = pod();
      unlabelled.metadata.labels = {} as never;
      assert.match((await stackViolations("workload-identity-pods", [{ type, props: wrap(unlabelled) }, annotatedSa]))[0], /lacks the label/, type);
      const bare = { type: annotatedSa.type, props: { metadata: { name: "agent", namespace: "agents" } } };
      assert.match((await stackViolations("workload-identity-pods", [{ type, props: wrap(pod()) }, bare]))[0], /not a ServiceAccount of this stack annotated/, type);
    }
  });

  it("lets a patch leave labels and ServiceAccount alone, but refuses a patch that turns workload identity off or moves pods to a bare ServiceAccount", async () => {
    const type = "kubernetes:apps/v1:DeploymentPatch";
    assert.deepStrictEqual(await stackViolations("workload-identity-pods", [{ type, props: { metadata: { name: "agent", namespace: "agents" }, spec: { replicas: 3 } } }]), []);
    const off = { metadata: { namespace: "agents" }, spec: { template: { metadata: { labels: { "azure.workload.identity/use": "false" } } } } };
    assert.match((await stackViolations("workload-identity-pods", [{ type, props: off }]))[0], /lacks the label/);
    const moved = { metadata: { namespace: "agents" }, spec: { template: { spec: { serviceAccountName: "default" } } } };
    assert.match((await stackViolations("workload-identity-pods", [{ type, props: moved }, annotatedSa]))[0], /agents\/default is not a ServiceAccount/);
  });

  it("during preview, reads the client-id annotation's presence without its (unknown) value", async () => {
    const unknownClientId = { type: annotatedSa.type, props: { metadata: { name: "agent", namespace: "agents", annotations: { "azure.workload.identity/client-id": UNKNOWN } } } };
    const out = await runStackPolicy("workload-identity-pods", [{ type: "kubernetes:apps/v1:Deployment", props: KINDS[1].wrap(pod()) }, unknownClientId]);
    assert.deepStrictEqual(out, { violations: [], advisories: [] });
  });
});

describe("policy no-latest-image on every workload kind", () => {
  it("accepts pinned images (tag or digest) and refuses latest, untagged and unparseable images, for every kind", async () => {
    for (const { type, wrap } of KINDS) {
      assert.deepStrictEqual(await resourceViolations("no-latest-image", type, wrap(pod())), [], type);
      assert.deepStrictEqual(await resourceViolations("no-latest-image", type, wrap(pod([{ name: "a", image: `registry.example.com/agent@sha256:${"a".repeat(64)}` }]))), [], type);
      for (const image of ["registry.example.com/agent:latest", "registry.example.com/agent"]) {
        assert.match((await resourceViolations("no-latest-image", type, wrap(pod([{ name: "a", image }]))))[0], /not pinned/, `${type} ${image}`);
      }
      for (const image of ["Registry.Example.com/Agent:1.0", "agent:1.0 ; rm -rf", "agent@sha256:short", "", "agent:"]) {
        assert.match((await resourceViolations("no-latest-image", type, wrap(pod([{ name: "a", image }]))))[0], /cannot be parsed/, `${type} ${image}`);
      }
    }
  });

  it("checks init and ephemeral containers too, and refuses a container with no image unless it is a patch", async () => {
    const withInit = pod(undefined, { initContainers: [{ name: "init", image: "busybox" }], ephemeralContainers: [{ name: "debug", image: "debug:latest" }] });
    assert.strictEqual((await resourceViolations("no-latest-image", "kubernetes:core/v1:Pod", KINDS[0].wrap(withInit))).length, 2);
    assert.match((await resourceViolations("no-latest-image", "kubernetes:apps/v1:Deployment", KINDS[1].wrap(pod([{ name: "a" }]))))[0], /has no image/);
    assert.deepStrictEqual(await resourceViolations("no-latest-image", "kubernetes:apps/v1:DeploymentPatch", KINDS[1].wrap(pod([{ name: "a", resources: {} }]))), []);
  });

  it("during preview, skips only the container whose image is unknown", async () => {
    const out = await runResourcePolicy("no-latest-image", "kubernetes:apps/v1:Deployment", KINDS[1].wrap(pod([{ name: "a", image: UNKNOWN }, { name: "b", image: "b:latest" }])));
    assert.strictEqual(out.violations.length, 1);
    assert.match(out.violations[0], /container b/);
    assert.match(out.advisories[0], /container a/);
  });
});

const storedCredentials = (type: string, props: Props) => resourceViolations("no-stored-credentials", type, props);
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("policy no-stored-credentials: credentials in every form", () => {
  const deployment = (containers?: Props[], extra: Props = {}) => KINDS[1].wrap(pod(containers, extra));

  it("accepts plain variables, endpoint URLs and a Key Vault CSI volume", async () => {
    const env = ["LOG_LEVEL=info", "MAX_TOKENS=4096", "SCAN_PROFILE=deep", "KEYVAULT_URL=https://fabrikam.vault.azure.net/", "AZURE_STORAGE_ACCOUNT_URL=https://fabrikamdata.blob.core.windows.net/"].map((kv) => ({ name: kv.split("=")[0], value: kv.slice(kv.indexOf("=") + 1) }));
    const csi = { volumes: [{ name: "kv", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "kv" } } }] };
    for (const { type, wrap } of KINDS) {
      assert.deepStrictEqual(await storedCredentials(type, wrap(pod([{ name: "a", image: "a:1", env }], csi))), [], type);
    }
  });

  it("refuses credential-like names in any case style and credential values, for every kind", async () => {
    for (const { type, wrap } of KINDS) {
      for (const name of ["PGPASSWORD", "dbPassword", "DB-PASSWORD", "REDIS_PASS"]) {
        assert.match((await storedCredentials(type, wrap(pod([{ name: "a", image: "a:1", env: [{ name, value: "x" }] }]))))[0], /looks like a credential/, `${type} ${name}`);
      }
      for (const value of ["postgres://app:hunter2@db/app", "Server=db;Password=hunter2", "ghp_" + "a".repeat(36), "AKIAIOSFODNN7EXAMPLE"]) {
        assert.strictEqual((await storedCredentials(type, wrap(pod([{ name: "a", image: "a:1", env: [{ name: "DATABASE", value }] }])))).length, 1, `${type} ${value}`);
      }
    }
  });

  it("refuses Secret references: secretKeyRef, envFrom, secret and projected-secret volumes, azureFile and CSI secret refs, image pull secrets", async () => {
    const cases: Array<[Props, RegExp]> = [
      [deployment([{ name: "a", image: "a:1", env: [{ name: "DATABASE", valueFrom: { secretKeyRef: { name: "db", key: "url" } } }] }]), /reads Secret db/],
      [deployment([{ name: "a", image: "a:1", envFrom: [{ secretRef: { name: "creds" } }] }]), /envFrom reads Secret creds/],
      [deployment(undefined, { volumes: [{ name: "s", secret: { secretName: "creds" } }] }), /secret volume s \(Secret creds\)/],
      [deployment(undefined, { volumes: [{ name: "p", projected: { sources: [{ serviceAccountToken: { path: "t" } }, { secret: { name: "creds" } }] } }] }), /projected volume p \(Secret creds\)/],
      [deployment(undefined, { volumes: [{ name: "f", azureFile: { secretName: "storage-key", shareName: "s" } }] }), /azureFile volume f/],
      [deployment(undefined, { volumes: [{ name: "c", csi: { driver: "file.csi.azure.com", nodePublishSecretRef: { name: "storage-key" } } }] }), /csi volume c/],
      [deployment(undefined, { imagePullSecrets: [{ name: "acr" }] }), /imagePullSecrets names Secret acr.*AcrPull/],
    ];
    for (const [props, says] of cases) {
      const found = await storedCredentials("kubernetes:apps/v1:Deployment", props);
      assert.strictEqual(found.length, 1, String(says));
      assert.match(found[0], says);
    }
    assert.deepStrictEqual(await storedCredentials("kubernetes:apps/v1:Deployment", deployment(undefined, { volumes: [{ name: "p", projected: { sources: [{ serviceAccountToken: { path: "t", audience: "api://AzureADTokenExchange" } }] } }] })), []);
  });

  it("refuses env from a ConfigMap key that looks like a credential, and ConfigMaps holding credential-like keys or values", async () => {
    const fromConfigMap = deployment([{ name: "a", image: "a:1", env: [{ name: "DATABASE", valueFrom: { configMapKeyRef: { name: "settings", key: "db-password" } } }] }]);
    assert.match((await storedCredentials("kubernetes:apps/v1:Deployment", fromConfigMap))[0], /ConfigMap key "db-password"/);
    const plain = deployment([{ name: "a", image: "a:1", env: [{ name: "LEVEL", valueFrom: { configMapKeyRef: { name: "settings", key: "log-level" } } }] }]);
    assert.deepStrictEqual(await storedCredentials("kubernetes:apps/v1:Deployment", plain), []);
    for (const type of ["kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:ConfigMapPatch"]) {
      assert.deepStrictEqual(await storedCredentials(type, { data: { "log-level": "info", "keyvault-url": "https://v.vault.azure.net/" } }), []);
      assert.match((await storedCredentials(type, { data: { dbPassword: "x" } }))[0], /ConfigMap key "dbPassword" looks like a credential/);
      assert.match((await storedCredentials(type, { data: { database: "postgres://app:hunter2@db/app" } }))[0], /user:password/);
    }
  });

  it("decodes Secret data (base64) and reads stringData; refuses dockerconfigjson, TLS and other credential Secret types", async () => {
    const secret = "kubernetes:core/v1:Secret";
    assert.deepStrictEqual(await storedCredentials(secret, { data: { "feature-flags.json": b64("{}") }, stringData: { "settings.json": "{}" } }), []);
    assert.match((await storedCredentials(secret, { data: { "config.txt": b64("Server=db;Password=hunter2") } }))[0], /Secret key "config.txt": the value is a connection string with a password/);
    assert.match((await storedCredentials(secret, { data: { blob: b64("ghp_" + "a".repeat(36)) } }))[0], /GitHub token/);
    assert.match((await storedCredentials("kubernetes:core/v1:SecretPatch", { stringData: { DB_PASSWORD: "x" } }))[0], /looks like a credential/);
    for (const type of ["kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg", "kubernetes.io/tls", "kubernetes.io/basic-auth", "kubernetes.io/ssh-auth", "kubernetes.io/service-account-token"]) {
      assert.match((await storedCredentials(secret, { type }))[0], new RegExp(`Secret of type ${type.replace(/\./g, "\\.")} carries credentials`), type);
    }
    assert.match((await storedCredentials(secret, { type: "kubernetes.io/dockerconfigjson" }))[0], /AcrPull/);
    assert.match((await storedCredentials(secret, { type: "kubernetes.io/tls" }))[0], /Key Vault/);
  });

  it("refuses image pull secrets on a ServiceAccount", async () => {
    assert.match((await storedCredentials("kubernetes:core/v1:ServiceAccount", { metadata: { name: "a" }, imagePullSecrets: [{ name: "acr" }] }))[0], /AcrPull/);
  });

  it("during preview, skips only the variable whose value is unknown and still refuses the others", async () => {
    const out = await runResourcePolicy("no-stored-credentials", "kubernetes:apps/v1:Deployment", deployment([{ name: "a", image: "a:1", env: [{ name: "CALLERS", value: UNKNOWN }, { name: "DB_URL", value: "postgres://app:hunter2@db/app" }] }]));
    assert.strictEqual(out.violations.length, 1);
    assert.match(out.violations[0], /DB_URL/);
    assert.strictEqual(out.advisories.length, 1);
    assert.match(out.advisories[0], /variable CALLERS/);
  });
});
