import type { StackConfig } from "./config";
import { KubernetesObject, platformMetadata } from "./labels";

/** Kafka and metadata versions Strimzi 1.2.0 runs in KRaft mode. */
export const STRIMZI_KAFKA = { version: "4.3.1", metadataVersion: "4.3-IV0" } as const;
/** The Redpanda image of chart 26.2.2, used by the topic job. */
export const REDPANDA_IMAGE = "docker.redpanda.com/redpandadata/redpanda:v26.2.1";
export const KAFKA_CLUSTER_NAME = "todo-kafka";

/** Where clients reach Kafka: what the Dapr pub/sub component is configured with. */
export function kafkaBootstrapServers(config: StackConfig): string[] {
    const ns = config.namespaces.kafka;
    switch (config.kafka.provider) {
        case "strimzi":
            return [`${KAFKA_CLUSTER_NAME}-kafka-bootstrap.${ns}.svc.cluster.local:9092`];
        case "redpanda":
            return [`redpanda.${ns}.svc.cluster.local:9093`];
        case "external":
            return config.kafka.bootstrapServers;
    }
}

const metadata = (config: StackConfig, name: string, component: string, description: string, configKey: string) => ({
    name,
    namespace: config.namespaces.kafka,
    ...platformMetadata(config, { name, component, version: STRIMZI_KAFKA.version, description, configKey }),
});

/** Strimzi `kafka.strimzi.io/v1` objects: one dual-role KRaft node pool, the cluster, one KafkaTopic per topic. */
export function strimziObjects(config: StackConfig): { nodePool: KubernetesObject; kafka: KubernetesObject; topics: KubernetesObject[] } {
    if (config.kafka.provider !== "strimzi") {
        throw new Error("strimziObjects needs kafka.provider: strimzi");
    }
    const { brokers, storageGi } = config.kafka;
    const replication = Math.min(3, brokers);
    const clusterLabel = { "strimzi.io/cluster": KAFKA_CLUSTER_NAME };
    const nodePoolMeta = metadata(config, "dual-role", "kafka-broker", "KRaft controllers and brokers of the Todo Kafka cluster.", "kafka");
    const kafkaMeta = metadata(config, KAFKA_CLUSTER_NAME, "kafka", "Kafka cluster carrying the Todo domain events.", "kafka");
    return {
        nodePool: {
            apiVersion: "kafka.strimzi.io/v1",
            kind: "KafkaNodePool",
            metadata: { ...nodePoolMeta, labels: { ...nodePoolMeta.labels, ...clusterLabel } },
            spec: {
                replicas: brokers,
                roles: ["controller", "broker"],
                resources:
                    config.environment === "dev"
                        ? { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } }
                        : { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "2", memory: "8Gi" } },
                storage: {
                    type: "jbod",
                    volumes: [{ id: 0, type: "persistent-claim", size: `${storageGi}Gi`, deleteClaim: false, kraftMetadata: "shared" }],
                },
            },
        },
        kafka: {
            apiVersion: "kafka.strimzi.io/v1",
            kind: "Kafka",
            metadata: kafkaMeta,
            spec: {
                kafka: {
                    version: STRIMZI_KAFKA.version,
                    metadataVersion: STRIMZI_KAFKA.metadataVersion,
                    listeners: [
                        { name: "plain", port: 9092, type: "internal", tls: false },
                        { name: "tls", port: 9093, type: "internal", tls: true },
                    ],
                    config: {
                        "offsets.topic.replication.factor": replication,
                        "transaction.state.log.replication.factor": replication,
                        "transaction.state.log.min.isr": Math.max(1, replication - 1),
                        "default.replication.factor": replication,
                        "min.insync.replicas": Math.max(1, replication - 1),
                        "auto.create.topics.enable": false,
                    },
                },
                entityOperator: { topicOperator: {}, userOperator: {} },
            },
        },
        topics: config.topics.map((topic) => {
            const meta = metadata(config, kubernetesTopicName(topic.name), "kafka-topic", `Kafka topic ${topic.name}.`, `topics.${topic.name}`);
            return {
                apiVersion: "kafka.strimzi.io/v1",
                kind: "KafkaTopic",
                metadata: { ...meta, labels: { ...meta.labels, ...clusterLabel } },
                spec: {
                    topicName: topic.name,
                    partitions: topic.partitions,
                    replicas: topic.replicas,
                    config: { "retention.ms": topic.retentionHours * 3_600_000 },
                },
            };
        }),
    };
}

/** Object names are DNS subdomains without dots in practice; the real topic name stays in spec. */
export const kubernetesTopicName = (topic: string) => topic.replace(/\./g, "-");

/**
 * Redpanda's chart has no topic resource, so a Job declares the topics with `rpk` (idempotent:
 * existing topics are left alone). Its name carries a hash of the topic list so a change reruns it.
 */
export function redpandaTopicJob(config: StackConfig, topicsHash: string): KubernetesObject {
    const name = `redpanda-topics-${topicsHash.slice(0, 8)}`;
    const meta = metadata(config, name, "kafka-topic", "Declares the Todo Kafka topics on Redpanda.", "topics");
    const brokers = kafkaBootstrapServers(config).join(",");
    const script = config.topics
        .map((t) => `rpk topic create ${t.name} -p ${t.partitions} -r ${t.replicas} -c retention.ms=${t.retentionHours * 3_600_000} --brokers ${brokers} || rpk topic describe ${t.name} --brokers ${brokers}`)
        .join(" && ");
    const podLabels = { ...meta.labels, "app.kubernetes.io/name": "redpanda-topics" };
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { ...meta, labels: { ...meta.labels, "app.kubernetes.io/name": "redpanda-topics" } },
        spec: {
            backoffLimit: 6,
            ttlSecondsAfterFinished: 86_400,
            template: {
                metadata: { labels: podLabels, annotations: meta.annotations },
                spec: {
                    restartPolicy: "OnFailure",
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        {
                            name: "rpk",
                            image: REDPANDA_IMAGE,
                            command: ["/bin/bash", "-c", script],
                            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
                            securityContext: {
                                readOnlyRootFilesystem: true,
                                allowPrivilegeEscalation: false,
                                privileged: false,
                                capabilities: { drop: ["ALL"] },
                            },
                            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                        },
                    ],
                    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
                },
            },
        },
    };
}
