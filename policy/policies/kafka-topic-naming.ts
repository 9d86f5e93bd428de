/**
 * Kafka topic names follow `app.domain.event-type.version`.
 *
 * Checks Strimzi `KafkaTopic` (`spec.topicName`, else `metadata.name`), Redpanda `Topic`
 * (`spec.overwriteTopicName`, else `metadata.name`) and the `topic`/`deadLetterTopic` of Dapr
 * `Subscription` (v1alpha1 and v2alpha1).
 *
 * @severity low
 * @topics kafka, naming
 * @link https://strimzi.io/docs/operators/latest/deploying#con-using-the-topic-operator-str
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { regexSchema } from "../lib/helpers";
import { asRecord, asString, groupKind, KubernetesObject } from "../lib/kube";
import { defineResourceRule } from "../lib/rule";
import { makeViolation } from "../lib/violation";

/** Default topic naming pattern: `app.domain.event-type.v<N>`. */
export const DEFAULT_TOPIC_PATTERN = "^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.v[0-9]+$";

/** Topic kinds by `group/Kind`. */
export const TOPIC_KINDS = ["kafka.strimzi.io/KafkaTopic", "cluster.redpanda.com/Topic"];
/** Dapr Subscription `group/Kind`. */
export const SUBSCRIPTION_KIND = "dapr.io/Subscription";

/** The topic names an object declares or references, with their field paths. */
export function topicNamesOf(obj: KubernetesObject, key: string): Array<{ name: string; field: string }> {
    const spec = asRecord(obj.spec);
    const metadataName = asString(asRecord(obj.metadata)?.name);
    switch (key) {
        case "kafka.strimzi.io/KafkaTopic": {
            const topicName = asString(spec?.topicName);
            if (topicName) {
                return [{ name: topicName, field: "spec.topicName" }];
            }
            return metadataName ? [{ name: metadataName, field: "metadata.name" }] : [];
        }
        case "cluster.redpanda.com/Topic": {
            const topicName = asString(spec?.overwriteTopicName);
            if (topicName) {
                return [{ name: topicName, field: "spec.overwriteTopicName" }];
            }
            return metadataName ? [{ name: metadataName, field: "metadata.name" }] : [];
        }
        case SUBSCRIPTION_KIND: {
            const out: Array<{ name: string; field: string }> = [];
            for (const field of ["topic", "deadLetterTopic"]) {
                const name = asString(spec?.[field]);
                if (name) {
                    out.push({ name, field: `spec.${field}` });
                }
            }
            return out;
        }
        default:
            return [];
    }
}

/** The pure rule. */
export const kafkaTopicNamingRule = defineResourceRule({
    scope: "resource",
    id: "kafka-topic-naming",
    description: "Kafka topic names (KafkaTopic, Redpanda Topic, Dapr Subscription topics) follow app.domain.event-type.version.",
    severity: "low",
    topics: ["kafka", "naming"],
    remediationSteps: "Rename the topic to <app>.<domain>.<event-type>.v<N>, for example todo.tasks.created.v1 (set KafkaTopic spec.topicName to keep a short resource name).",
    url: "https://strimzi.io/docs/operators/latest/deploying#con-using-the-topic-operator-str",
    config: ruleConfigSchema({
        pattern: regexSchema.default(DEFAULT_TOPIC_PATTERN).describe("Regular expression topic names must match."),
        allowedTopics: z.array(z.string().min(1)).default([]).describe("Topic names accepted regardless of the pattern."),
    }),
    appliesTo: (key) => TOPIC_KINDS.includes(key) || key === SUBSCRIPTION_KIND,
    notApplicableReason: "applies only to Strimzi KafkaTopic, Redpanda Topic and Dapr Subscription",
    check(obj, config, ctx) {
        const pattern = new RegExp(config.pattern);
        return topicNamesOf(obj, groupKind(ctx.apiVersion, ctx.kind))
            .filter(({ name }) => !pattern.test(name) && !config.allowedTopics.includes(name))
            .map(({ name, field }) =>
                makeViolation(this.id, obj, config, {
                    field,
                    problem: `topic "${name}" does not match ${config.pattern}`,
                    fix: "name the topic <app>.<domain>.<event-type>.v<N>, for example todo.tasks.created.v1",
                }, ctx),
            );
    },
});

/** CrossGuard policy for {@link kafkaTopicNamingRule}. */
export const kafkaTopicNaming = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(kafkaTopicNamingRule, level);
