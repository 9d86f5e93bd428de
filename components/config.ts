import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ChartOverrides } from "./chart-sources";
import { ServiceInput, StackConfigParsed, stackConfigSchema, DNS_LABEL } from "./config-schema";
import { DEFAULT_SERVICES, DEFAULT_TOPICS } from "./default-services";
import { ENVIRONMENT_DEFAULTS, Environment, EnvironmentDefaults } from "./environments";
import { isValidTopicName } from "./event-contract";
import { ImageReference, parseImageReference } from "./image";
import { findDependencyProblems } from "./release-graph";

/** The Pulumi project name: the config namespace of every key (`todo-stack:services`). */
export const PROJECT = "todo-stack";

/** Longest service name: leaves room for suffixes such as `-secrets` within 63 characters. */
const MAX_SERVICE_NAME = 40;

/** Secrets the stack generates with @pulumi/random unless a stack sets them itself. */
export const DEFAULT_GENERATED_SECRETS: Readonly<Record<string, { length: number }>> = { jwtSecret: { length: 48 } };

export interface ResolvedService {
    name: string;
    image: ImageReference;
    imagePullPolicy: EnvironmentDefaults["imagePullPolicy"];
    port: number;
    probe: "http" | "tcp";
    healthPath: string;
    replicas: number;
    resources: EnvironmentDefaults["resources"];
    autoscaling: EnvironmentDefaults["autoscaling"];
    logLevel: EnvironmentDefaults["logLevel"];
    ingressPath?: string;
    dapr: boolean;
    publishes: string[];
    subscribes: { topic: string; route: string }[];
    dependsOn: string[];
    env: Record<string, string>;
    /** Environment variable name -> secret config key. */
    secretEnv: Record<string, string>;
    metadata: Ownership & { component: string; description: string };
}

export type ResolvedKafka =
    | { provider: "strimzi"; brokers: number; storageGi: number }
    | { provider: "redpanda"; brokers: number; storageGi: number; persistentStorage: boolean; tls: boolean; tuning: boolean }
    | {
          provider: "external";
          bootstrapServers: string[];
          tls: boolean;
          auth: { type: "none" } | { type: "password"; username: string; passwordSecret: string };
      };

/** The validated stack config with environment defaults applied: what components consume. */
export interface StackConfig {
    environment: Environment;
    cluster: { kubeconfig?: string; context?: string };
    namespaces: { dapr: string; kafka: string; apps: string };
    charts: ChartOverrides;
    ingress: { className: string; host: string; tlsSecretName?: string; controllerNamespace: string };
    dapr: { enabled: boolean; ha: boolean; logLevel: string; schedulerInMemory: boolean; tracingSamplingRate: number; zipkinEndpoint?: string };
    kafka: ResolvedKafka;
    topics: { name: string; partitions: number; replicas: number; retentionHours: number }[];
    stateStore: { type: "postgresql"; connectionStringSecret: string } | { type: "redis"; host: string; passwordSecret?: string };
    /** Secret config keys generated with @pulumi/random, with their lengths. */
    generatedSecrets: Record<string, { length: number }>;
    /** Secret config keys set with `pulumi config set --secret`. */
    secretKeys: string[];
    /** Who owns the stack: the labels and annotations of every first-party object. */
    ownership: Ownership;
    services: ResolvedService[];
    quota: EnvironmentDefaults["appsQuota"];
}

export interface Ownership {
    partOf: string;
    team: string;
    costCenter: string;
    owner: string;
    contact: string;
    documentation: string;
    incidentChannel: string;
}

/** Raw stack config: plain values by key (without the project prefix) and which keys are secure. */
export interface RawStackConfig {
    values: Record<string, unknown>;
    secretKeys: string[];
}

export interface ConfigProblem {
    /** Key path below the project namespace, e.g. `services.backend.image`. */
    path: string;
    message: string;
}

/** Invalid stack config; the message lists every problem with its file, key and fix. */
export class StackConfigError extends Error {
    constructor(
        public readonly stackFile: string,
        public readonly problems: ConfigProblem[],
    ) {
        super(formatProblems(stackFile, problems));
        this.name = "StackConfigError";
    }
}

function formatProblems(stackFile: string, problems: ConfigProblem[]): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${stackFile}: ${PROJECT}:${p.path}: ${p.message}`);
    return `Invalid stack config (${count}); nothing was deployed.\n${lines.join("\n")}`;
}

const keyPath = (segments: readonly PropertyKey[]) => segments.map(String).join(".");

/** One zod issue as problems with a fix; unknown keys become one problem each. */
function describeIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
    const at = keyPath(issue.path);
    switch (issue.code) {
        case "unrecognized_keys":
            return issue.keys.map((key) => ({
                path: keyPath([...issue.path, key]),
                message: `unknown key "${key}". Fix: remove it or correct its spelling (README.md, "Config reference")`,
            }));
        case "invalid_type":
            return [{ path: at, message: `${issue.message}. Fix: set a ${issue.expected} value` }];
        case "invalid_value":
            return [{ path: at, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
        case "invalid_union": {
            const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
            if (discriminator !== undefined) {
                // zod 4 already points the path at the discriminator key.
                const choices = (options ?? []).map((o) => JSON.stringify(o)).join(", ");
                return [{ path: at, message: `unknown or missing "${discriminator}". Fix: set it to one of ${choices}` }];
            }
            return [{ path: at, message: issue.message }];
        }
        default:
            return [{ path: at, message: issue.message }];
    }
}

/**
 * Validates raw stack config and applies environment defaults. Pure: no Pulumi runtime.
 * Throws `StackConfigError` listing every problem at once, each naming the stack file,
 * the key path and the fix.
 */
export function parseStackConfig(raw: RawStackConfig, stackFile: string): StackConfig {
    const secretKeys = new Set(raw.secretKeys);
    const plainValues = Object.fromEntries(Object.entries(raw.values).filter(([key]) => !secretKeys.has(key)));
    const parsed = stackConfigSchema.safeParse(plainValues);
    if (!parsed.success) {
        throw new StackConfigError(stackFile, parsed.error.issues.flatMap(describeIssue));
    }
    const problems: ConfigProblem[] = [];
    const config = resolveStackConfig(parsed.data, [...secretKeys], problems);
    if (problems.length > 0) {
        throw new StackConfigError(stackFile, problems);
    }
    return config;
}

function resolveStackConfig(input: StackConfigParsed, secretKeys: string[], problems: ConfigProblem[]): StackConfig {
    const env = input.environment;
    const defaults = ENVIRONMENT_DEFAULTS[env];
    const report = (path: string, message: string) => problems.push({ path, message });

    const dapr = {
        enabled: input.dapr?.enabled ?? true,
        ha: input.dapr?.ha ?? defaults.dapr.ha,
        logLevel: input.dapr?.logLevel ?? defaults.dapr.logLevel,
        schedulerInMemory: input.dapr?.schedulerInMemory ?? defaults.dapr.schedulerInMemory,
        tracingSamplingRate: input.dapr?.tracingSamplingRate ?? (env === "prod" ? 0.1 : 1),
        zipkinEndpoint: input.dapr?.zipkinEndpoint,
    };
    if (env === "prod" && dapr.enabled && !dapr.ha) {
        report("dapr.ha", "prod runs the Dapr control plane highly available. Fix: remove dapr.ha or set it to true");
    }
    if (env === "prod" && dapr.schedulerInMemory) {
        report("dapr.schedulerInMemory", "prod must keep scheduler state on disk (jobs and reminders survive restarts). Fix: set it to false");
    }

    const kafka = resolveKafka(input, defaults, report);
    const generatedSecrets = { ...DEFAULT_GENERATED_SECRETS, ...input.generatedSecrets };
    const secretRefs = new Set([...secretKeys, ...Object.keys(generatedSecrets)]);
    const requireSecret = (path: string, key: string) => {
        if (!secretRefs.has(key)) {
            report(path, `refers to secret "${key}", which this stack does not set. Fix: pulumi config set --secret ${key} <value>, or list it under generatedSecrets`);
        }
    };
    if (kafka.provider === "external" && kafka.auth.type === "password") {
        requireSecret("kafka.auth.passwordSecret", kafka.auth.passwordSecret);
    }

    const topics = resolveTopics(input, kafka, defaults, report);
    const stateStore = input.stateStore?.type === "redis"
        ? { type: "redis" as const, host: input.stateStore.host, passwordSecret: input.stateStore.passwordSecret }
        : { type: "postgresql" as const, connectionStringSecret: input.stateStore?.connectionStringSecret ?? "databaseUrl" };
    if (dapr.enabled) {
        if (stateStore.type === "postgresql") {
            requireSecret("stateStore.connectionStringSecret", stateStore.connectionStringSecret);
        } else if (stateStore.passwordSecret !== undefined) {
            requireSecret("stateStore.passwordSecret", stateStore.passwordSecret);
        }
    }

    const ownership: Ownership = {
        partOf: input.ownership?.partOf ?? "todo",
        team: input.ownership?.team ?? "platform",
        costCenter: input.ownership?.costCenter ?? "cc-0000",
        owner: input.ownership?.owner ?? "platform-team",
        contact: input.ownership?.contact ?? "platform@example.com",
        documentation: input.ownership?.documentation ?? "https://example.com/docs/todo",
        incidentChannel: input.ownership?.incidentChannel ?? "#todo-incidents",
    };
    const services = resolveServices(input, defaults, ownership, dapr.enabled, new Set(topics.map((t) => t.name)), report);
    for (const service of services) {
        for (const [name, key] of Object.entries(service.secretEnv)) {
            requireSecret(`services.${service.name}.secretEnv.${name}`, key);
        }
    }

    return {
        environment: env,
        cluster: { kubeconfig: input.cluster?.kubeconfig, context: input.cluster?.context },
        namespaces: {
            dapr: input.namespaces?.dapr ?? "dapr-system",
            kafka: input.namespaces?.kafka ?? "kafka",
            apps: input.namespaces?.apps ?? "todo",
        },
        charts: input.charts ?? {},
        ingress: {
            className: input.ingress?.className ?? "nginx",
            host: input.ingress?.host ?? `todo-${env}.example.com`,
            tlsSecretName: input.ingress?.tlsSecretName,
            controllerNamespace: input.ingress?.controllerNamespace ?? "ingress-nginx",
        },
        dapr,
        kafka,
        topics,
        stateStore,
        generatedSecrets,
        secretKeys: [...secretKeys].sort(),
        ownership,
        services,
        quota: defaults.appsQuota,
    };
}

function resolveKafka(input: StackConfigParsed, defaults: EnvironmentDefaults, report: (path: string, message: string) => void): ResolvedKafka {
    const kafka = input.kafka ?? { provider: "strimzi" as const };
    if (kafka.provider === "external") {
        return { provider: "external", bootstrapServers: kafka.bootstrapServers, tls: kafka.tls ?? true, auth: kafka.auth ?? { type: "none" } };
    }
    const brokers = kafka.brokers ?? defaults.kafka.brokers;
    if (input.environment === "prod" && brokers < 3) {
        report("kafka.brokers", `prod needs at least 3 brokers to survive a node loss (got ${brokers}). Fix: set kafka.brokers to 3 or more`);
    }
    const storageGi = kafka.storageGi ?? defaults.kafka.storageGi;
    if (kafka.provider === "strimzi") {
        return { provider: "strimzi", brokers, storageGi };
    }
    return {
        provider: "redpanda",
        brokers,
        storageGi,
        persistentStorage: kafka.persistentStorage ?? input.environment !== "dev",
        tls: kafka.tls ?? false,
        tuning: kafka.tuning ?? false,
    };
}

function resolveTopics(input: StackConfigParsed, kafka: ResolvedKafka, defaults: EnvironmentDefaults, report: (path: string, message: string) => void): StackConfig["topics"] {
    const merged = { ...DEFAULT_TOPICS, ...input.topics };
    const brokers = kafka.provider === "external" ? Number.POSITIVE_INFINITY : kafka.brokers;
    return Object.entries(merged)
        .sort(([a], [b]) => a.localeCompare(b))
        .flatMap(([name, topic]) => {
            if (!isValidTopicName(name)) {
                report(`topics.${name}`, `topic name "${name}" does not follow app.domain.event-type.version. Fix: rename it, e.g. "todo.tasks.created.v1" (contracts/README.md)`);
                return [];
            }
            const replicas = topic.replicas ?? Math.min(defaults.kafka.topicReplicas, brokers);
            if (replicas > brokers) {
                report(`topics.${name}.replicas`, `${replicas} replicas exceed the ${brokers} Kafka brokers. Fix: lower it to ${brokers} or raise kafka.brokers`);
            }
            return [{ name, partitions: topic.partitions ?? defaults.kafka.topicPartitions, replicas, retentionHours: topic.retentionHours ?? 168 }];
        });
}

/** Deep-merges one service's stack entry onto its default; objects merge, scalars and arrays replace. */
export function mergeService(base: ServiceInput | undefined, override: ServiceInput | undefined): ServiceInput {
    const b = base ?? {};
    const o = override ?? {};
    return {
        ...b,
        ...o,
        resources: { requests: { ...b.resources?.requests, ...o.resources?.requests }, limits: { ...b.resources?.limits, ...o.resources?.limits } },
        autoscaling: { ...b.autoscaling, ...o.autoscaling },
        env: { ...b.env, ...o.env },
        secretEnv: { ...b.secretEnv, ...o.secretEnv },
        metadata: { ...b.metadata, ...o.metadata },
    };
}

function resolveServices(
    input: StackConfigParsed,
    defaults: EnvironmentDefaults,
    ownership: Ownership,
    daprEnabled: boolean,
    topics: Set<string>,
    report: (path: string, message: string) => void,
): ResolvedService[] {
    const env = input.environment;
    const names = [...new Set([...Object.keys(DEFAULT_SERVICES), ...Object.keys(input.services ?? {})])].sort();
    const merged = names
        .map((name) => ({ name, service: mergeService(DEFAULT_SERVICES[name], input.services?.[name]) }))
        .filter(({ service }) => service.enabled ?? true);
    const resolved: ResolvedService[] = [];
    const ingressPaths = new Map<string, string>();

    for (const { name, service } of merged) {
        const at = (key: string) => `services.${name}.${key}`;
        if (!DNS_LABEL.test(name) || name.length > MAX_SERVICE_NAME) {
            report(`services.${name}`, `service name "${name}" must be a DNS label of at most ${MAX_SERVICE_NAME} characters (a-z, 0-9, '-'). Fix: rename it, e.g. "${name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "my-service"}"`);
            continue;
        }
        if (service.image === undefined) {
            report(at("image"), `is required. Fix: set it to a pinned image, e.g. "ghcr.io/acme/${name}:1.0.0"`);
        }
        if (service.port === undefined) {
            report(at("port"), "is required for a service that is not one of the defaults. Fix: set the container port, e.g. 8080");
        }
        const image = service.image === undefined ? undefined : parseImageReference(service.image);
        if (image !== undefined && "error" in image) {
            report(at("image"), image.error);
        }
        const dapr = service.dapr ?? false;
        if (dapr && !daprEnabled) {
            report(at("dapr"), "Dapr is off for this stack (dapr.enabled: false), so no sidecar would be injected. Fix: set dapr.enabled: true, or this service's dapr: false");
        }
        const subscribes = Object.entries(service.subscribes ?? {}).map(([topic, route]) => ({ topic, route }));
        const publishes = service.publishes ?? [];
        if (!dapr && (publishes.length > 0 || subscribes.length > 0)) {
            report(at("dapr"), "the service publishes or subscribes through Dapr pub/sub, so it needs the sidecar. Fix: set dapr: true, or remove publishes/subscribes");
        }
        publishes.forEach((topic, index) => {
            if (!topics.has(topic)) {
                report(`${at("publishes")}.${index}`, `topic "${topic}" is not declared. Fix: add it under topics (name app.domain.event-type.version) or correct the name`);
            }
        });
        for (const { topic } of subscribes) {
            if (!topics.has(topic)) {
                report(`${at("subscribes")}.${topic}`, `subscribes to undeclared topic "${topic}". Fix: add it under topics or correct the name`);
            }
        }
        const replicas = service.replicas ?? defaults.replicas;
        if (replicas < defaults.minimumReplicas) {
            report(at("replicas"), `${env} runs at least ${defaults.minimumReplicas} replicas per service (got ${replicas}). Fix: set replicas to ${defaults.minimumReplicas} or more`);
        }
        const autoscaling = { ...defaults.autoscaling, ...service.autoscaling };
        if (autoscaling.enabled && autoscaling.minReplicas < defaults.minimumReplicas) {
            report(at("autoscaling.minReplicas"), `${env} runs at least ${defaults.minimumReplicas} replicas per service (got ${autoscaling.minReplicas}). Fix: raise it`);
        }
        if (autoscaling.minReplicas > autoscaling.maxReplicas) {
            report(at("autoscaling"), `minReplicas ${autoscaling.minReplicas} exceeds maxReplicas ${autoscaling.maxReplicas}. Fix: make maxReplicas at least minReplicas`);
        }
        if (service.ingressPath !== undefined) {
            const owner = ingressPaths.get(service.ingressPath);
            if (owner !== undefined) {
                report(at("ingressPath"), `"${service.ingressPath}" is already routed to ${owner}. Fix: give each service its own ingress path`);
            }
            ingressPaths.set(service.ingressPath, name);
        }
        if (image === undefined || "error" in image || service.port === undefined) {
            continue;
        }
        resolved.push({
            name,
            image,
            imagePullPolicy: defaults.imagePullPolicy,
            port: service.port,
            probe: service.probe ?? "http",
            healthPath: service.healthPath ?? "/healthz",
            replicas,
            resources: {
                requests: { ...defaults.resources.requests, ...service.resources?.requests },
                limits: { ...defaults.resources.limits, ...service.resources?.limits },
            },
            autoscaling,
            logLevel: service.logLevel ?? defaults.logLevel,
            ingressPath: service.ingressPath,
            dapr,
            publishes,
            subscribes,
            dependsOn: service.dependsOn ?? [],
            env: service.env ?? {},
            secretEnv: service.secretEnv ?? {},
            metadata: {
                ...ownership,
                ...service.metadata,
                component: service.metadata?.component ?? name,
                description: service.metadata?.description ?? `The ${name} service.`,
            },
        });
    }

    const enabled = new Set(merged.map((m) => m.name));
    for (const problem of findDependencyProblems(merged.map(({ name, service }) => ({ name, dependsOn: service.dependsOn ?? [] })))) {
        const index = problem.dependency === undefined ? -1 : (merged.find((m) => m.name === problem.service)?.service.dependsOn ?? []).indexOf(problem.dependency);
        const path = index >= 0 ? `services.${problem.service}.dependsOn.${index}` : `services.${problem.service}.dependsOn`;
        const disabled = problem.dependency !== undefined && !enabled.has(problem.dependency) && DEFAULT_SERVICES[problem.dependency] !== undefined;
        report(path, disabled ? `"${problem.dependency}" is disabled in this stack. Fix: enable it or remove the dependency` : `${problem.message}. Fix: remove or correct the dependency`);
    }
    return resolved;
}

/** The stack file a stack's config lives in, for error messages. */
export const stackFileOf = (stack: string) => `Pulumi.${stack}.yaml`;

/**
 * Reads this stack's config from the Pulumi runtime and validates it. The only code that
 * touches `pulumi.Config`/runtime config: call it once, before creating any resource.
 */
export function loadConfig(): StackConfig {
    const prefix = `${PROJECT}:`;
    const all = pulumi.runtime.allConfig();
    const values: Record<string, unknown> = {};
    const secretKeys: string[] = [];
    for (const [fullKey, text] of Object.entries(all)) {
        if (!fullKey.startsWith(prefix)) {
            continue;
        }
        const key = fullKey.slice(prefix.length);
        if (isConfigSecret(fullKey)) {
            // Secret values stay out of validation; their values are read as secret Outputs.
            secretKeys.push(key);
            continue;
        }
        values[key] = parseConfigText(text);
    }
    const mirror = process.env.TODO_STACK_CHART_MIRROR;
    if (mirror !== undefined && mirror !== "") {
        // A run-time chart source override (air-gapped CI, local cluster); the stack file keeps the official default.
        values.charts = { ...(values.charts as object | undefined), mirror };
    }
    return parseStackConfig({ values, secretKeys }, stackFileOf(pulumi.getStack()));
}

/**
 * Whether a config key holds a `secure:` value. The SDK exports this from its runtime but marks it
 * internal; the public getters would decrypt the value to find out. A mock test pins the behaviour.
 */
function isConfigSecret(fullKey: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    if (runtime.isConfigSecret === undefined) {
        throw new Error("@pulumi/pulumi no longer exports runtime.isConfigSecret; update components/config.ts");
    }
    return runtime.isConfigSecret(fullKey);
}

/** Pulumi hands structured config over as JSON text; plain strings stay strings. */
export function parseConfigText(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** A secret config value as a secret Output (never plaintext). */
export function secretConfig(key: string): pulumi.Output<string> {
    return new pulumi.Config(PROJECT).requireSecret(key);
}
