/**
 * One fully compliant object per kind. Each call returns a fresh copy, so a test mutates exactly
 * one field of its own object. Tokens come from the @pulumi/kubernetes classes.
 */
import { apps, autoscaling, batch, core, helm, networking, policy } from "@pulumi/kubernetes";
import { tokenOf } from "./harness";

/** Labels every first-party object carries. */
export const LABELS = {
    "app.kubernetes.io/name": "backend",
    "app.kubernetes.io/instance": "todo-backend",
    "app.kubernetes.io/version": "1.4.2",
    "app.kubernetes.io/component": "api",
    "app.kubernetes.io/part-of": "todo",
    environment: "prod",
    team: "todo",
    "cost-center": "cc-1234",
};

/** Annotations every workload carries. */
export const ANNOTATIONS = {
    description: "Todo API",
    owner: "team-todo",
    contact: "todo@example.com",
    documentation: "https://docs.example.com/todo",
    "incident-channel": "#todo-oncall",
};

/** A compliant container. */
export function container(name = "app"): Record<string, any> {
    return {
        name,
        image: "ghcr.io/example/todo-backend:1.4.2",
        ports: [{ name: "http", containerPort: 8080 }],
        readinessProbe: { httpGet: { path: "/ready", port: "http" }, timeoutSeconds: 1 },
        livenessProbe: { httpGet: { path: "/healthz", port: "http" }, timeoutSeconds: 3 },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    };
}

/** A compliant pod spec. */
export function podSpec(): Record<string, any> {
    return {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
        containers: [container()],
    };
}

function meta(name = "backend", extra: Record<string, unknown> = {}) {
    return { name, namespace: "todo", labels: { ...LABELS }, annotations: { ...ANNOTATIONS }, ...extra };
}

const template = () => ({
    metadata: {
        labels: { ...LABELS },
        annotations: { "dapr.io/enabled": "true", "dapr.io/app-id": "backend", "dapr.io/app-port": "8080" },
    },
    spec: podSpec(),
});

const selector = () => ({ matchLabels: { "app.kubernetes.io/name": "backend", "app.kubernetes.io/instance": "todo-backend" } });

/** Compliant pod-bearing objects by kind, with the class token CrossGuard uses. */
export const workloads = {
    Pod: {
        type: tokenOf(core.v1.Pod),
        make: (): Record<string, any> => ({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { ...meta(), annotations: { ...ANNOTATIONS, ...template().metadata.annotations } },
            spec: podSpec(),
        }),
    },
    Deployment: {
        type: tokenOf(apps.v1.Deployment),
        make: (): Record<string, any> => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: meta(), spec: { replicas: 2, selector: selector(), template: template() } }),
    },
    StatefulSet: {
        type: tokenOf(apps.v1.StatefulSet),
        make: (): Record<string, any> => ({
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: meta(),
            spec: { replicas: 1, serviceName: "backend", selector: selector(), template: template() },
        }),
    },
    DaemonSet: {
        type: tokenOf(apps.v1.DaemonSet),
        make: (): Record<string, any> => ({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: meta(), spec: { selector: selector(), template: template() } }),
    },
    ReplicaSet: {
        type: tokenOf(apps.v1.ReplicaSet),
        make: (): Record<string, any> => ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: meta(), spec: { replicas: 1, selector: selector(), template: template() } }),
    },
    Job: {
        type: tokenOf(batch.v1.Job),
        make: (): Record<string, any> => ({
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: meta(),
            spec: { template: { ...template(), spec: { ...podSpec(), restartPolicy: "OnFailure" } } },
        }),
    },
    CronJob: {
        type: tokenOf(batch.v1.CronJob),
        make: (): Record<string, any> => ({
            apiVersion: "batch/v1",
            kind: "CronJob",
            metadata: meta(),
            spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { ...template(), spec: { ...podSpec(), restartPolicy: "OnFailure" } } } } },
        }),
    },
};

/** Pod-bearing kind names. */
export const WORKLOAD_KINDS = Object.keys(workloads) as Array<keyof typeof workloads>;

/** Path prefix of the pod spec per kind. */
export const SPEC_PATH: Record<keyof typeof workloads, string> = {
    Pod: "spec",
    Deployment: "spec.template.spec",
    StatefulSet: "spec.template.spec",
    DaemonSet: "spec.template.spec",
    ReplicaSet: "spec.template.spec",
    Job: "spec.template.spec",
    CronJob: "spec.jobTemplate.spec.template.spec",
};

/** Returns the pod spec of a fixture object. */
export function specOf(obj: Record<string, any>): Record<string, any> {
    switch (obj.kind) {
        case "Pod":
            return obj.spec;
        case "CronJob":
            return obj.spec.jobTemplate.spec.template.spec;
        default:
            return obj.spec.template.spec;
    }
}

/** Other compliant objects with their tokens. */
export const others = {
    Service: {
        type: tokenOf(core.v1.Service),
        make: (): Record<string, any> => ({ apiVersion: "v1", kind: "Service", metadata: meta(), spec: { type: "ClusterIP", selector: selector().matchLabels, ports: [{ port: 80, targetPort: "http" }] } }),
    },
    ConfigMap: {
        type: tokenOf(core.v1.ConfigMap),
        make: (): Record<string, any> => ({ apiVersion: "v1", kind: "ConfigMap", metadata: meta("backend-config"), data: { LOG_FORMAT: "json", TOKEN_ISSUER_URL: "https://auth.example.com/token" } }),
    },
    Secret: {
        type: tokenOf(core.v1.Secret),
        make: (): Record<string, any> => ({ apiVersion: "v1", kind: "Secret", metadata: meta("backend-db"), stringData: { password: "only-in-a-secret" } }),
    },
    HorizontalPodAutoscaler: {
        type: tokenOf(autoscaling.v2.HorizontalPodAutoscaler),
        make: (): Record<string, any> => ({
            apiVersion: "autoscaling/v2",
            kind: "HorizontalPodAutoscaler",
            metadata: meta(),
            spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "backend" }, minReplicas: 2, maxReplicas: 5 },
        }),
    },
    PodDisruptionBudget: {
        type: tokenOf(policy.v1.PodDisruptionBudget),
        make: (): Record<string, any> => ({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta(), spec: { maxUnavailable: 1, selector: selector() } }),
    },
    NetworkPolicy: {
        type: tokenOf(networking.v1.NetworkPolicy),
        make: (): Record<string, any> => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta(), spec: { podSelector: selector(), policyTypes: ["Ingress"] } }),
    },
    Release: {
        type: tokenOf(helm.v3.Release),
        make: (): Record<string, any> => ({
            chart: "dapr",
            version: "1.18.3",
            name: "dapr",
            namespace: "dapr-system",
            repositoryOpts: { repo: "https://dapr.github.io/helm-charts" },
            values: { global: { ha: { enabled: true } }, dapr_sentry: { tls: { existingSecret: "dapr-ca" } } },
        }),
    },
    KafkaTopic: {
        type: "kubernetes:kafka.strimzi.io/v1:KafkaTopic",
        make: (): Record<string, any> => ({
            apiVersion: "kafka.strimzi.io/v1",
            kind: "KafkaTopic",
            metadata: { name: "tasks-created", namespace: "kafka", labels: { "strimzi.io/cluster": "todo" } },
            spec: { topicName: "todo.tasks.created.v1", partitions: 3, replicas: 3 },
        }),
    },
    RedpandaTopic: {
        type: "kubernetes:cluster.redpanda.com/v1alpha2:Topic",
        make: (): Record<string, any> => ({
            apiVersion: "cluster.redpanda.com/v1alpha2",
            kind: "Topic",
            metadata: { name: "todo.tasks.deleted.v1", namespace: "redpanda" },
            spec: { partitions: 3, replicationFactor: 3, cluster: { clusterRef: { name: "todo" } } },
        }),
    },
    Subscription: {
        type: "kubernetes:dapr.io/v2alpha1:Subscription",
        make: (): Record<string, any> => ({
            apiVersion: "dapr.io/v2alpha1",
            kind: "Subscription",
            metadata: { name: "tasks-created", namespace: "todo" },
            spec: { pubsubname: "pubsub", topic: "todo.tasks.created.v1", routes: { default: "/events" } },
            scopes: ["backend"],
        }),
    },
    Component: {
        type: "kubernetes:dapr.io/v1alpha1:Component",
        make: (): Record<string, any> => ({
            apiVersion: "dapr.io/v1alpha1",
            kind: "Component",
            metadata: { name: "pubsub", namespace: "todo" },
            spec: { type: "pubsub.kafka", version: "v1", metadata: [{ name: "brokers", value: "todo-kafka-bootstrap.kafka:9092" }] },
            scopes: ["backend"],
        }),
    },
};
