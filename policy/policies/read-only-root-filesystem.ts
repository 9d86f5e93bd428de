/**
 * Containers must mount their root filesystem read-only.
 *
 * `readOnlyRootFilesystem` exists only per container; every container list is checked (upstream
 * packs check `containers` only).
 *
 * @severity medium
 * @topics security, hardening
 * @link https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { checkContainers, POD_BEARING_REASON } from "../lib/helpers";
import { POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";

/** The pure rule. */
export const readOnlyRootFilesystemRule = defineResourceRule({
    scope: "resource",
    id: "read-only-root-filesystem",
    description: "Every container sets securityContext.readOnlyRootFilesystem: true.",
    severity: "medium",
    topics: ["security", "hardening"],
    remediationSteps:
        "Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir volume where the application writes (for example /tmp).",
    url: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
    config: ruleConfigSchema({}),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        return checkContainers(this.id, obj, config, ctx, undefined, (ref) => {
            const value = ref.effective.readOnlyRootFilesystem.value;
            return value === true
                ? []
                : [
                      {
                          field: `${ref.path}.securityContext.readOnlyRootFilesystem`,
                          problem: value === false ? "readOnlyRootFilesystem is false" : "readOnlyRootFilesystem is not set (the root filesystem is writable)",
                          fix: "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes",
                      },
                  ];
        });
    },
});

/** CrossGuard policy for {@link readOnlyRootFilesystemRule}. */
export const readOnlyRootFilesystem = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(readOnlyRootFilesystemRule, level);
