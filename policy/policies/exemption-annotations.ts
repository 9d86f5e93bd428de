/**
 * Exemption annotations are well-formed: `policy.todo-stack.dev/exempt` names known rules and
 * comes with a non-empty `policy.todo-stack.dev/exempt-reason`.
 *
 * An exemption without a reason is not honoured by the other rules (their findings stay
 * violations) and is reported here, so exemptions are never silent.
 *
 * @severity medium
 * @topics governance
 * @link ./README.md#exemptions
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { keyPath } from "../lib/helpers";
import { asRecord, peek } from "../lib/kube";
import { defineResourceRule } from "../lib/rule";
import { RULE_IDS } from "../lib/rule-ids";
import { EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION, exemptReason, exemptRules, makeViolation, type Violation } from "../lib/violation";

/** The pure rule. */
export const exemptionAnnotationsRule = defineResourceRule({
    scope: "resource",
    id: "exemption-annotations",
    description: "Every policy exemption annotation names known rules and carries a non-empty reason.",
    severity: "medium",
    topics: ["governance"],
    remediationSteps: `Add ${EXEMPT_REASON_ANNOTATION} with the reason (ticket, owner, expiry) next to ${EXEMPT_ANNOTATION}, and list only existing rule ids, comma-separated.`,
    config: ruleConfigSchema({}),
    appliesTo: () => true,
    notApplicableReason: "applies to every Kubernetes object",
    check(obj, config, ctx) {
        const annotations = asRecord(asRecord(obj.metadata)?.annotations);
        if (peek(annotations, EXEMPT_ANNOTATION).state === "absent") {
            return [];
        }
        const out: Violation[] = [];
        const rules = exemptRules(obj);
        if (rules.length === 0) {
            out.push(
                makeViolation(this.id, obj, config, {
                    field: keyPath("metadata.annotations", EXEMPT_ANNOTATION),
                    problem: "the exemption annotation lists no rule",
                    fix: "list the exempted rule ids, comma-separated, or remove the annotation",
                }, ctx),
            );
        }
        for (const rule of rules.filter((r) => !(RULE_IDS as readonly string[]).includes(r))) {
            out.push(
                makeViolation(this.id, obj, config, {
                    field: keyPath("metadata.annotations", EXEMPT_ANNOTATION),
                    problem: `the exemption names the unknown rule "${rule}"`,
                    fix: `use one of the pack's rule ids (${RULE_IDS.join(", ")})`,
                }, ctx),
            );
        }
        if (rules.length > 0 && peek(annotations, EXEMPT_REASON_ANNOTATION).state !== "unknown" && exemptReason(obj) === undefined) {
            out.push(
                makeViolation(this.id, obj, config, {
                    field: keyPath("metadata.annotations", EXEMPT_REASON_ANNOTATION),
                    problem: `the exemption from ${rules.join(", ")} has no reason, so it is not honoured`,
                    fix: `add a non-empty ${EXEMPT_REASON_ANNOTATION} annotation`,
                }, ctx),
            );
        }
        return out;
    },
});

/** CrossGuard policy for {@link exemptionAnnotationsRule}. */
export const exemptionAnnotations = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(exemptionAnnotationsRule, level);
