/**
 * The Kubernetes API as the test double serves it (kubernetes OpenAPI v1 / apps/v1): read
 * ServiceAccount (metadata.annotations, metadata.managedFields[].time/fieldsV1), list Pods with a
 * labelSelector, read Deployment; a missing object is a 404 `Status` with reason NotFound.
 */
import { LoggedRequest, Reply } from "./httpsDouble";
import { World } from "./world";

/** The Kubernetes error body. */
export function kubeStatus(status: number, code: string, message: string): unknown {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: code, code: status };
}

/** Routes one Kubernetes request. */
export function kubeRoute(world: World, req: LoggedRequest): Reply | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)$/.exec(req.path))) {
    const sa = m[1] === "agents" ? world.serviceAccounts.get(m[2]) : undefined;
    if (!sa) {
      return { status: 404, body: kubeStatus(404, "NotFound", `serviceaccounts "${m[2]}" not found`) };
    }
    const annotations = sa.clientId ? { "azure.workload.identity/client-id": sa.clientId } : {};
    return {
      status: 200,
      body: {
        kind: "ServiceAccount",
        apiVersion: "v1",
        metadata: {
          name: m[2],
          namespace: m[1],
          creationTimestamp: "2026-11-29T07:00:00Z",
          labels: { "app.kubernetes.io/name": m[2] },
          annotations,
          managedFields: [
            {
              manager: "pulumi-kubernetes",
              operation: "Apply",
              apiVersion: "v1",
              time: sa.annotatedAt,
              fieldsType: "FieldsV1",
              fieldsV1: { "f:metadata": { "f:annotations": sa.clientId ? { "f:azure.workload.identity/client-id": {} } : {}, "f:labels": { "f:app.kubernetes.io/name": {} } }, "f:automountServiceAccountToken": {} },
            },
          ],
        },
        automountServiceAccountToken: false,
      },
    };
  }
  if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(req.path))) {
    const agent = /^app\.kubernetes\.io\/name=(.+)$/.exec(req.query.get("labelSelector") ?? "")?.[1];
    const items = world.pods
      .filter((pod) => m![1] === "agents" && pod.agent === agent)
      .map((pod) => ({
        metadata: { name: pod.name, namespace: "agents", labels: pod.labels, creationTimestamp: pod.created },
        spec: {
          serviceAccountName: pod.serviceAccount,
          containers: [{ name: "agent", image: `contosoacr.azurecr.io/agents/${pod.agent}:1.0.0`, env: Object.entries(pod.env).map(([name, value]) => ({ name, value })) }],
          volumes: [
            { name: "tmp", emptyDir: {} },
            ...(pod.tokenVolume ? [{ name: "azure-identity-token", projected: { defaultMode: 420, sources: [{ serviceAccountToken: { audience: pod.tokenVolume, expirationSeconds: 3600, path: "azure-identity-token" } }] } }] : []),
          ],
        },
        status: { phase: "Running", startTime: pod.created },
      }));
    return { status: 200, body: { kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items } };
  }
  if ((m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)$/.exec(req.path))) {
    const d = m[1] === "agents" ? world.deployments.get(m[2]) : undefined;
    if (!d) {
      return { status: 404, body: kubeStatus(404, "NotFound", `deployments.apps "${m[2]}" not found`) };
    }
    return {
      status: 200,
      body: {
        kind: "Deployment",
        apiVersion: "apps/v1",
        metadata: { name: m[2], namespace: m[1], labels: d.labels },
        spec: {
          replicas: d.replicas,
          selector: { matchLabels: { "app.kubernetes.io/name": m[2] } },
          template: {
            metadata: { labels: d.templateLabels },
            spec: { serviceAccountName: m[2], containers: [{ name: "agent", image: `contosoacr.azurecr.io/agents/${m[2]}:1.0.0`, env: Object.entries(d.env).map(([name, value]) => ({ name, value })) }] },
          },
        },
      },
    };
  }
  return undefined;
}
