/**
 * Dapr Subscription topics exist as topics managed by the stack.
 *
 * When the stack manages topics (Strimzi `kafka.strimzi.io` KafkaTopic or Redpanda
 * `cluster.redpanda.com` Topic), the `topic` and `deadLetterTopic` of every Dapr Subscription
 * (v1alpha1 and v2alpha1) must be one of them, matched by Kafka topic name across namespaces.
 * Stacks that manage no topics are not checked.
 *
 * @severity medium
 * @topics dapr, kafka
 * @link https://docs.dapr.io/developing-applications/building-blocks/pubsub/subscription-methods/
 */
import type { EnforcementLevel, StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toStackPolicy } from "../lib/crossguard";
import { defineStackRule, objectGroupKind } from "../lib/rule";
import { makeViolation, type Violation } from "../lib/violation";
import { SUBSCRIPTION_KIND, TOPIC_KINDS, topicNamesOf } from "./kafka-topic-naming";

/** The pure rule. */
export const daprSubscriptionTopicsRule = defineStackRule({
    scope: "stack",
    id: "dapr-subscription-topics",
    description: "Every Dapr Subscription topic exists as a KafkaTopic or Redpanda Topic of the stack when the stack manages topics.",
    severity: "medium",
    topics: ["dapr", "kafka"],
    remediationSteps: "Add a KafkaTopic (spec.topicName) or Redpanda Topic for the subscribed topic, or fix the Subscription's topic name.",
    url: "https://docs.dapr.io/developing-applications/building-blocks/pubsub/subscription-methods/",
    config: ruleConfigSchema({
        externalTopics: z.array(z.string().min(1)).default([]).describe("Topics managed outside the stack that Subscriptions may use."),
    }),
    check(objects, config) {
        const topicObjects = objects.filter((o) => TOPIC_KINDS.includes(objectGroupKind(o)));
        if (topicObjects.length === 0) {
            return [];
        }
        const topics = new Set(topicObjects.flatMap((o) => topicNamesOf(o, objectGroupKind(o)).map((t) => t.name)));
        const out: Violation[] = [];
        for (const subscription of objects.filter((o) => objectGroupKind(o) === SUBSCRIPTION_KIND)) {
            for (const { name, field } of topicNamesOf(subscription, SUBSCRIPTION_KIND)) {
                if (!topics.has(name) && !config.externalTopics.includes(name)) {
                    out.push(
                        makeViolation(this.id, subscription, config, {
                            field,
                            problem: `topic "${name}" is not a KafkaTopic or Topic of this stack (known: ${[...topics].sort().join(", ")})`,
                            fix: "create the topic in the stack or correct the topic name",
                        }),
                    );
                }
            }
        }
        return out;
    },
});

/** CrossGuard policy for {@link daprSubscriptionTopicsRule}. */
export const daprSubscriptionTopics = (level: EnforcementLevel = "mandatory"): StackValidationPolicy =>
    toStackPolicy(daprSubscriptionTopicsRule, level);
