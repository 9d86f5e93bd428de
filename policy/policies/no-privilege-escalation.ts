/**
 * Containers must set `allowPrivilegeEscalation: false`.
 *
 * The setting exists only per container (no pod-level inheritance), so every container, init
 * container and ephemeral container must set it. Remediation sets it where it is absent, except on
 * privileged containers or ones adding SYS_ADMIN, where Kubernetes rejects the combination.
 *
 * @severity high
 * @topics security, pod-security-standards
 * @link https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { checkContainers, POD_BEARING_REASON } from "../lib/helpers";
import { asArray, asRecord, groupKind } from "../lib/kube";
import { containersOf, podTemplateOf, POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule, type RemediationChange } from "../lib/rule";

/** The pure rule. */
export const noPrivilegeEscalationRule = defineResourceRule({
    scope: "resource",
    id: "no-privilege-escalation",
    description: "Every container sets securityContext.allowPrivilegeEscalation: false.",
    severity: "high",
    topics: ["security", "pod-security-standards"],
    remediationSteps: "Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container.",
    url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    config: ruleConfigSchema({}),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        return checkContainers(this.id, obj, config, ctx, undefined, (ref) => {
            const value = ref.effective.allowPrivilegeEscalation.value;
            if (value === false) {
                return [];
            }
            return [
                {
                    field: `${ref.path}.securityContext.allowPrivilegeEscalation`,
                    problem: value === true ? "allowPrivilegeEscalation is true" : "allowPrivilegeEscalation is not set (Kubernetes defaults it to true)",
                    fix: "set securityContext.allowPrivilegeEscalation: false",
                },
            ];
        });
    },
    remediate(obj, _config, ctx) {
        const template = podTemplateOf(obj, groupKind(ctx.apiVersion, ctx.kind));
        const changes: RemediationChange[] = [];
        if (!template) {
            return changes;
        }
        for (const ref of containersOf(template)) {
            if (ref.effective.allowPrivilegeEscalation.value !== undefined || ref.effective.privileged.value === true) {
                continue;
            }
            const adds = asArray(asRecord(ref.securityContext?.capabilities)?.add).map((c) => String(c).toUpperCase().replace(/^CAP_/, ""));
            if (adds.includes("SYS_ADMIN")) {
                continue;
            }
            if (ref.securityContext) {
                ref.securityContext.allowPrivilegeEscalation = false;
            } else {
                ref.container.securityContext = { allowPrivilegeEscalation: false };
            }
            changes.push({ field: `${ref.path}.securityContext.allowPrivilegeEscalation`, description: "set allowPrivilegeEscalation: false" });
        }
        return changes;
    },
});

/** CrossGuard policy for {@link noPrivilegeEscalationRule}. */
export const noPrivilegeEscalation = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(noPrivilegeEscalationRule, level);
