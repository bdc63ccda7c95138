/** What every builder of {@link AuditTrail} receives. */
import * as pulumi from "@pulumi/pulumi";
import type { AuditTrailArgs } from "../auditTrail";

/** The audit trail component, its name, its validated args and the prefix of Azure names. */
export interface AuditScope {
  /** The component's name: prefix of every child's Pulumi name. */
  name: string;
  /** Prefix of the Azure names (`namePrefix`, default the component name). */
  prefix: string;
  /** The component: every child's parent. */
  parent: pulumi.ComponentResource;
  /** The validated args. */
  args: AuditTrailArgs;
}
