/**
 * Containers must run with the RuntimeDefault (or a Localhost) seccomp profile.
 *
 * `seccompProfile` exists at pod and container level; the container's wins. Remediation sets the
 * pod-level profile to RuntimeDefault when the pod has none and some container inherits nothing;
 * explicit container profiles (even Unconfined) are left for a human.
 *
 * @severity medium
 * @topics security, pod-security-standards
 * @link https://kubernetes.io/docs/tutorials/security/seccomp/
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { checkContainers, POD_BEARING_REASON } from "../lib/helpers";
import { asRecord, groupKind } from "../lib/kube";
import { containersOf, podTemplateOf, POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule, type RemediationChange } from "../lib/rule";

/** The pure rule. */
export const seccompRuntimeDefaultRule = defineResourceRule({
    scope: "resource",
    id: "seccomp-runtime-default",
    description: "Every container runs with a RuntimeDefault or Localhost seccomp profile (pod-level profile inherited).",
    severity: "medium",
    topics: ["security", "pod-security-standards"],
    remediationSteps:
        "Set securityContext.seccompProfile.type: RuntimeDefault on the pod (inherited by every container); remove container-level Unconfined profiles.",
    url: "https://kubernetes.io/docs/tutorials/security/seccomp/",
    config: ruleConfigSchema({
        allowedProfiles: z
            .array(z.enum(["RuntimeDefault", "Localhost"]))
            .min(1)
            .default(["RuntimeDefault", "Localhost"])
            .describe("seccompProfile types accepted."),
    }),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        return checkContainers(this.id, obj, config, ctx, undefined, (ref, template) => {
            const { value, source } = ref.effective.seccompProfileType;
            if (value !== undefined && (config.allowedProfiles as string[]).includes(value)) {
                return [];
            }
            if (value === undefined) {
                return [
                    {
                        field: `${ref.path}.securityContext.seccompProfile.type`,
                        problem: "no seccompProfile is set on the container or the pod",
                        fix: `set ${template.specPath}.securityContext.seccompProfile.type: RuntimeDefault`,
                    },
                ];
            }
            const field =
                source === "pod"
                    ? `${template.specPath}.securityContext.seccompProfile.type`
                    : `${ref.path}.securityContext.seccompProfile.type`;
            return [
                {
                    field,
                    problem: `seccompProfile.type is ${value}${source === "pod" ? ", inherited from the pod" : ""}`,
                    fix: `set seccompProfile.type to ${config.allowedProfiles.join(" or ")}`,
                },
            ];
        });
    },
    remediate(obj, _config, ctx) {
        const template = podTemplateOf(obj, groupKind(ctx.apiVersion, ctx.kind));
        const changes: RemediationChange[] = [];
        if (!template?.spec) {
            return changes;
        }
        const podContext = asRecord(template.spec.securityContext);
        if (podContext?.seccompProfile !== undefined) {
            return changes;
        }
        if (!containersOf(template).some((ref) => ref.effective.seccompProfileType.value === undefined)) {
            return changes;
        }
        if (podContext) {
            podContext.seccompProfile = { type: "RuntimeDefault" };
        } else {
            template.spec.securityContext = { seccompProfile: { type: "RuntimeDefault" } };
        }
        changes.push({ field: `${template.specPath}.securityContext.seccompProfile.type`, description: "set the pod's seccompProfile.type: RuntimeDefault" });
        return changes;
    },
});

/** CrossGuard policy for {@link seccompRuntimeDefaultRule}. */
export const seccompRuntimeDefault = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(seccompRuntimeDefaultRule, level);
