/**
 * Containers must not run as root.
 *
 * The effective `runAsNonRoot` must be true or the effective `runAsUser` non-zero, where both are
 * inherited from the pod's `securityContext` unless the container overrides them. Covers
 * `containers`, `initContainers` and `ephemeralContainers` of every pod-bearing kind.
 *
 * @severity high
 * @topics security, pod-security-standards
 * @link https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { checkContainers, POD_BEARING_REASON } from "../lib/helpers";
import { POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";

/** The pure rule. */
export const runAsNonRootRule = defineResourceRule({
    scope: "resource",
    id: "run-as-non-root",
    description: "Every container runs as a non-root user (effective runAsNonRoot: true or a non-zero runAsUser).",
    severity: "high",
    topics: ["security", "pod-security-standards"],
    remediationSteps:
        "Set securityContext.runAsNonRoot: true on the pod (inherited by every container) or on the container, " +
        "or set a non-zero runAsUser; remove container-level runAsNonRoot: false and runAsUser: 0.",
    url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    config: ruleConfigSchema({}),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        return checkContainers(this.id, obj, config, ctx, undefined, (ref, template) => {
            const { runAsNonRoot, runAsUser } = ref.effective;
            const where = (source: string, key: string) =>
                source === "pod" ? `${template.specPath}.securityContext.${key}` : `${ref.path}.securityContext.${key}`;
            if (runAsUser.value === 0) {
                return [
                    {
                        field: where(runAsUser.source, "runAsUser"),
                        problem: `runAsUser is 0 (root)${runAsUser.source === "pod" ? ", inherited from the pod" : ""}`,
                        fix: "set a non-zero runAsUser (for example 10001) or remove it and set runAsNonRoot: true",
                    },
                ];
            }
            if (runAsNonRoot.value === true || (runAsUser.value !== undefined && runAsUser.value > 0)) {
                return [];
            }
            if (runAsNonRoot.value === false) {
                return [
                    {
                        field: where(runAsNonRoot.source, "runAsNonRoot"),
                        problem: `runAsNonRoot is false${runAsNonRoot.source === "pod" ? ", inherited from the pod" : ""}`,
                        fix: "set runAsNonRoot: true (or a non-zero runAsUser)",
                    },
                ];
            }
            return [
                {
                    field: `${ref.path}.securityContext.runAsNonRoot`,
                    problem: "neither runAsNonRoot: true nor a non-zero runAsUser is set on the container or the pod, so the image's user (often root) applies",
                    fix: `set ${template.specPath}.securityContext.runAsNonRoot: true (or a non-zero runAsUser)`,
                },
            ];
        });
    },
});

/** CrossGuard policy for {@link runAsNonRootRule}. */
export const runAsNonRoot = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(runAsNonRootRule, level);
