/**
 * Containers must not be privileged.
 *
 * `privileged` exists only per container; absent means false. Covers every container list.
 *
 * @severity critical
 * @topics security, pod-security-standards
 * @link https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { checkContainers, POD_BEARING_REASON } from "../lib/helpers";
import { POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";

/** The pure rule. */
export const noPrivilegedRule = defineResourceRule({
    scope: "resource",
    id: "no-privileged",
    description: "No container runs privileged (securityContext.privileged: true).",
    severity: "critical",
    topics: ["security", "pod-security-standards"],
    remediationSteps: "Remove securityContext.privileged: true; grant the specific capability the container needs instead.",
    url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    config: ruleConfigSchema({}),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        return checkContainers(this.id, obj, config, ctx, undefined, (ref) =>
            ref.effective.privileged.value === true
                ? [
                      {
                          field: `${ref.path}.securityContext.privileged`,
                          problem: "the container is privileged (full access to the node)",
                          fix: "remove privileged: true (or set it to false) and add only the capability the container needs",
                      },
                  ]
                : [],
        );
    },
});

/** CrossGuard policy for {@link noPrivilegedRule}. */
export const noPrivileged = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(noPrivilegedRule, level);
