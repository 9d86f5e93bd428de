/**
 * Containers must declare CPU and memory requests and limits.
 *
 * Checks `containers` and `initContainers` (Kubernetes forbids resources on ephemeral
 * containers). Each missing entry is one violation.
 *
 * @severity medium
 * @topics reliability, cost
 * @link https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { checkContainers, POD_BEARING_REASON } from "../lib/helpers";
import { asRecord, peek } from "../lib/kube";
import { POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";

const ENTRIES = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;

/** The pure rule. */
export const requireResourcesRule = defineResourceRule({
    scope: "resource",
    id: "require-resources",
    description: "Every container and init container declares CPU and memory requests and limits.",
    severity: "medium",
    topics: ["reliability", "cost"],
    remediationSteps: "Set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory on every container.",
    url: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    config: ruleConfigSchema({
        require: z
            .array(z.enum(ENTRIES))
            .default([...ENTRIES])
            .describe("Resource entries that must be present (drop limits.cpu to allow CPU bursting)."),
    }),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        return checkContainers(this.id, obj, config, ctx, ["containers", "initContainers"], (ref) => {
            const resources = asRecord(ref.container.resources);
            const out = [];
            for (const entry of config.require) {
                const [section, resource] = entry.split(".");
                // An unknown quantity is present; only an absent or empty one is a finding.
                const value = peek(asRecord(resources?.[section]), resource);
                if (value.state === "absent" || (value.state === "present" && value.value === "")) {
                    out.push({
                        field: `${ref.path}.resources.${entry}`,
                        problem: `resources.${entry} is not set`,
                        fix: `set resources.${entry}`,
                    });
                }
            }
            return out;
        });
    },
});

/** CrossGuard policy for {@link requireResourcesRule}. */
export const requireResources = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(requireResourcesRule, level);
