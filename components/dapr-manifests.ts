import type { StackConfig } from "./config";
import { kafkaBootstrapServers } from "./kafka-manifests";
import { KubernetesObject, platformMetadata } from "./labels";

/** Names services refer to in their Dapr annotations and subscriptions. */
export const DAPR_PUBSUB = "pubsub";
export const DAPR_STATESTORE = "statestore";
export const DAPR_CONFIGURATION = "tracing";
/** The Secret the state store and pub/sub read credentials from (kept out of component specs). */
export const DAPR_CREDENTIALS_SECRET = "dapr-credentials";

/** App ids of the Dapr-enabled services: the scopes of every shared component. */
export const daprAppIds = (config: StackConfig) => config.services.filter((s) => s.dapr).map((s) => s.name);

const metadata = (config: StackConfig, name: string, description: string, configKey: string) => ({
    name,
    namespace: config.namespaces.apps,
    ...platformMetadata(config, { name, component: "dapr-component", version: "1.18.3", description, configKey }),
});

/** The shared Dapr resources in the apps namespace: pub/sub, state store, resiliency, tracing. */
export function daprObjects(config: StackConfig): KubernetesObject[] {
    const scopes = daprAppIds(config);
    const kafka = config.kafka;
    const pubsubAuth =
        kafka.provider === "external" && kafka.auth.type === "password"
            ? [
                  { name: "authType", value: "password" },
                  { name: "saslUsername", value: kafka.auth.username },
                  { name: "saslPassword", secretKeyRef: { name: DAPR_CREDENTIALS_SECRET, key: "kafkaPassword" } },
              ]
            : [{ name: "authType", value: "none" }];
    const tls = kafka.provider === "external" ? kafka.tls : kafka.provider === "redpanda" && kafka.tls;
    const store = config.stateStore;
    const stateSpec =
        store.type === "postgresql"
            ? {
                  type: "state.postgresql",
                  version: "v2",
                  metadata: [{ name: "connectionString", secretKeyRef: { name: DAPR_CREDENTIALS_SECRET, key: "stateStoreConnectionString" } }],
              }
            : {
                  type: "state.redis",
                  version: "v1",
                  metadata: [
                      { name: "redisHost", value: store.host },
                      ...(store.passwordSecret === undefined ? [] : [{ name: "redisPassword", secretKeyRef: { name: DAPR_CREDENTIALS_SECRET, key: "stateStorePassword" } }]),
                  ],
              };
    return [
        {
            apiVersion: "dapr.io/v1alpha1",
            kind: "Component",
            metadata: metadata(config, DAPR_PUBSUB, "Kafka pub/sub for the Todo domain events.", "kafka"),
            spec: {
                type: "pubsub.kafka",
                version: "v1",
                metadata: [
                    { name: "brokers", value: kafkaBootstrapServers(config).join(",") },
                    // Each app consumes as its own group, so every subscriber sees every event.
                    { name: "consumerGroup", value: "{appID}" },
                    { name: "disableTls", value: String(!tls) },
                    ...pubsubAuth,
                ],
            },
            scopes,
        },
        {
            apiVersion: "dapr.io/v1alpha1",
            kind: "Component",
            metadata: metadata(config, DAPR_STATESTORE, "State store of the Dapr-enabled services.", "stateStore"),
            spec: stateSpec,
            scopes,
        },
        {
            apiVersion: "dapr.io/v1alpha1",
            kind: "Resiliency",
            metadata: metadata(config, "todo-resiliency", "Timeouts, retries and circuit breakers for Dapr calls.", "dapr"),
            spec: {
                policies: {
                    timeouts: { general: "5s", pubsub: "10s" },
                    retries: {
                        general: { policy: "constant", duration: "1s", maxRetries: 3 },
                        pubsub: { policy: "exponential", maxInterval: "15s", maxRetries: 10 },
                    },
                    circuitBreakers: { general: { maxRequests: 1, interval: "30s", timeout: "60s", trip: "consecutiveFailures > 5" } },
                },
                targets: {
                    components: {
                        [DAPR_PUBSUB]: { outbound: { timeout: "pubsub", retry: "pubsub", circuitBreaker: "general" } },
                        [DAPR_STATESTORE]: { outbound: { timeout: "general", retry: "general", circuitBreaker: "general" } },
                    },
                },
            },
            scopes,
        },
        {
            apiVersion: "dapr.io/v1alpha1",
            kind: "Configuration",
            metadata: metadata(config, DAPR_CONFIGURATION, "Tracing configuration of the Dapr sidecars.", "dapr"),
            spec: {
                tracing: {
                    samplingRate: String(config.dapr.tracingSamplingRate),
                    ...(config.dapr.zipkinEndpoint === undefined ? {} : { zipkin: { endpointAddress: config.dapr.zipkinEndpoint } }),
                },
            },
        },
    ];
}
