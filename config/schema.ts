/**
 * The stack config schema (zod). Every rule carries its own fix, so the one error the user sees names
 * the key and says what to write instead.
 */
import { z } from "zod";
import { CLUSTER_CHOICES, NODE_POOL_DEFAULTS } from "../rules/clusterChoices";
import { ApproverType, AvailabilityZone, DeployerPrincipalType, OsSku } from "../rules/choices";
import { MAX_ACTIVATION_MINUTES, MIN_ACTIVATION_MINUTES, durationMinutes } from "../rules/durations";
import { resolveRoleReference, roleKey, unknownRoleMessage } from "../rules/roles";
import { builtInRoleIgnoringCase } from "../rules/builtInRoles";
import { unsupportedAksVersionReason } from "../rules/aksVersions";
import { refineScopesInCreatedGroup } from "./scopes";
import { formatted, integer, oneOf } from "./fields";
import { credentialFix, credentialInName, credentialInValue } from "../rules/credentials";
import { privilegedRole } from "../rules/privilegedRoles";
import { optionalAuditSchema, refineAuditRequired } from "./audit";
import {
  ARM_SCOPE,
  CONTAINER_REGISTRY_ID,
  EMAIL,
  ELIGIBILITY_START,
  isWithinScope,
  AKS_CLUSTER_ID,
  AKS_CLUSTER_NAME,
  AZURE_LOCATION,
  CPU_QUANTITY,
  ENV_NAME,
  GUID,
  IPV4_CIDR,
  KUBERNETES_LABEL,
  KUBERNETES_SUBDOMAIN,
  KUBERNETES_VERSION,
  MAX_FEDERATED_CREDENTIALS_PER_IDENTITY,
  MEMORY_QUANTITY,
  RESOURCE_GROUP_NAME,
  WEBHOOK_INJECTED_ENV,
  cpuMillicores,
  memoryBytes,
  azureContainerRegistryName,
  parseImageReference,
  registryNameOfId,
} from "../rules/formats";

const guid = formatted(GUID, "a GUID", 'write the object id as a GUID, e.g. "00000000-0000-0000-0000-000000000000".', 36);

const kubernetesName = formatted(
  KUBERNETES_LABEL,
  "a valid Kubernetes name",
  'use lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters (e.g. "security-scanner").',
  63,
);

const serviceAccountName = formatted(
  KUBERNETES_SUBDOMAIN,
  "a valid Kubernetes ServiceAccount name",
  'use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit.',
);

const image = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required. Fix: set a pinned image, e.g. "myregistry.azurecr.io/agents/name:1.2.3".' : "must be a string.") })
  .superRefine((value, ctx) => {
    const ref = parseImageReference(value);
    if (!ref) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(value)} is not a valid image reference. Fix: write "registry/repository:tag" or "registry/repository@sha256:<64 hex digits>".`,
      });
    } else if (!ref.tag && !ref.digest) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(value)} has no tag or digest, which means "latest". Fix: pin a version tag or a digest, e.g. "${ref.repository}:1.0.0".`,
      });
    } else if (ref.tag === "latest" && !ref.digest) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(value)} uses the tag "latest", which makes deployments unrepeatable. Fix: pin a version tag or a digest, e.g. "${ref.repository}:1.0.0".`,
      });
    }
  });

const cpu = formatted(CPU_QUANTITY, "a CPU quantity", 'write millicores or cores, e.g. "250m" or "1".', 32);
const memory = formatted(MEMORY_QUANTITY, "a memory quantity", 'write bytes with a unit, e.g. "256Mi" or "1Gi".', 32);

const resourceList = z.object({ cpu, memory }).strict();

/** Requests and limits of the agent's container. */
const resources = z
  .object({
    requests: resourceList.default({ cpu: "100m", memory: "128Mi" }),
    limits: resourceList.default({ cpu: "500m", memory: "512Mi" }),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (cpuMillicores(value.requests.cpu) > cpuMillicores(value.limits.cpu)) {
      ctx.addIssue({ code: "custom", path: ["requests", "cpu"], message: `${value.requests.cpu} is above the limit ${value.limits.cpu}. Fix: lower the request or raise the limit.` });
    }
    if (memoryBytes(value.requests.memory) > memoryBytes(value.limits.memory)) {
      ctx.addIssue({ code: "custom", path: ["requests", "memory"], message: `${value.requests.memory} is above the limit ${value.limits.memory}. Fix: lower the request or raise the limit.` });
    }
  });

const envMap = z.record(z.string(), z.string({ error: 'must be a string. Fix: quote the value, e.g. "8".' })).superRefine((env, ctx) => {
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) {
      ctx.addIssue({ code: "custom", path: [name], message: `${JSON.stringify(name)} is not a valid variable name. Fix: use letters, digits and "_", not starting with a digit.` });
    } else if (name.startsWith("AGENT_AUTH_") || name === "AGENT_CALLEES") {
      ctx.addIssue({ code: "custom", path: [name], message: `is set by the platform from the call graph (caller validation). Fix: remove it; list callers with "calls" instead.` });
    } else if (WEBHOOK_INJECTED_ENV.includes(name)) {
      ctx.addIssue({ code: "custom", path: [name], message: `is injected by the workload identity webhook. Fix: remove it; the webhook sets it from the agent's identity.` });
    } else {
      const byName = credentialInName(name);
      const byValue = byName ? undefined : credentialInValue(value);
      if (byName) {
        ctx.addIssue({ code: "custom", path: [name], message: `looks like a credential (${byName.reason}), and agents hold no stored credentials. Fix: ${credentialFix(byName.kind)}` });
      } else if (byValue) {
        ctx.addIssue({ code: "custom", path: [name], message: `holds what looks like a key, SAS token or JWT or another credential (${byValue.reason}). Fix: ${credentialFix(byValue.kind)}` });
      }
    }
  }
});

const armScope = formatted(
  ARM_SCOPE,
  "an Azure scope",
  'write "/subscriptions/<subscription guid>", add "/resourceGroups/<group>", or a resource id below them (az resource show --query id -o tsv).',
  1024,
);

const roleReference = z.string({ error: 'is required. Fix: name the role, e.g. "Sensitive Data Reader" or "Storage Blob Data Reader".' }).min(1, { error: "is empty. Fix: name the role." });

const activationDuration = z.string({ error: 'must be an ISO 8601 duration. Fix: write e.g. "PT2H".' }).superRefine((value, ctx) => {
  const minutes = durationMinutes(value);
  if (minutes === undefined) {
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} is not an ISO 8601 duration of hours and minutes. Fix: write e.g. "PT1H", "PT90M" or "PT4H".` });
  } else if (minutes < MIN_ACTIVATION_MINUTES || minutes > MAX_ACTIVATION_MINUTES) {
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} is outside PT1H-PT4H; sensitive access is activated for 1 to 4 hours. Fix: use a duration from PT1H to PT4H.` });
  }
});

/** One role the agent is only eligible for, activated just in time. */
const jitEntry = z
  .object({
    role: roleReference,
    scope: armScope,
    maxDuration: activationDuration.default("PT1H"),
    justification: z
      .string({ error: "is required. Fix: say why the agent needs this access; PIM records it with the eligibility." })
      .min(10, { error: "is too short. Fix: say in a sentence why the agent needs this access." })
      .max(500, { error: "is longer than 500 characters. Fix: shorten it." }),
  })
  .strict();

/** The explicit, reasoned exception that lets one standing assignment hold a privileged role. */
const allowPrivileged = z
  .object({
    reason: z
      .string({ error: "is required. Fix: say why this agent needs the privileged role standing rather than just in time." })
      .min(20, { error: "is too short. Fix: say in a sentence why this agent needs the privileged role standing rather than just in time." })
      .max(500, { error: "is longer than 500 characters. Fix: shorten it." }),
  })
  .strict();

/** One standing, least-privilege role assignment; a privileged role needs `allowPrivileged: { reason }`. */
const roleAssignmentEntry = z.object({ role: roleReference, scope: armScope, allowPrivileged: allowPrivileged.optional() }).strict();

/** A custom role definition. */
const roleDefinitionSchema = z
  .object({
    name: z.string({ error: 'is required. Fix: give the role a display name, e.g. "Sensitive Data Reader".' }).min(1).max(128),
    description: z.string().max(1024).optional(),
    actions: z.array(z.string().min(1)).default([]),
    notActions: z.array(z.string().min(1)).default([]),
    dataActions: z.array(z.string().min(1)).default([]),
    notDataActions: z.array(z.string().min(1)).default([]),
    assignableScopes: z.array(armScope).min(1, { error: "is empty. Fix: list the scope(s) where the role may be assigned." }),
    sensitive: z.boolean({ error: "must be true or false." }).default(true),
  })
  .strict()
  .superRefine((role, ctx) => {
    if (role.actions.length === 0 && role.dataActions.length === 0) {
      ctx.addIssue({ code: "custom", path: ["actions"], message: "the role grants nothing. Fix: list at least one action or data action." });
    }
  });

/** The longest eligibility this project writes: one year, the cap of PIM's default policy. */
export const MAX_ELIGIBILITY_DAYS = 365;

/** Who approves just-in-time activations, and who hears about them. */
const pimSchema = z
  .object({
    approvers: z
      .array(
        z
          .object({
            objectId: guid,
            type: oneOf(ApproverType),
            description: z.string().max(256).optional(),
          })
          .strict(),
      )
      .default([]),
    notificationEmails: z.array(formatted(EMAIL, "an e-mail address", 'write e.g. "security-team@fabrikam.com".', 254)).default([]),
    approvalTimeoutDays: integer(1, 7).default(1),
    // The eligibility schedule: a fixed start (never "now", so a second `pulumi up` shows no diff) and a
    // duration. azure-native's PimRoleEligibilitySchedule panics on an expiration without a duration.
    eligibilityStart: z
      .string({ error: 'must be a UTC date-time. Fix: write e.g. "2026-12-01T00:00:00Z".' })
      .regex(ELIGIBILITY_START, { error: (issue) => `${JSON.stringify(issue.input)} is not a UTC date-time of the form YYYY-MM-DDThh:mm:ssZ. Fix: write e.g. "2026-12-01T00:00:00Z".` })
      .refine((value) => !Number.isNaN(Date.parse(value)) && new Date(Date.parse(value)).toISOString().slice(0, 19) === value.slice(0, 19), {
        error: (issue) => `${JSON.stringify(issue.input)} is not a real date and time. Fix: write e.g. "2026-12-01T00:00:00Z".`,
      })
      .optional(),
    eligibilityDuration: z
      .string({ error: 'must be an ISO 8601 duration in days. Fix: write e.g. "P365D".' })
      .superRefine((value, ctx) => {
        const days = /^P(\d+)D$/.exec(value);
        if (!days) {
          ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} is not a duration in days. Fix: write e.g. "P365D" or "P180D".` });
        } else if (Number(days[1]) < 1 || Number(days[1]) > MAX_ELIGIBILITY_DAYS) {
          ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} is outside P1D-P${MAX_ELIGIBILITY_DAYS}D. Fix: use a duration from P1D to P${MAX_ELIGIBILITY_DAYS}D and renew by moving eligibilityStart.` });
        }
      })
      .default("P365D"),
  })
  .strict();

/** A further ServiceAccount that may use the agent's identity (one more federated credential). */
const extraServiceAccount = z.object({ namespace: kubernetesName, name: serviceAccountName }).strict();

/** One agent in the stack config. */
export const agentSchema = z
  .object({
    name: kubernetesName,
    image,
    replicas: integer(0, 100).default(1),
    resources: resources.default({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } }),
    port: z
      .number({ error: "must be a port number. Fix: write a whole number from 1024 to 65535." })
      .int({ error: "must be a whole number. Fix: write a whole number from 1024 to 65535." })
      .min(1024, { error: "is below 1024, which a non-root container with all capabilities dropped cannot bind. Fix: use a port from 1024 to 65535." })
      .max(65535, { error: "is above 65535. Fix: use a port from 1024 to 65535." })
      .optional(),
    calls: z.array(z.string({ error: "must be an agent name. Fix: list the names of other agents in this stack." })).default([]),
    env: envMap.default({}),
    serviceAccountName: serviceAccountName.optional(),
    extraServiceAccounts: z.array(extraServiceAccount).default([]),
    runAsUser: integer(1, 2147483647).default(65532),
    serviceAccountTokenExpirationSeconds: integer(3600, 86400).optional(),
    jit: z.array(jitEntry).default([]),
    roleAssignments: z.array(roleAssignmentEntry).default([]),
  })
  .strict();

const systemNodePool = z
  .object({
    vmSize: z.string().min(1).default(NODE_POOL_DEFAULTS.vmSize),
    minCount: integer(1, 1000).default(NODE_POOL_DEFAULTS.minCount),
    maxCount: integer(1, 1000).default(NODE_POOL_DEFAULTS.maxCount),
    availabilityZones: z.array(oneOf(AvailabilityZone)).default([...NODE_POOL_DEFAULTS.availabilityZones]),
    osSku: oneOf(OsSku).default(NODE_POOL_DEFAULTS.osSku),
  })
  .strict()
  .superRefine((pool, ctx) => {
    if (pool.minCount > pool.maxCount) {
      ctx.addIssue({ code: "custom", path: ["minCount"], message: `${pool.minCount} is above maxCount ${pool.maxCount}. Fix: make minCount at most maxCount.` });
    }
  });

/** The cluster: created with secure defaults, or adopted by id. */
export const clusterSchema = z
  .object({
    name: formatted(AKS_CLUSTER_NAME, "a valid AKS cluster name", 'use letters, digits, "-" and "_", at most 63 characters.', 63),
    existingClusterId: formatted(
      AKS_CLUSTER_ID,
      "an AKS cluster resource id",
      'write "/subscriptions/<subscription guid>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>" (az aks show --query id -o tsv).',
      1024,
    ).optional(),
    kubernetesVersion: formatted(KUBERNETES_VERSION, "a Kubernetes version", 'write "1.33" or "1.33.2" (az aks get-versions).', 16).optional(),
    skuTier: oneOf(CLUSTER_CHOICES.skuTier.choices).default(CLUSTER_CHOICES.skuTier.default),
    systemNodePool: systemNodePool.default({ ...NODE_POOL_DEFAULTS, availabilityZones: [...NODE_POOL_DEFAULTS.availabilityZones] }),
    // The agents' own (user) pool, sized apart from the system pool; unset: the system pool's settings.
    agentNodePool: systemNodePool.optional(),
    adminGroupObjectIds: z.array(guid).default([]),
    authorizedIpRanges: z.array(formatted(IPV4_CIDR, "an IPv4 CIDR range", 'write a range such as "203.0.113.0/24".', 18)).default([]),
    upgradeChannel: oneOf(CLUSTER_CHOICES.upgradeChannel.choices).default(CLUSTER_CHOICES.upgradeChannel.default),
    nodeOsUpgradeChannel: oneOf(CLUSTER_CHOICES.nodeOsUpgradeChannel.choices).default(CLUSTER_CHOICES.nodeOsUpgradeChannel.default),
    networkPolicy: oneOf(CLUSTER_CHOICES.networkPolicy.choices).default(CLUSTER_CHOICES.networkPolicy.default),
    azurePolicy: z.boolean({ error: "must be true or false." }).default(true),
    imageCleanerIntervalHours: integer(24, 2160).default(168),
    kubeloginMode: oneOf(CLUSTER_CHOICES.kubeloginMode.choices).default(CLUSTER_CHOICES.kubeloginMode.default),
  })
  .strict()
  .superRefine((cluster, ctx) => {
    const version = cluster.kubernetesVersion;
    if (version === undefined) {
      return;
    }
    const unsupported = cluster.existingClusterId === undefined ? unsupportedAksVersionReason(version) : undefined;
    if (unsupported) {
      ctx.addIssue({ code: "custom", path: ["kubernetesVersion"], message: unsupported });
    }
    const conflict = pinnedVersionConflict(version, cluster.upgradeChannel);
    if (conflict) {
      ctx.addIssue({ code: "custom", path: ["kubernetesVersion"], message: conflict });
    }
  });

/**
 * Why a pinned version cannot live with the auto-upgrade channel, or undefined. After the channel
 * upgrades the cluster, the next update would send the pinned (now older) version and AKS refuses the
 * downgrade (OperationNotAllowed). A minor alone ("1.35") stays valid under `patch`: AKS treats an
 * update to the same minor as no upgrade (ManagedClusterProperties.kubernetesVersion, AKS REST API).
 */
export function pinnedVersionConflict(version: string, upgradeChannel: string): string | undefined {
  const patchPinned = version.split(".").length === 3;
  if (upgradeChannel === "none" || upgradeChannel === "node-image" || (upgradeChannel === "patch" && !patchPinned)) {
    return undefined;
  }
  const minor = version.split(".").slice(0, 2).join(".");
  return (
    `${JSON.stringify(version)} is pinned while upgradeChannel is ${JSON.stringify(upgradeChannel)}: once AKS upgrades the cluster, the next pulumi up sends ${version} again and AKS refuses the downgrade (OperationNotAllowed). ` +
    `Fix: remove kubernetesVersion and let the channel keep the cluster current, or pin only the minor (${JSON.stringify(minor)}) with upgradeChannel "patch", or set upgradeChannel "none" and upgrade by editing kubernetesVersion.`
  );
}

/** The whole stack config of the `agent-identity` namespace. */
export const stackConfigSchema = z
  .object({
    location: formatted(AZURE_LOCATION, "an Azure region name", 'write the region\'s programmatic name, e.g. "westeurope" (az account list-locations -o table).', 64),
    resourceGroupName: formatted(RESOURCE_GROUP_NAME, "a valid resource group name", 'use letters, digits, "-", "_", "." and parentheses, at most 90 characters, not ending with ".".', 90),
    createResourceGroup: z.boolean({ error: "must be true or false." }).default(true),
    deployerPrincipalType: z.enum(DeployerPrincipalType, {
      error: (issue) =>
        (issue.input === undefined ? "is required" : `${JSON.stringify(issue.input)} is not allowed`) +
        '. Fix: say who runs pulumi up for this stack: "ServicePrincipal" for a workflow that logs in with OIDC, "User" for a person after az login. Azure refuses a role assignment whose principalType does not match the principal (UnmatchedPrincipalType).',
    }),
    containerRegistries: z
      .array(
        formatted(
          CONTAINER_REGISTRY_ID,
          "an Azure container registry id",
          'write "/subscriptions/<subscription guid>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name>" (az acr show -n <name> --query id -o tsv).',
          1024,
        ),
      )
      .default([]),
    namespace: kubernetesName.default("agents"),
    tags: z.record(z.string(), z.string({ error: "must be a string. Fix: quote the tag value." })).default({}),
    cluster: clusterSchema,
    roleDefinitions: z.array(roleDefinitionSchema).default([]),
    sensitiveRoles: z.array(roleReference).default([]),
    pim: pimSchema.default({ approvers: [], notificationEmails: [], approvalTimeoutDays: 1, eligibilityDuration: "P365D" }),
    audit: optionalAuditSchema,
    agents: z.array(agentSchema, { error: (issue) => (issue.input === undefined ? "is required. Fix: list at least one agent." : "must be a list of agents.") }).min(1, {
      error: "is empty. Fix: list at least one agent.",
    }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = config.agents.map((a) => a.name);
    config.agents.forEach((agent, i) => {
      if (names.indexOf(agent.name) !== i) {
        ctx.addIssue({ code: "custom", path: ["agents", i, "name"], message: `${JSON.stringify(agent.name)} is already used by agents[${names.indexOf(agent.name)}]. Fix: give every agent a unique name.` });
      }
      agent.calls.forEach((callee, j) => {
        if (callee === agent.name) {
          ctx.addIssue({ code: "custom", path: ["agents", i, "calls", j], message: `an agent cannot call itself. Fix: remove ${JSON.stringify(callee)} from its own calls.` });
        } else if (!names.includes(callee)) {
          ctx.addIssue({ code: "custom", path: ["agents", i, "calls", j], message: `${JSON.stringify(callee)} is not an agent of this stack. Fix: use one of ${names.map((n) => JSON.stringify(n)).join(", ")}.` });
        } else if (config.agents.find((a) => a.name === callee)?.port === undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["agents", i, "calls", j],
            message: `${JSON.stringify(callee)} has no port, so no agent can call it. Fix: set agents[${names.indexOf(callee)}].port.`,
          });
        } else if (agent.calls.indexOf(callee) !== j) {
          ctx.addIssue({ code: "custom", path: ["agents", i, "calls", j], message: `${JSON.stringify(callee)} is listed twice. Fix: list each callee once.` });
        }
      });
      const subjects = [`${config.namespace}/${agent.serviceAccountName ?? agent.name}`, ...agent.extraServiceAccounts.map((sa) => `${sa.namespace}/${sa.name}`)];
      if (subjects.length > MAX_FEDERATED_CREDENTIALS_PER_IDENTITY) {
        ctx.addIssue({
          code: "custom",
          path: ["agents", i, "extraServiceAccounts"],
          message: `gives the identity ${subjects.length} federated credentials; Azure allows at most ${MAX_FEDERATED_CREDENTIALS_PER_IDENTITY} per identity. Fix: list at most ${MAX_FEDERATED_CREDENTIALS_PER_IDENTITY - 1} extra ServiceAccounts, or split the agent.`,
        });
      }
      subjects.forEach((subject, j) => {
        if (subjects.indexOf(subject) !== j) {
          ctx.addIssue({ code: "custom", path: ["agents", i, "extraServiceAccounts", j - 1], message: `${subject} is already federated with this identity. Fix: remove the duplicate.` });
        }
      });
    });
    const serviceAccounts = config.agents.map((a) => a.serviceAccountName ?? a.name);
    serviceAccounts.forEach((sa, i) => {
      const first = serviceAccounts.indexOf(sa);
      if (first !== i && names.indexOf(config.agents[i].name) === i) {
        ctx.addIssue({
          code: "custom",
          path: ["agents", i, "serviceAccountName"],
          message: `ServiceAccount ${JSON.stringify(sa)} is already used by agent ${JSON.stringify(config.agents[first].name)}; two agents on one ServiceAccount would share an identity. Fix: give each agent its own ServiceAccount.`,
        });
      }
    });
    refineAccess(config, ctx);
    refineRegistries(config, ctx);
    refineScopesInCreatedGroup(config, ctx);
    refineAuditRequired(config, ctx);
  });

/**
 * Images from an Azure container registry are pulled by the cluster's kubelet identity, which needs
 * AcrPull on that registry; without it the first rollout sits in ImagePullBackOff. The platform grants
 * AcrPull on every configured registry, so every such image's registry must be configured.
 */
function refineRegistries(config: { agents: Array<{ image: string }>; containerRegistries: string[] }, ctx: z.RefinementCtx): void {
  const configured = new Set(config.containerRegistries.map(registryNameOfId));
  config.containerRegistries.forEach((id, i) => {
    if (config.containerRegistries.findIndex((other) => registryNameOfId(other) === registryNameOfId(id)) !== i) {
      ctx.addIssue({ code: "custom", path: ["containerRegistries", i], message: `names registry ${JSON.stringify(registryNameOfId(id))} again. Fix: list each registry once.` });
    }
  });
  config.agents.forEach((agent, i) => {
    const registry = azureContainerRegistryName(agent.image);
    if (registry !== undefined && !configured.has(registry)) {
      ctx.addIssue({
        code: "custom",
        path: ["agents", i, "image"],
        message:
          `is pulled from the Azure container registry ${JSON.stringify(registry)}, which is not in containerRegistries: the cluster's kubelet identity would have no AcrPull there and the pods would sit in ImagePullBackOff. ` +
          `Fix: add the registry's id to containerRegistries ("/subscriptions/<subscription guid>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/${registry}"; az acr show -n ${registry} --query id -o tsv).`,
      });
    }
  });
}

type AccessConfig = {
  roleDefinitions: Array<{ name: string; sensitive: boolean; assignableScopes: string[] }>;
  sensitiveRoles: string[];
  pim: { approvers: unknown[]; eligibilityStart?: string };
  agents: Array<{ name: string; jit: Array<{ role: string; scope: string; maxDuration: string }>; roleAssignments: Array<{ role: string; scope: string; allowPrivileged?: { reason: string } }> }>;
};

/** Cross-checks of just-in-time and standing access: roles exist, sensitive roles are never standing, policies agree. */
function refineAccess(config: AccessConfig, ctx: z.RefinementCtx): void {
  const customNames = config.roleDefinitions.map((r) => r.name);
  config.roleDefinitions.forEach((role, i) => {
    if (customNames.indexOf(role.name) !== i) {
      ctx.addIssue({ code: "custom", path: ["roleDefinitions", i, "name"], message: `${JSON.stringify(role.name)} is defined twice. Fix: give every custom role a unique name.` });
    } else if (builtInRoleIgnoringCase(role.name)) {
      // Azure compares role names without case: "reader" would collide with the built-in "Reader".
      ctx.addIssue({ code: "custom", path: ["roleDefinitions", i, "name"], message: `${JSON.stringify(role.name)} is the name of the built-in role ${JSON.stringify(builtInRoleIgnoringCase(role.name)!.name)}. Fix: choose another name.` });
    }
  });

  const sensitive = new Map<string, string>();
  config.roleDefinitions.forEach((role) => role.sensitive && sensitive.set(`custom:${role.name}`, `custom role ${JSON.stringify(role.name)} is marked sensitive`));
  config.sensitiveRoles.forEach((ref, i) => {
    const resolved = resolveRoleReference(ref, customNames);
    if (!resolved) {
      ctx.addIssue({ code: "custom", path: ["sensitiveRoles", i], message: unknownRoleMessage(ref, customNames) });
    } else {
      sensitive.set(roleKey(resolved), `${JSON.stringify(ref)} is listed in sensitiveRoles`);
    }
  });

  const policies = new Map<string, { maxDuration: string; agent: string }>();
  let jitCount = 0;
  config.agents.forEach((agent, i) => {
    const seen = new Set<string>();
    agent.jit.forEach((entry, j) => {
      jitCount++;
      const resolved = resolveRoleReference(entry.role, customNames);
      if (!resolved) {
        ctx.addIssue({ code: "custom", path: ["agents", i, "jit", j, "role"], message: unknownRoleMessage(entry.role, customNames) });
        return;
      }
      const key = `${roleKey(resolved)}@${entry.scope.toLowerCase()}`;
      sensitive.set(roleKey(resolved), sensitive.get(roleKey(resolved)) ?? `${JSON.stringify(entry.role)} is behind just-in-time access`);
      if (seen.has(key)) {
        ctx.addIssue({ code: "custom", path: ["agents", i, "jit", j], message: `${JSON.stringify(entry.role)} at ${entry.scope} is listed twice. Fix: keep one entry.` });
      }
      seen.add(key);
      const custom = resolved.kind === "custom" ? config.roleDefinitions.find((r) => r.name === resolved.name) : undefined;
      // A malformed scope already has its own error; one bad value gives one error.
      if (custom && ARM_SCOPE.test(entry.scope) && !custom.assignableScopes.some((s) => isWithinScope(entry.scope, s))) {
        ctx.addIssue({
          code: "custom",
          path: ["agents", i, "jit", j, "scope"],
          message: `is outside the assignable scopes of ${JSON.stringify(custom.name)}. Fix: use a scope within ${custom.assignableScopes.join(", ")}, or add it to the role's assignableScopes.`,
        });
      }
      const policy = policies.get(key);
      if (policy && policy.maxDuration !== entry.maxDuration) {
        ctx.addIssue({
          code: "custom",
          path: ["agents", i, "jit", j, "maxDuration"],
          message: `${entry.maxDuration} differs from ${policy.maxDuration} of agent ${JSON.stringify(policy.agent)}; PIM keeps one policy per role and scope. Fix: use the same maxDuration for this role and scope.`,
        });
      } else if (!policy) {
        policies.set(key, { maxDuration: entry.maxDuration, agent: agent.name });
      }
    });
  });

  config.agents.forEach((agent, i) => {
    agent.roleAssignments.forEach((entry, j) => {
      const resolved = resolveRoleReference(entry.role, customNames);
      if (!resolved) {
        ctx.addIssue({ code: "custom", path: ["agents", i, "roleAssignments", j, "role"], message: unknownRoleMessage(entry.role, customNames) });
        return;
      }
      const reason = sensitive.get(roleKey(resolved));
      const privileged = resolved.kind === "custom" ? undefined : privilegedRole(resolved.guid);
      if (reason) {
        ctx.addIssue({
          code: "custom",
          path: ["agents", i, "roleAssignments", j, "role"],
          message: `${JSON.stringify(entry.role)} is sensitive (${reason}) and can never be assigned standing. Fix: remove it here and list it under agents[${i}].jit, so the agent activates it with approval when needed.`,
        });
      } else if (privileged && !entry.allowPrivileged) {
        ctx.addIssue({
          code: "custom",
          path: ["agents", i, "roleAssignments", j, "role"],
          message: `${JSON.stringify(entry.role)} is the privileged role ${JSON.stringify(privileged.name)} (${privileged.privilege}), sensitive by default. Fix: grant a narrower role, or list it under agents[${i}].jit; if the agent truly needs it standing, add allowPrivileged: { reason: "<why>" } to this assignment (the pack config derived from this stack carries the same exception to the policy pack).`,
        });
      } else if (!privileged && entry.allowPrivileged) {
        ctx.addIssue({
          code: "custom",
          path: ["agents", i, "roleAssignments", j, "allowPrivileged"],
          message: `${JSON.stringify(entry.role)} is not a privileged role, so there is nothing to allow. Fix: remove allowPrivileged.`,
        });
      }
    });
  });

  if (jitCount > 0 && config.pim.eligibilityStart === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["pim", "eligibilityStart"],
      message:
        'is required, because agents are eligible for just-in-time roles: PIM eligibilities are written with a fixed start and a duration. Fix: set the UTC start of the eligibilities, e.g. "2026-12-01T00:00:00Z" (a fixed value, never "now", so a second pulumi up shows no change), and move it forward to renew them before eligibilityStart + eligibilityDuration.',
    });
  }
  if (jitCount > 0 && config.pim.approvers.length === 0) {
    ctx.addIssue({ code: "custom", path: ["pim", "approvers"], message: "is empty, but agents are eligible for just-in-time roles. Fix: list the users or groups (object ids) who approve activations." });
  }
}

/** Stack config after validation, with every default filled in. */
export type StackConfig = z.output<typeof stackConfigSchema>;
/** One validated agent. */
export type AgentConfig = z.output<typeof agentSchema>;
/** The validated cluster settings. */
export type ClusterConfig = z.output<typeof clusterSchema>;
