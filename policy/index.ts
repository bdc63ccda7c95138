/**
 * The policy pack entry: only this file constructs the pack (which starts the analyzer server).
 * Run with `pulumi preview --policy-pack policy` after `npm run build`.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("agent-identity-guardrails", { policies, enforcementLevel: "mandatory" });
