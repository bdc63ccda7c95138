/**
 * Runs preflight and doctor against the three doubles (ARM, Graph, Kubernetes) with a World:
 * DefaultAzureCredential is fed through its Azure CLI credential by a stand-in `az` on PATH (as in
 * test/runtime/jit.test.ts), Kubernetes through a kubeconfig whose CA is the doubles' certificate.
 */
import { spawn } from "child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { stringify } from "yaml";
import { runCli } from "../../ops/lib/cli";
import { HttpsDouble, LoggedRequest } from "./httpsDouble";
import { World, DEPLOYER } from "./world";
import { armRoute } from "./armRoutes";
import { graphRoute } from "./graphRoutes";
import { kubeRoute, kubeStatus } from "./kubeRoutes";
import { TENANT, TempProject, healthyConfig } from "./stack";

/** The output of one run. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Who the stand-in `az` signs in as. */
export type SignIn = { type: "ServicePrincipal" } | { type: "User" } | { type: "Nobody" };

export class Harness {
  world = new World();
  readonly arm = new HttpsDouble("arm", (r) => armRoute(this.world, r));
  readonly graph = new HttpsDouble("graph", (r) => graphRoute(this.world, r));
  readonly kube = new HttpsDouble("kube", (r) => kubeRoute(this.world, r), (s, code, message) => kubeStatus(s, code, message));
  readonly project = new TempProject();
  private readonly bin = mkdtempSync(path.join(tmpdir(), "ops-bin-"));
  private saved: Record<string, string | undefined> = {};

  /** Starts the doubles, writes the healthy stack, the stand-in az and the kubeconfig. */
  async start(): Promise<void> {
    await Promise.all([this.arm.start(), this.graph.start(), this.kube.start()]);
    this.project.write(healthyConfig());
    writeFileSync(path.join(this.bin, "az"), `#!/bin/sh\necho "$@" >> "$OPS_FAKE_AZ_LOG"\ncat "$OPS_FAKE_AZ_TOKEN" || exit 1\n`);
    chmodSync(path.join(this.bin, "az"), 0o755);
    this.signIn({ type: "ServicePrincipal" });
    writeFileSync(path.join(this.bin, "ca.pem"), this.arm.ca);
    const kubeconfig = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "contoso-aks", cluster: { server: this.kube.url, "certificate-authority-data": Buffer.from(this.kube.ca).toString("base64") } }],
      users: [{ name: "clusterUser", user: { token: "kube-test-token" } }],
      contexts: [
        { name: "contoso-aks", context: { cluster: "contoso-aks", user: "clusterUser" } },
        { name: "other", context: { cluster: "contoso-aks", user: "clusterUser", namespace: "default" } },
      ],
      "current-context": "contoso-aks",
    };
    writeFileSync(path.join(this.bin, "kubeconfig"), stringify(kubeconfig));
  }

  /** Sets who the stand-in az returns a token for. */
  signIn(who: SignIn): void {
    const file = path.join(this.bin, "token.json");
    if (who.type === "Nobody") {
      rmSync(file, { force: true });
      return;
    }
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const claims =
      who.type === "User"
        ? { oid: DEPLOYER.objectId, tid: TENANT, idtyp: "user", upn: "ops-admin@contoso.com", scp: "user_impersonation" }
        : { oid: DEPLOYER.objectId, tid: TENANT, idtyp: "app", appid: DEPLOYER.appId };
    const jwt = `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.signature`;
    writeFileSync(file, JSON.stringify({ accessToken: jwt, expiresOn: "2099-01-01 00:00:00.000000", expires_on: Math.floor(Date.now() / 1000) + 3600, tokenType: "Bearer", tenant: TENANT }));
  }

  /** The environment that points DefaultAzureCredential and the Kubernetes client at the doubles. */
  env(): Record<string, string> {
    return {
      PATH: `${this.bin}:${process.env.PATH}`,
      AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
      OPS_FAKE_AZ_TOKEN: path.join(this.bin, "token.json"),
      OPS_FAKE_AZ_LOG: path.join(this.bin, "az.log"),
      KUBECONFIG: path.join(this.bin, "kubeconfig"),
    };
  }

  /** Endpoint arguments for the doubles. */
  endpoints(): string[] {
    return ["--arm-endpoint", this.arm.url, "--graph-endpoint", this.graph.url, "--project-dir", this.project.dir];
  }

  /** Runs a command in this process (the credential chain reads the environment set here). */
  async run(command: "preflight" | "doctor", args: string[]): Promise<Run> {
    const env = this.env();
    for (const [k, v] of Object.entries(env)) {
      this.saved[k] = process.env[k];
      process.env[k] = v;
    }
    let stdout = "";
    let stderr = "";
    try {
      const code = await runCli(command, [...this.endpoints(), ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ca: this.arm.ca, env: {} });
      return { code, stdout, stderr };
    } finally {
      for (const [k, v] of Object.entries(this.saved)) {
        if (v === undefined) {
          delete process.env[k];
        } else {
          process.env[k] = v;
        }
      }
    }
  }

  /** Runs the compiled script as a child process, trusting the doubles through NODE_EXTRA_CA_CERTS. */
  spawn(command: "preflight" | "doctor", args: string[], withEndpoints = true): Promise<Run> {
    const script = path.join(__dirname, "../../scripts", `${command}.js`);
    const child = spawn(process.execPath, [script, ...args, ...(withEndpoints ? this.endpoints() : [])], {
      env: { ...process.env, ...this.env(), NODE_EXTRA_CA_CERTS: path.join(this.bin, "ca.pem") },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  }

  /** The argument lines the stand-in az was called with. */
  azCalls(): string[] {
    const file = path.join(this.bin, "az.log");
    return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n") : [];
  }

  /** Every request any double received. */
  requests(): Array<LoggedRequest & { double: string }> {
    return [...this.arm.log.map((r) => ({ ...r, double: "arm" })), ...this.graph.log.map((r) => ({ ...r, double: "graph" })), ...this.kube.log.map((r) => ({ ...r, double: "kube" }))];
  }

  /** Resets the world and the logs between tests. */
  reset(): void {
    this.world = new World();
    for (const d of [this.arm, this.graph, this.kube]) {
      d.log.length = 0;
      d.faults.length = 0;
    }
    this.project.write(healthyConfig());
    this.signIn({ type: "ServicePrincipal" });
    rmSync(path.join(this.bin, "az.log"), { force: true });
  }

  async stop(): Promise<void> {
    await Promise.all([this.arm.stop(), this.graph.stop(), this.kube.stop()]);
    this.project.remove();
    rmSync(this.bin, { recursive: true, force: true });
  }
}
