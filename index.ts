import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import {
    DAPR_CREDENTIALS_SECRET,
    DaprComponents,
    DaprControlPlane,
    daprChartValues,
    daprCredentialKeys,
    daprObjects,
    KafkaCluster,
    KafkaPlatform,
    kafkaBootstrapServers,
    layersOf,
    loadConfig,
    Microservice,
    namespaceObjects,
    NodeId,
    PlatformNamespace,
    redpandaChartValues,
    redpandaTopicJob,
    renderServiceValues,
    resolveChartSource,
    secretConfig,
    secretMetadata,
    serviceSecretName,
    StackSecrets,
    stackGraph,
    strimziChartValues,
    strimziObjects,
    topicsHash,
} from "./components";

// Validation runs before any resource exists: a bad config deploys nothing.
const config = loadConfig();
const graph = stackGraph(config);
const projectRoot = __dirname;

const provider = new k8s.Provider("cluster", {
    kubeconfig: config.cluster.kubeconfig,
    context: config.cluster.context,
});
const secrets = new StackSecrets("stack", { configured: config.secretKeys, generated: config.generatedSecrets, read: secretConfig });

const namespaces = new Map(
    layersOf(config).map((layer) => [layer, new PlatformNamespace(`ns-${layer}`, { objects: namespaceObjects(config, layer) }, { providers: [provider] })]),
);
const namespaceOf = (layer: "dapr" | "kafka" | "apps") => {
    const namespace = namespaces.get(layer);
    if (namespace === undefined) {
        throw new Error(`namespace layer ${layer} is not part of this stack`);
    }
    return namespace;
};

/** Resources by release-graph node id; each node's dependsOn resolves through this map. */
const created = new Map<string, pulumi.Resource>(layersOf(config).map((layer) => [NodeId.namespace(layer), namespaceOf(layer)]));
const dependenciesOf = (id: string): pulumi.Resource[] =>
    (graph.nodes.find((n) => n.id === id)?.dependsOn ?? []).map((dependency) => {
        const resource = created.get(dependency);
        if (resource === undefined) {
            throw new Error(`release graph: ${id} depends on ${dependency}, which was not created before it`);
        }
        return resource;
    });
const options = (id: string): pulumi.ComponentResourceOptions => ({ providers: [provider], dependsOn: dependenciesOf(id) });

for (const node of graph.nodes) {
    switch (node.id) {
        case NodeId.daprControlPlane:
            created.set(
                node.id,
                new DaprControlPlane("dapr", { namespace: namespaceOf("dapr").name, chart: resolveChartSource("dapr", config.charts, projectRoot), values: daprChartValues(config) }, options(node.id)),
            );
            break;
        case NodeId.daprComponents:
            created.set(
                node.id,
                new DaprComponents(
                    "dapr",
                    {
                        objects: daprObjects(config),
                        credentialsSecret: { apiVersion: "v1", kind: "Secret", metadata: secretMetadata(config, DAPR_CREDENTIALS_SECRET, "Credentials the Dapr components read.", "stateStore") },
                        credentials: secrets.pick(daprCredentialKeys(config)),
                    },
                    options(node.id),
                ),
            );
            break;
        case NodeId.kafkaPlatform:
            if (config.kafka.provider !== "external") {
                const strimzi = config.kafka.provider === "strimzi";
                created.set(
                    node.id,
                    new KafkaPlatform(
                        "kafka",
                        {
                            namespace: namespaceOf("kafka").name,
                            provider: config.kafka.provider,
                            chart: resolveChartSource(strimzi ? "strimzi" : "redpanda", config.charts, projectRoot),
                            values: strimzi ? strimziChartValues(config) : redpandaChartValues(config),
                        },
                        options(node.id),
                    ),
                );
            }
            break;
        case NodeId.kafkaResources: {
            const strimzi = config.kafka.provider === "strimzi";
            const objects = strimzi ? Object.values(strimziObjects(config)).flat() : [redpandaTopicJob(config, topicsHash(config))];
            created.set(node.id, new KafkaCluster("kafka", { objects, bootstrapServers: kafkaBootstrapServers(config) }, options(node.id)));
            break;
        }
        default:
            if (node.kind === "service") {
                const service = config.services.find((s) => NodeId.service(s.name) === node.id);
                if (service !== undefined) {
                    const hasSecrets = Object.keys(service.secretEnv).length > 0;
                    created.set(
                        node.id,
                        new Microservice(
                            service.name,
                            {
                                namespace: namespaceOf("apps").name,
                                values: renderServiceValues(service, config),
                                secret: hasSecrets
                                    ? {
                                          metadata: secretMetadata(config, serviceSecretName(service.name), `Secret environment of ${service.name}.`, `services.${service.name}.secretEnv`),
                                          data: secrets.pick(service.secretEnv),
                                      }
                                    : undefined,
                                chartPath: path.join(projectRoot, "charts", "microservice"),
                            },
                            options(node.id),
                        ),
                    );
                }
            }
    }
}

export const environment = config.environment;
export const namespaceNames = config.namespaces;
export const kafkaBootstrap = kafkaBootstrapServers(config);
export const services = config.services.map((s) => s.name);
export const releaseOrder = graph.nodes.map((n) => n.id);
export const ingressHost = config.ingress.host;
/** Generated secrets, for operators (`pulumi stack output --show-secrets`); stays encrypted in state. */
export const generatedSecrets = pulumi.secret(
    Object.fromEntries(Object.keys(config.generatedSecrets).map((key) => [key, secrets.get(key)])),
);
