/**
 * A pinned Kubernetes version is offered by AKS in the region: AKS refuses to create clusters on a
 * version it no longer supports (DESIGN.md §6). ARM: Microsoft.ContainerService
 * locations/{location}/kubernetesVersions (KubernetesVersionListResult: values[].version,
 * values[].patchVersions, values[].isPreview).
 */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { PreflightContext } from "../context";

/** Compares `cluster.kubernetesVersion` with AKS's list for the location. */
export async function checkKubernetesVersion(ctx: PreflightContext): Promise<CheckResult> {
  const { cluster, location } = ctx.stack.config;
  const pinned = cluster.kubernetesVersion;
  if (cluster.existingClusterId) {
    return ok("kubernetes-version", "The cluster is adopted (cluster.existingClusterId): its version is not set by this stack.");
  }
  if (!pinned) {
    return ok("kubernetes-version", "cluster.kubernetesVersion is not pinned: AKS picks its default version.");
  }
  let offered;
  try {
    offered = await ctx.azure.containerService(ctx.subscriptionId).managedClusters.listKubernetesVersions(location);
  } catch (err) {
    return couldNotCheck("kubernetes-version", `the Kubernetes versions AKS offers in ${location}`, err, pinned);
  }
  const minors = offered.values ?? [];
  const minor = pinned.split(".").slice(0, 2).join(".");
  const found = minors.find((v) => v.version === minor);
  const patchOk = pinned === minor || Object.keys(found?.patchVersions ?? {}).includes(pinned);
  const list = minors.map((v) => `${v.version}${v.isPreview ? " (preview)" : ""}`).join(", ");
  if (!found || !patchOk) {
    const patches = found ? ` (patches of ${minor}: ${Object.keys(found.patchVersions ?? {}).join(", ")})` : "";
    return problem(
      "kubernetes-version",
      `Kubernetes ${pinned} is not offered by AKS in ${location}; offered: ${list}${patches}. Creating the cluster would fail.`,
      `set ${ctx.stack.project}:cluster.kubernetesVersion to an offered version (az aks get-versions -l ${location}), or remove it to take AKS's default.`,
      pinned,
    );
  }
  if (found.isPreview) {
    return problem("kubernetes-version", `Kubernetes ${pinned} is a preview version in ${location}.`, `pin a generally available version (az aks get-versions -l ${location}).`, pinned);
  }
  return ok("kubernetes-version", `Kubernetes ${pinned} is offered in ${location}.`, pinned);
}
