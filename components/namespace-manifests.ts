import type { StackConfig } from "./config";
import { KubernetesObject, platformMetadata } from "./labels";

export const Layer = { Dapr: "dapr", Kafka: "kafka", Apps: "apps" } as const;
export type Layer = (typeof Layer)[keyof typeof Layer];

type Peer = Record<string, unknown>;
const namespacePeer = (name: string): Peer => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });
const dnsPeer: Peer = { ...namespacePeer("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } };
const anywhere: Peer = { ipBlock: { cidr: "0.0.0.0/0" } };
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));

/** A NetworkPolicy rule set: name, which pods, and the ingress/egress it allows. */
interface Allow {
    name: string;
    why: string;
    pods?: Record<string, string>;
    ingress?: { from: Peer[]; ports?: unknown[] }[];
    egress?: { to: Peer[]; ports?: unknown[] }[];
}

/**
 * What each layer's pods may talk to on top of the default deny: exactly the paths the stack
 * uses (DNS, API server, clients to Kafka, sidecars to the Dapr control plane, service calls).
 * Per-service ingress (ingress controller -> frontend/backend, frontend -> backend) comes from
 * each service's chart NetworkPolicy.
 */
export function layerAllows(config: StackConfig, layer: Layer): Allow[] {
    const ns = config.namespaces;
    const dns: Allow = { name: "allow-dns", why: "Name resolution through kube-dns.", egress: [{ to: [dnsPeer], ports: [{ protocol: "UDP", port: 53 }, ...tcp(53)] }] };
    const sameNamespace: Allow = {
        name: "allow-same-namespace",
        why: "Pods of this layer talk to each other (controllers, brokers, replicas).",
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
    };
    const apiServer: Allow = { name: "allow-apiserver", why: "Operators and controllers watch the Kubernetes API.", egress: [{ to: [anywhere], ports: tcp(443, 6443) }] };
    const kafkaPorts = config.kafka.provider === "external" ? config.kafka.bootstrapServers.map((s) => Number(s.split(":")[1])) : [9092, 9093];
    switch (layer) {
        case "dapr":
            return [
                dns,
                sameNamespace,
                apiServer,
                { name: "allow-sidecars", why: "Dapr sidecars in the apps namespace reach Sentry, placement, scheduler and the operator.", ingress: [{ from: [namespacePeer(ns.apps)] }] },
                {
                    name: "allow-injector-webhook",
                    why: "The API server calls the sidecar injector webhook.",
                    pods: { "app.kubernetes.io/name": "dapr-sidecar-injector" },
                    ingress: [{ from: [anywhere], ports: tcp(4000) }],
                },
            ];
        case "kafka":
            return [
                dns,
                sameNamespace,
                apiServer,
                { name: "allow-kafka-clients", why: "Dapr sidecars in the apps namespace produce and consume.", ingress: [{ from: [namespacePeer(ns.apps)], ports: tcp(9092, 9093) }] },
            ];
        case "apps":
            return [
                dns,
                { name: "allow-egress-same-namespace", why: "Service-to-service calls; the receiving chart's policy decides.", egress: [{ to: [{ podSelector: {} }] }] },
                {
                    name: "allow-dapr-invocation",
                    why: "Dapr sidecars call each other on the invocation port.",
                    ingress: [{ from: [{ podSelector: {} }], ports: tcp(50002) }],
                },
                { name: "allow-dapr-control-plane", why: "Sidecars reach the Dapr control plane.", egress: [{ to: [namespacePeer(ns.dapr)] }] },
                {
                    name: "allow-kafka",
                    why: "Sidecars reach the Kafka brokers.",
                    egress: [{ to: [config.kafka.provider === "external" ? anywhere : namespacePeer(ns.kafka)], ports: tcp(...kafkaPorts) }],
                },
                { name: "allow-datastores", why: "The back end and the Dapr state store reach PostgreSQL or Redis.", egress: [{ to: [anywhere], ports: tcp(5432, 6379) }] },
                {
                    name: "allow-ai-provider",
                    why: "The AI agent calls its model provider over HTTPS.",
                    pods: { "app.kubernetes.io/name": "ai-agent" },
                    egress: [{ to: [anywhere], ports: tcp(443) }],
                },
            ];
    }
}

const LAYER_DESCRIPTION: Record<Layer, string> = {
    dapr: "Dapr control plane.",
    kafka: "Kafka brokers and their operator.",
    apps: "Todo/chat application services.",
};

/** The namespace of a layer with its quota, default container limits and network policies. */
export function namespaceObjects(config: StackConfig, layer: Layer): KubernetesObject[] {
    const namespace = config.namespaces[layer];
    const meta = (name: string, description: string) => ({
        name,
        namespace,
        ...platformMetadata(config, { name, component: "namespace", version: config.environment, description, configKey: `namespaces.${layer}` }),
    });
    const { namespace: _unused, ...namespaceMeta } = meta(namespace, LAYER_DESCRIPTION[layer]);
    const quota = config.quota;
    const objects: KubernetesObject[] = [
        {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: {
                ...namespaceMeta,
                labels: {
                    ...namespaceMeta.labels,
                    // Apps get the restricted profile in warn mode: injected sidecars are outside our control.
                    "pod-security.kubernetes.io/enforce": layer === "kafka" && config.kafka.provider === "redpanda" ? "privileged" : "baseline",
                    "pod-security.kubernetes.io/warn": "restricted",
                },
            },
        },
        {
            apiVersion: "v1",
            kind: "LimitRange",
            metadata: meta("default-container-resources", "Requests and limits for containers that set none."),
            spec: {
                limits: [{ type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } }],
            },
        },
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: meta("default-deny", "Denies all traffic that no other policy allows."),
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        },
    ];
    {
        objects.push({
            apiVersion: "v1",
            kind: "ResourceQuota",
            metadata: meta("compute", "Caps what the pods of this layer may request."),
            spec: {
                hard: {
                    "requests.cpu": quota.requestsCpu,
                    "requests.memory": quota.requestsMemory,
                    "limits.cpu": quota.limitsCpu,
                    "limits.memory": quota.limitsMemory,
                    pods: String(quota.pods),
                },
            },
        });
    }
    for (const allow of layerAllows(config, layer)) {
        objects.push({
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: meta(allow.name, allow.why),
            spec: {
                podSelector: allow.pods === undefined ? {} : { matchLabels: allow.pods },
                policyTypes: [...(allow.ingress ? ["Ingress"] : []), ...(allow.egress ? ["Egress"] : [])],
                ...(allow.ingress ? { ingress: allow.ingress } : {}),
                ...(allow.egress ? { egress: allow.egress } : {}),
            },
        });
    }
    return objects;
}
