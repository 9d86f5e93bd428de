import { z } from "zod";
import { ENVIRONMENTS } from "./environments";

/**
 * The strict zod schema of everything a stack file (`Pulumi.<stack>.yaml`) can set under the
 * `todo-stack:` namespace, except secrets: secure values are read separately and referenced
 * by key name (see `parseStackConfig`). Every object is strict, so a misspelt key fails.
 */

/** RFC 1123 DNS label: what Kubernetes accepts as a Service name. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Camel-case config key of a secret (`databaseUrl`). */
const SECRET_KEY = /^[a-z][A-Za-z0-9]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;

const logLevel = z.enum(["debug", "info", "warn", "error"]);
const quantity = z.string().regex(QUANTITY, { message: "must be a Kubernetes quantity such as 500m, 1, 512Mi or 2Gi" });
const httpPath = z.string().startsWith("/", { message: "must start with /" });

const quantities = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });

/** Who owns what: stack-wide under `ownership`, overridable per service under `metadata`. */
const ownershipFields = {
    team: z.string().min(1).optional(),
    costCenter: z.string().min(1).optional(),
    owner: z.string().min(1).optional(),
    contact: z.string().min(1).optional(),
    documentation: z.url().optional(),
    incidentChannel: z.string().min(1).optional(),
};
const serviceMetadata = z.strictObject({
    component: z.string().min(1).optional(),
    description: z.string().min(1).optional(),
    ...ownershipFields,
});

/** One service; every field is optional because stack entries merge onto `DEFAULT_SERVICES`. */
export const serviceSchema = z.strictObject({
    enabled: z.boolean().optional(),
    image: z.string().min(1).optional(),
    port: z.int().min(1).max(65535).optional(),
    probe: z.enum(["http", "tcp"]).optional(),
    healthPath: httpPath.optional(),
    replicas: z.int().min(0).optional(),
    resources: z.strictObject({ requests: quantities.optional(), limits: quantities.optional() }).optional(),
    autoscaling: z
        .strictObject({
            enabled: z.boolean().optional(),
            minReplicas: z.int().min(1).optional(),
            maxReplicas: z.int().min(1).optional(),
            targetCPUUtilizationPercentage: z.int().min(1).max(100).optional(),
            targetMemoryUtilizationPercentage: z.int().min(1).max(100).optional(),
        })
        .optional(),
    logLevel: logLevel.optional(),
    ingressPath: httpPath.optional(),
    dapr: z.boolean().optional(),
    publishes: z.array(z.string()).optional(),
    subscribes: z.record(z.string(), httpPath).optional(),
    dependsOn: z.array(z.string()).optional(),
    env: z.record(z.string().regex(ENV_NAME, { message: "must be an environment variable name" }), z.string()).optional(),
    secretEnv: z
        .record(
            z.string().regex(ENV_NAME, { message: "must be an environment variable name" }),
            z.string().regex(SECRET_KEY, { message: "must name a secret config key such as databaseUrl" }),
        )
        .optional(),
    metadata: serviceMetadata.optional(),
});
export type ServiceInput = z.input<typeof serviceSchema>;

export const topicSchema = z.strictObject({
    partitions: z.int().min(1).optional(),
    replicas: z.int().min(1).optional(),
    retentionHours: z.int().min(1).optional(),
});
export type TopicInput = z.input<typeof topicSchema>;

/** A chart source override: an HTTP(S)/OCI Helm repository or a local chart folder/archive. */
const chartSource = z.strictObject({ repository: z.string().min(1) });

const secretRef = z.string().regex(SECRET_KEY, { message: "must name a secret config key such as kafkaPassword" });

export const kafkaSchema = z.discriminatedUnion("provider", [
    z.strictObject({
        provider: z.literal("strimzi"),
        brokers: z.int().min(1).optional(),
        storageGi: z.int().min(1).optional(),
    }),
    z.strictObject({
        provider: z.literal("redpanda"),
        brokers: z.int().min(1).optional(),
        storageGi: z.int().min(1).optional(),
        persistentStorage: z.boolean().optional(),
        tls: z.boolean().optional(),
        tuning: z.boolean().optional(),
    }),
    z.strictObject({
        provider: z.literal("external"),
        bootstrapServers: z.array(z.string().regex(/^[^\s:]+:[0-9]+$/, { message: "must be host:port" })).min(1),
        tls: z.boolean().optional(),
        auth: z
            .discriminatedUnion("type", [
                z.strictObject({ type: z.literal("none") }),
                z.strictObject({
                    type: z.literal("password"),
                    username: z.string().min(1),
                    passwordSecret: secretRef,
                }),
            ])
            .optional(),
    }),
]);

export const stackConfigSchema = z.strictObject({
    environment: z.enum(ENVIRONMENTS),
    cluster: z
        .strictObject({ kubeconfig: z.string().min(1).optional(), context: z.string().min(1).optional() })
        .optional(),
    namespaces: z
        .strictObject({
            dapr: z.string().regex(DNS_LABEL).optional(),
            kafka: z.string().regex(DNS_LABEL).optional(),
            apps: z.string().regex(DNS_LABEL).optional(),
        })
        .optional(),
    charts: z
        .strictObject({
            mirror: z.string().min(1).optional(),
            dapr: chartSource.optional(),
            strimzi: chartSource.optional(),
            redpanda: chartSource.optional(),
        })
        .optional(),
    ingress: z
        .strictObject({
            className: z.string().min(1).optional(),
            host: z.string().min(1).optional(),
            tlsSecretName: z.string().regex(DNS_LABEL).optional(),
            controllerNamespace: z.string().regex(DNS_LABEL).optional(),
        })
        .optional(),
    ownership: z.strictObject({ partOf: z.string().min(1).optional(), ...ownershipFields }).optional(),
    dapr: z
        .strictObject({
            enabled: z.boolean().optional(),
            ha: z.boolean().optional(),
            logLevel: logLevel.optional(),
            schedulerInMemory: z.boolean().optional(),
            tracingSamplingRate: z.number().min(0).max(1).optional(),
            zipkinEndpoint: z.url().optional(),
        })
        .optional(),
    kafka: kafkaSchema.optional(),
    topics: z.record(z.string(), topicSchema).optional(),
    stateStore: z
        .discriminatedUnion("type", [
            z.strictObject({ type: z.literal("postgresql"), connectionStringSecret: secretRef.optional() }),
            z.strictObject({
                type: z.literal("redis"),
                host: z.string().regex(/^[^\s:]+:[0-9]+$/, { message: "must be host:port" }),
                passwordSecret: secretRef.optional(),
            }),
        ])
        .optional(),
    generatedSecrets: z
        .record(z.string().regex(SECRET_KEY), z.strictObject({ length: z.int().min(16).max(256) }))
        .optional(),
    services: z.record(z.string(), serviceSchema).optional(),
});
export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfigParsed = z.output<typeof stackConfigSchema>;
