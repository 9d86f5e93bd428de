import type { StackConfig } from "./config";

/** A plain Kubernetes object, as the API server and the policy checker see it. */
export interface KubernetesObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [field: string]: unknown;
}

/** The config key a resource comes from; policy violations name it so users know what to change. */
export const CONFIG_KEY_ANNOTATION = "todo-stack.dev/config-key";

/**
 * Labels and annotations of a first-party platform object (namespaces, quotas, Kafka and Dapr
 * custom resources). Services get the same set from the chart (`charts/microservice`).
 */
export function platformMetadata(
    config: StackConfig,
    object: { name: string; component: string; version: string; description: string; configKey: string },
): { labels: Record<string, string>; annotations: Record<string, string> } {
    const owner = config.ownership;
    return {
        labels: {
            "app.kubernetes.io/name": object.name,
            "app.kubernetes.io/instance": `${object.name}-${config.environment}`,
            "app.kubernetes.io/version": object.version,
            "app.kubernetes.io/component": object.component,
            "app.kubernetes.io/part-of": owner.partOf,
            "app.kubernetes.io/managed-by": "pulumi",
            environment: config.environment,
            team: owner.team,
            "cost-center": owner.costCenter,
        },
        annotations: {
            description: object.description,
            owner: owner.owner,
            contact: owner.contact,
            documentation: owner.documentation,
            "incident-channel": owner.incidentChannel,
            [CONFIG_KEY_ANNOTATION]: object.configKey,
        },
    };
}
