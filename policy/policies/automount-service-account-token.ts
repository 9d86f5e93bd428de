/**
 * Pods do not mount a service account token unless they opt in.
 *
 * The pod spec must set `automountServiceAccountToken: false`, except for pods running as a
 * service account listed in `allowedServiceAccounts` (for example an operator that talks to the
 * API server). The ServiceAccount's own setting is not visible to a per-object check, so the pod
 * level is required.
 *
 * @severity medium
 * @topics security, hardening
 * @link https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { POD_BEARING_REASON } from "../lib/helpers";
import { asString, groupKind } from "../lib/kube";
import { podTemplateOf, POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";
import { makeViolation } from "../lib/violation";

/** The pure rule. */
export const automountServiceAccountTokenRule = defineResourceRule({
    scope: "resource",
    id: "automount-service-account-token",
    description: "Pod specs set automountServiceAccountToken: false unless their service account is allowed to call the API.",
    severity: "medium",
    topics: ["security", "hardening"],
    remediationSteps: "Set automountServiceAccountToken: false on the pod spec, or list the service account in allowedServiceAccounts if the pod calls the Kubernetes API.",
    url: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
    config: ruleConfigSchema({
        allowedServiceAccounts: z
            .array(z.string().min(1))
            .default([])
            .describe("Service account names whose pods may mount a token."),
    }),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        const template = podTemplateOf(obj, groupKind(ctx.apiVersion, ctx.kind));
        const spec = template?.spec;
        if (!template || !spec || spec.automountServiceAccountToken === false) {
            return [];
        }
        const account = asString(spec.serviceAccountName) ?? "default";
        if (config.allowedServiceAccounts.includes(account)) {
            return [];
        }
        return [
            makeViolation(this.id, obj, config, {
                field: `${template.specPath}.automountServiceAccountToken`,
                problem:
                    spec.automountServiceAccountToken === true
                        ? `automountServiceAccountToken is true for service account "${account}"`
                        : `automountServiceAccountToken is not set, so the "${account}" service account token is mounted`,
                fix: "set automountServiceAccountToken: false (or allow the service account in allowedServiceAccounts)",
            }, ctx),
        ];
    },
});

/** CrossGuard policy for {@link automountServiceAccountTokenRule}. */
export const automountServiceAccountToken = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(automountServiceAccountTokenRule, level);
