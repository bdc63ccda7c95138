/**
 * CustomRole: an Azure custom role definition (for example "Sensitive Data Reader"), with a GUID
 * derived from its name and first assignable scope so that every evaluation names it the same.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { customRoleGuid } from "../rules/naming";
import { ComponentArgsError } from "../rules/componentArgsError";

/** Arguments of {@link CustomRole}. */
export interface CustomRoleArgs {
  /** The role's display name, unique in the tenant. */
  roleName: string;
  /** What the role is for. Default none. */
  description?: string;
  /** Control-plane actions. Default none. */
  actions?: string[];
  /** Control-plane actions excluded. Default none. */
  notActions?: string[];
  /** Data-plane actions (e.g. reading blobs). Default none. */
  dataActions?: string[];
  /** Data-plane actions excluded. Default none. */
  notDataActions?: string[];
  /** Scopes where the role may be assigned (at least one); the first is where it is defined. */
  assignableScopes: string[];
}

/** A custom role definition. */
export class CustomRole extends pulumi.ComponentResource {
  /** The role definition's ARM id: what assignments and eligibilities reference. */
  public readonly roleDefinitionId: pulumi.Output<string>;
  /** The role definition's GUID. */
  public readonly roleGuid: string;
  /** The role definition resource. */
  public readonly definition: authorization.RoleDefinition;

  constructor(name: string, args: CustomRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    if (args.assignableScopes.length === 0) {
      throw new ComponentArgsError("CustomRole", name, "assignableScopes", `assignableScopes is empty. Fix: list at least one scope.`);
    }
    super("agent-identity:index:CustomRole", name, {}, opts);
    this.roleGuid = customRoleGuid(args.roleName, args.assignableScopes);
    this.definition = new authorization.RoleDefinition(
      `${name}-definition`,
      {
        roleDefinitionId: this.roleGuid,
        roleName: args.roleName,
        description: args.description,
        roleType: "CustomRole",
        scope: args.assignableScopes[0],
        assignableScopes: args.assignableScopes,
        permissions: [
          {
            actions: args.actions ?? [],
            notActions: args.notActions ?? [],
            dataActions: args.dataActions ?? [],
            notDataActions: args.notDataActions ?? [],
          },
        ],
      },
      { parent: this },
    );
    this.roleDefinitionId = this.definition.id;
    this.registerOutputs({ roleDefinitionId: this.roleDefinitionId, roleGuid: this.roleGuid, definition: this.definition });
  }
}
