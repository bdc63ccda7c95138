/**
 * Rewrites the user kubeconfig AKS returns for Entra ID clusters so that it never asks for an
 * interactive login. AKS writes `kubelogin get-token --login devicecode`; a deployment (a person's
 * `pulumi up` or a CI job) needs a non-interactive mode instead.
 */
import { parse, stringify } from "yaml";
import { CLUSTER_CHOICES } from "../../rules/clusterChoices";

/** The Entra ID server application id of the AKS AAD integration, the same in every tenant. */
export const AKS_AAD_SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** Non-interactive kubelogin modes this component can write into a kubeconfig. */
export const KUBELOGIN_MODES = CLUSTER_CHOICES.kubeloginMode.values;

interface ExecConfig {
  command?: string;
  args?: string[];
  interactiveMode?: string;
  [key: string]: unknown;
}

/** Returns the value following `flag` in a kubelogin argument list. */
function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined;
}

/**
 * Returns the kubeconfig with every kubelogin exec user switched to `kubelogin get-token --login <mode>`,
 * keeping the server id and environment AKS wrote. Throws when the mode is unknown or the kubeconfig
 * has no user at all; users without an exec section (certificate users) are left as they are.
 */
export function toNonInteractiveKubeconfig(kubeconfigYaml: string, loginMode: string): string {
  if (!(KUBELOGIN_MODES as readonly string[]).includes(loginMode)) {
    throw new Error(`kubeloginMode ${JSON.stringify(loginMode)} is not supported. Fix: use one of ${KUBELOGIN_MODES.join(", ")}.`);
  }
  const doc = parse(kubeconfigYaml) as { users?: Array<{ user?: { exec?: ExecConfig } }> } | null;
  if (!doc || !Array.isArray(doc.users) || doc.users.length === 0) {
    throw new Error("The cluster's user kubeconfig has no users; cannot configure kubelogin.");
  }
  for (const entry of doc.users) {
    const exec = entry.user?.exec;
    if (!exec || !String(exec.command ?? "").endsWith("kubelogin")) {
      continue;
    }
    const original = Array.isArray(exec.args) ? exec.args.map(String) : [];
    const args = ["get-token", "--login", loginMode, "--server-id", flagValue(original, "--server-id") ?? AKS_AAD_SERVER_ID];
    const environment = flagValue(original, "--environment");
    if (environment) {
      args.push("--environment", environment);
    }
    exec.args = args;
    exec.interactiveMode = "Never";
  }
  return stringify(doc);
}
