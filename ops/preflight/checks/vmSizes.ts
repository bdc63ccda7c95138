/**
 * The node pools' VM size is offered in the region and in every configured zone, without a
 * restriction for this subscription. ARM: Microsoft.Compute/skus (ResourceSku: resourceType, name,
 * locationInfo[].zones, restrictions[] of type Location or Zone with restrictionInfo.zones).
 */
import { CheckResult, ok, problem } from "../../lib/check";
import { couldNotCheck } from "../../lib/errors";
import { PreflightContext } from "../context";

/** Looks the VM size up in the region's SKU list. */
export async function checkVmSizes(ctx: PreflightContext): Promise<CheckResult> {
  const { cluster, location } = ctx.stack.config;
  if (cluster.existingClusterId) {
    return ok("vm-size", "The cluster is adopted: its node pools are not created by this stack.");
  }
  const { vmSize, availabilityZones } = cluster.systemNodePool;
  const key = `${ctx.stack.project}:cluster.systemNodePool`;
  const skus = [];
  try {
    for await (const sku of ctx.azure.compute(ctx.subscriptionId).resourceSkus.list({ filter: `location eq '${location}'` })) {
      if (sku.resourceType === "virtualMachines" && sku.name?.toLowerCase() === vmSize.toLowerCase()) {
        skus.push(sku);
      }
    }
  } catch (err) {
    return couldNotCheck("vm-size", `the VM sizes offered in ${location}`, err, vmSize);
  }
  const sku = skus[0];
  if (!sku) {
    return problem("vm-size", `${vmSize} is not offered in ${location}.`, `set ${key}.vmSize to a size offered there (az vm list-skus -l ${location} --resource-type virtualMachines -o table).`, vmSize);
  }
  const restrictions = sku.restrictions ?? [];
  const locationRestriction = restrictions.find((r) => r.type === "Location");
  if (locationRestriction) {
    return problem("vm-size", `${vmSize} is restricted in ${location} for this subscription (${locationRestriction.reasonCode ?? "restricted"}).`, `choose another ${key}.vmSize, or ask Azure support to lift the restriction.`, vmSize);
  }
  const info = (sku.locationInfo ?? []).find((l) => l.location?.toLowerCase() === location.toLowerCase());
  const restrictedZones = new Set(restrictions.filter((r) => r.type === "Zone").flatMap((r) => r.restrictionInfo?.zones ?? []));
  const offeredZones = (info?.zones ?? []).filter((z) => !restrictedZones.has(z));
  const missing = availabilityZones.filter((z) => !offeredZones.includes(z));
  if (missing.length > 0) {
    return problem(
      "vm-size",
      `${vmSize} is not offered in zone${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${location} (offered: ${offeredZones.join(", ") || "none"}).`,
      `set ${key}.availabilityZones to zones among ${JSON.stringify(offeredZones)}, or choose a vmSize offered in every zone.`,
      vmSize,
    );
  }
  return ok("vm-size", `${vmSize} is offered in ${location}${availabilityZones.length ? `, zones ${availabilityZones.join(", ")}` : ""}.`, vmSize);
}
