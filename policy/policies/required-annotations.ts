/**
 * Every configured annotation key exists with a non-empty value on the object's metadata.
 *
 * @severity low
 * @topics operations, ownership
 * @link https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { keyPath, kindListed } from "../lib/helpers";
import { asRecord, peek } from "../lib/kube";
import { POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";
import { makeViolation, type Violation } from "../lib/violation";

/** Annotation keys required by default. */
export const DEFAULT_REQUIRED_ANNOTATIONS = ["description", "owner", "contact", "documentation", "incident-channel"];

/** Kinds checked by default: the pod-bearing workloads. */
export const DEFAULT_ANNOTATED_KINDS: string[] = [...POD_BEARING_KINDS];

/** The pure rule. */
export const requiredAnnotationsRule = defineResourceRule({
    scope: "resource",
    id: "required-annotations",
    description: "Every required annotation (description, owner, contact, documentation, incident-channel) is present and non-empty.",
    severity: "low",
    topics: ["operations", "ownership"],
    remediationSteps: "Add the missing annotations to metadata.annotations of the workload, for example owner: team-todo, incident-channel: '#todo-oncall'.",
    url: "https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/",
    config: ruleConfigSchema({
        annotations: z
            .array(z.string().min(1))
            .default(DEFAULT_REQUIRED_ANNOTATIONS)
            .describe("Annotation keys that must be present and non-empty."),
        kinds: z
            .array(z.string().min(1))
            .default(DEFAULT_ANNOTATED_KINDS)
            .describe("Kinds checked: 'group/Kind' or a bare Kind matching any group."),
    }),
    appliesTo: (key, config) => kindListed(key, config.kinds),
    notApplicableReason: "applies only to the kinds listed in the rule's kinds configuration",
    check(obj, config, ctx) {
        const annotations = asRecord(asRecord(obj.metadata)?.annotations);
        const out: Violation[] = [];
        for (const key of config.annotations) {
            const value = peek(annotations, key);
            if (value.state === "absent" || (value.state === "present" && (typeof value.value !== "string" || value.value.trim() === ""))) {
                out.push(
                    makeViolation(this.id, obj, config, {
                        field: keyPath("metadata.annotations", key),
                        problem: `required annotation "${key}" is missing or empty`,
                        fix: `add ${key}: <value> under metadata.annotations`,
                    }, ctx),
                );
            }
        }
        return out;
    },
});

/** CrossGuard policy for {@link requiredAnnotationsRule}. */
export const requiredAnnotations = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(requiredAnnotationsRule, level);
