/**
 * Every configured label key exists with a non-empty value, on the object and on its pod template.
 *
 * A presence check ("every required key exists"), unlike the upstream
 * `configure-recommended-labels` policies, which flag keys outside `app.kubernetes.io/*` and never
 * check presence. Unknown label values during preview count as present. Remediation adds missing
 * labels only for keys with a configured default value, and never touches selectors.
 *
 * @severity low
 * @topics operations, cost-allocation
 * @link https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { keyPath, kindListed } from "../lib/helpers";
import { asRecord, groupKind, KubernetesObject, Obj, peek } from "../lib/kube";
import { POD_BEARING_KINDS, podTemplateOf } from "../lib/pod-spec";
import { defineResourceRule, type RemediationChange } from "../lib/rule";
import { makeViolation, type Violation } from "../lib/violation";

/** Label keys required by default. */
export const DEFAULT_REQUIRED_LABELS = [
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "environment",
    "team",
    "cost-center",
];

/** Kinds checked by default (bare kinds match any API group). */
export const DEFAULT_LABELLED_KINDS = [
    ...POD_BEARING_KINDS,
    "core/Service",
    "core/ConfigMap",
    "core/Secret",
    "core/ServiceAccount",
    "core/PersistentVolumeClaim",
    "autoscaling/HorizontalPodAutoscaler",
    "policy/PodDisruptionBudget",
    "networking.k8s.io/NetworkPolicy",
    "networking.k8s.io/Ingress",
];

type Location = { labels: Obj | undefined; path: string; holder: Obj | undefined; holderPath: string };

function locations(obj: KubernetesObject, key: string, checkPodTemplate: boolean): Location[] {
    const metadata = asRecord(obj.metadata);
    const out: Location[] = [{ labels: asRecord(metadata?.labels), path: "metadata.labels", holder: metadata, holderPath: "metadata" }];
    const template = checkPodTemplate ? podTemplateOf(obj, key) : undefined;
    if (template && !template.isPod) {
        out.push({
            labels: asRecord(template.metadata?.labels),
            path: `${template.metadataPath}.labels`,
            holder: template.metadata,
            holderPath: template.metadataPath,
        });
    }
    return out;
}

function missing(labels: Obj | undefined, key: string): boolean {
    const value = peek(labels, key);
    return value.state === "absent" || (value.state === "present" && (typeof value.value !== "string" || value.value.trim() === ""));
}

/** The pure rule. */
export const requiredLabelsRule = defineResourceRule({
    scope: "resource",
    id: "required-labels",
    description: "Every required label key is present with a non-empty value on the object and on its pod template.",
    severity: "low",
    topics: ["operations", "cost-allocation"],
    remediationSteps:
        "Add the missing labels (app.kubernetes.io/name, instance, version, component, part-of, environment, team, cost-center) " +
        "to metadata.labels and to the pod template's metadata.labels; the chart's standard labels helper sets them all.",
    url: "https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/",
    config: ruleConfigSchema({
        labels: z.array(z.string().min(1)).default(DEFAULT_REQUIRED_LABELS).describe("Label keys that must be present and non-empty."),
        kinds: z
            .array(z.string().min(1))
            .default(DEFAULT_LABELLED_KINDS)
            .describe("Kinds checked: 'group/Kind' (core/Service) or a bare Kind matching any group."),
        checkPodTemplate: z.boolean().default(true).describe("Also require the labels on pod templates."),
        defaults: z
            .record(z.string(), z.string().min(1))
            .default({})
            .describe("Values used by remediation for missing labels; keys without a default are never remediated."),
    }),
    appliesTo: (key, config) => kindListed(key, config.kinds),
    notApplicableReason: "applies only to the kinds listed in the rule's kinds configuration",
    check(obj, config, ctx) {
        const out: Violation[] = [];
        for (const location of locations(obj, groupKind(ctx.apiVersion, ctx.kind), config.checkPodTemplate)) {
            for (const label of config.labels) {
                if (missing(location.labels, label)) {
                    out.push(
                        makeViolation(this.id, obj, config, {
                            field: keyPath(location.path, label),
                            problem: `required label "${label}" is missing or empty`,
                            fix: `add ${label}: <value> under ${location.path}`,
                        }, ctx),
                    );
                }
            }
        }
        return out;
    },
    remediate(obj, config, ctx) {
        const changes: RemediationChange[] = [];
        for (const location of locations(obj, groupKind(ctx.apiVersion, ctx.kind), config.checkPodTemplate)) {
            for (const label of config.labels) {
                const value = config.defaults[label];
                if (value === undefined || !missing(location.labels, label)) {
                    continue;
                }
                if (!location.holder) {
                    continue;
                }
                if (!location.labels) {
                    location.holder.labels = {};
                    location.labels = asRecord(location.holder.labels);
                }
                location.labels![label] = value;
                changes.push({ field: keyPath(location.path, label), description: `set label ${label}: ${value}` });
            }
        }
        return changes;
    },
});

/** CrossGuard policy for {@link requiredLabelsRule}. */
export const requiredLabels = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(requiredLabelsRule, level);
