/**
 * Containers must drop ALL Linux capabilities and add none of the dangerous ones.
 *
 * Capabilities exist only per container. Names are compared upper-cased without a `CAP_` prefix.
 * An added capability is a violation when it is in `forbiddenCapabilities` and not in
 * `allowedCapabilities`.
 *
 * @severity high
 * @topics security, pod-security-standards
 * @link https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { checkContainers, POD_BEARING_REASON } from "../lib/helpers";
import { asArray, asRecord } from "../lib/kube";
import { POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";

/** Capabilities whose addition is flagged unless allowed. */
export const DANGEROUS_CAPABILITIES = [
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "NET_RAW",
    "SYS_PTRACE",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "SYS_RESOURCE",
    "DAC_READ_SEARCH",
    "BPF",
    "PERFMON",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
];

const normalise = (cap: unknown) => String(cap).toUpperCase().replace(/^CAP_/, "");

/** The pure rule. */
export const dropAllCapabilitiesRule = defineResourceRule({
    scope: "resource",
    id: "drop-all-capabilities",
    description: "Every container drops ALL capabilities and adds no dangerous capability.",
    severity: "high",
    topics: ["security", "pod-security-standards"],
    remediationSteps:
        "Set securityContext.capabilities.drop: [ALL] on every container and add back only what the process needs " +
        "(for example NET_BIND_SERVICE); never add SYS_ADMIN, NET_ADMIN, NET_RAW or ALL.",
    url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    config: ruleConfigSchema({
        forbiddenCapabilities: z
            .array(z.string().min(1))
            .default(DANGEROUS_CAPABILITIES)
            .describe("Capabilities that must not be added."),
        allowedCapabilities: z
            .array(z.string().min(1))
            .default([])
            .describe("Capabilities allowed even when listed in forbiddenCapabilities."),
    }),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        const forbidden = new Set(config.forbiddenCapabilities.map(normalise));
        const allowed = new Set(config.allowedCapabilities.map(normalise));
        return checkContainers(this.id, obj, config, ctx, undefined, (ref) => {
            const capabilities = asRecord(ref.securityContext?.capabilities);
            const drop = asArray(capabilities?.drop).map(normalise);
            const out = [];
            if (!drop.includes("ALL")) {
                out.push({
                    field: `${ref.path}.securityContext.capabilities.drop`,
                    problem: capabilities?.drop === undefined ? "capabilities.drop is not set" : "capabilities.drop does not include ALL",
                    fix: "set securityContext.capabilities.drop: [ALL]",
                });
            }
            for (const cap of asArray(capabilities?.add).map(normalise)) {
                if (forbidden.has(cap) && !allowed.has(cap)) {
                    out.push({
                        field: `${ref.path}.securityContext.capabilities.add`,
                        problem: `adds the dangerous capability ${cap}`,
                        fix: `remove ${cap} from capabilities.add (or list it in the rule's allowedCapabilities with a reason)`,
                    });
                }
            }
            return out;
        });
    },
});

/** CrossGuard policy for {@link dropAllCapabilitiesRule}. */
export const dropAllCapabilities = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(dropAllCapabilitiesRule, level);
