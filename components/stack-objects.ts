import { createHash } from "node:crypto";
import type { StackConfig } from "./config";
import { DAPR_CREDENTIALS_SECRET, daprObjects } from "./dapr-manifests";
import { redpandaTopicJob, strimziObjects } from "./kafka-manifests";
import { KubernetesObject, platformMetadata } from "./labels";
import { Layer, namespaceObjects } from "./namespace-manifests";
import { serviceSecretName } from "./service-values";

/** The layers a stack deploys: Kafka's namespace only when the stack runs Kafka itself. */
export function layersOf(config: StackConfig): Layer[] {
    return [...(config.dapr.enabled ? [Layer.Dapr] : []), ...(config.kafka.provider === "external" ? [] : [Layer.Kafka]), Layer.Apps];
}

/** Identifies the topic set, so the Redpanda topic job reruns when topics change. */
export const topicsHash = (config: StackConfig) => createHash("sha256").update(JSON.stringify(config.topics)).digest("hex");

/** A Secret's metadata; its data is filled in by the caller (secret Outputs in the program). */
export function secretMetadata(config: StackConfig, name: string, description: string, configKey: string): KubernetesObject["metadata"] {
    return {
        name,
        namespace: config.namespaces.apps,
        ...platformMetadata(config, { name, component: "secret", version: config.environment, description, configKey }),
    };
}

/** Which secret config key fills each key of the Dapr credentials Secret. */
export function daprCredentialKeys(config: StackConfig): Record<string, string> {
    const keys: Record<string, string> = {};
    if (config.stateStore.type === "postgresql") {
        keys.stateStoreConnectionString = config.stateStore.connectionStringSecret;
    } else if (config.stateStore.passwordSecret !== undefined) {
        keys.stateStorePassword = config.stateStore.passwordSecret;
    }
    if (config.kafka.provider === "external" && config.kafka.auth.type === "password") {
        keys.kafkaPassword = config.kafka.auth.passwordSecret;
    }
    return keys;
}

/**
 * Every object the program creates directly (not through a Helm chart), as plain objects with
 * placeholder secret data. The components create exactly these; tests send them to a real API
 * server (`kubectl apply --dry-run=server`) and through the policy checker.
 */
export function renderStackObjects(config: StackConfig): KubernetesObject[] {
    const objects = layersOf(config).flatMap((layer) => namespaceObjects(config, layer));
    if (config.kafka.provider === "strimzi") {
        const { nodePool, kafka, topics } = strimziObjects(config);
        objects.push(nodePool, kafka, ...topics);
    } else if (config.kafka.provider === "redpanda") {
        objects.push(redpandaTopicJob(config, topicsHash(config)));
    }
    if (config.dapr.enabled) {
        objects.push(
            { apiVersion: "v1", kind: "Secret", metadata: secretMetadata(config, DAPR_CREDENTIALS_SECRET, "Credentials the Dapr components read.", "stateStore"), type: "Opaque", stringData: placeholders(daprCredentialKeys(config)) },
            ...daprObjects(config),
        );
    }
    for (const service of config.services) {
        if (Object.keys(service.secretEnv).length > 0) {
            objects.push({
                apiVersion: "v1",
                kind: "Secret",
                metadata: secretMetadata(config, serviceSecretName(service.name), `Secret environment of ${service.name}.`, `services.${service.name}.secretEnv`),
                type: "Opaque",
                stringData: placeholders(service.secretEnv),
            });
        }
    }
    return objects;
}

const placeholders = (keys: Record<string, string>) => Object.fromEntries(Object.keys(keys).map((key) => [key, "placeholder"]));
