/**
 * The AKS Kubernetes release calendar, vendored so that a pinned `cluster.kubernetesVersion` is checked
 * offline and deterministically (never against "today").
 *
 * Source: Microsoft Learn, "Supported Kubernetes versions in Azure Kubernetes Service (AKS)",
 * learn.microsoft.com/azure/aks/supported-kubernetes-versions (MicrosoftDocs/azure-aks-docs,
 * articles/aks/supported-kubernetes-versions.md, ms.date 2026-08-05), section "AKS Kubernetes release
 * calendar". Read on 2026-11-29. "Unless an explicit date is provided, the End of Life (EOL) date is the
 * last day of the specified month." Refresh this table when AKS publishes a new minor; `npm run preflight`
 * asks the region for the versions it really offers.
 */

/** One Kubernetes minor on AKS. */
export interface AksMinorVersion {
  /** The minor, e.g. `1.35`. */
  minor: string;
  /** Month AKS made it generally available (YYYY-MM). */
  aksGa: string;
  /** Last day of AKS standard support (YYYY-MM-DD). */
  endOfLife: string;
}

/** The day the calendar below was read: "supported" means supported on this day and for 30 more days. */
export const AKS_CALENDAR_READ_ON = "2026-11-29";

/** AKS's calendar rows (1.32 to 1.37), as published. */
export const AKS_KUBERNETES_CALENDAR: readonly AksMinorVersion[] = [
  { minor: "1.32", aksGa: "2025-04", endOfLife: "2026-03-31" },
  { minor: "1.33", aksGa: "2025-06", endOfLife: "2026-07-31" },
  { minor: "1.34", aksGa: "2025-11", endOfLife: "2026-11-30" },
  { minor: "1.35", aksGa: "2026-03", endOfLife: "2027-03-31" },
  { minor: "1.36", aksGa: "2026-06", endOfLife: "2027-06-30" },
  { minor: "1.37", aksGa: "2026-10", endOfLife: "2027-10-31" },
];

const DAY_MS = 24 * 60 * 60 * 1000;
/** A version must stay supported this long after the calendar date to be accepted. */
const MIN_REMAINING_DAYS = 30;

/** Minors AKS supports on the calendar's date for at least 30 more days, oldest first. */
export function supportedAksMinors(): string[] {
  const readOn = Date.parse(`${AKS_CALENDAR_READ_ON}T00:00:00Z`);
  return AKS_KUBERNETES_CALENDAR.filter((v) => Date.parse(`${v.endOfLife}T00:00:00Z`) - readOn >= MIN_REMAINING_DAYS * DAY_MS).map((v) => v.minor);
}

/** Why a pinned version is not acceptable, or undefined when it is. */
export function unsupportedAksVersionReason(version: string): string | undefined {
  const minor = version.split(".").slice(0, 2).join(".");
  const supported = supportedAksMinors();
  if (supported.includes(minor)) {
    return undefined;
  }
  const row = AKS_KUBERNETES_CALENDAR.find((v) => v.minor === minor);
  const choices = supported.map((m) => JSON.stringify(m)).join(", ");
  if (row) {
    return `Kubernetes ${minor} leaves AKS support on ${row.endOfLife} (AKS release calendar read ${AKS_CALENDAR_READ_ON}), and AKS refuses to create clusters on unsupported versions. Fix: remove kubernetesVersion to let AKS pick its default, or use one of ${choices}.`;
  }
  const [major, minorNumber] = minor.split(".").map(Number);
  const newest = AKS_KUBERNETES_CALENDAR[AKS_KUBERNETES_CALENDAR.length - 1].minor.split(".").map(Number);
  if (major > newest[0] || (major === newest[0] && minorNumber > newest[1])) {
    return `Kubernetes ${minor} is not in the AKS release calendar read ${AKS_CALENDAR_READ_ON} (newest ${newest.join(".")}). Fix: use one of ${choices}; if AKS has released ${minor} since, update rules/aksVersions.ts from the calendar.`;
  }
  return `Kubernetes ${minor} is no longer supported by AKS. Fix: remove kubernetesVersion to let AKS pick its default, or use one of ${choices}.`;
}
