import type { StackConfig } from "./config";
import { buildReleaseGraph, GraphInput, ReleaseGraph } from "./release-graph";

/** What the release graph needs from the resolved config. */
export function graphInputOf(config: StackConfig): GraphInput {
    return {
        daprEnabled: config.dapr.enabled,
        kafkaProvider: config.kafka.provider === "external" ? undefined : config.kafka.provider,
        services: config.services.map((s) => ({
            name: s.name,
            dapr: s.dapr,
            usesKafka: s.publishes.length > 0 || s.subscribes.length > 0,
            dependsOn: s.dependsOn,
        })),
    };
}

export const stackGraph = (config: StackConfig): ReleaseGraph => buildReleaseGraph(graphInputOf(config));
