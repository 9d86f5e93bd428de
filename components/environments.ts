/**
 * Environment defaults: the one table that says how dev, staging and prod differ.
 * Stack config overrides any of these per service or per platform block.
 */

/** The environments a stack can target (`environment` config key). */
export const Environment = { Dev: "dev", Staging: "staging", Prod: "prod" } as const;
export type Environment = (typeof Environment)[keyof typeof Environment];
export const ENVIRONMENTS = Object.values(Environment) as [Environment, ...Environment[]];

/** Kubernetes CPU/memory quantities for one container. */
export interface ResourceQuantities {
    cpu: string;
    memory: string;
}

export interface EnvironmentDefaults {
    /** Pod replicas per service unless the service sets `replicas`. */
    replicas: number;
    logLevel: "debug" | "info" | "warn" | "error";
    imagePullPolicy: "IfNotPresent" | "Always";
    resources: { requests: ResourceQuantities; limits: ResourceQuantities };
    autoscaling: {
        enabled: boolean;
        minReplicas: number;
        maxReplicas: number;
        targetCPUUtilizationPercentage: number;
        targetMemoryUtilizationPercentage: number;
    };
    /** Minimum replicas a service may run with in this environment (validation, not a default). */
    minimumReplicas: number;
    dapr: {
        ha: boolean;
        logLevel: "debug" | "info" | "warn" | "error";
        /** Scheduler state in memory: no PVCs, lost on restart; only acceptable outside prod. */
        schedulerInMemory: boolean;
    };
    kafka: { brokers: number; topicReplicas: number; topicPartitions: number; storageGi: number };
    /** Per-namespace ResourceQuota for the apps namespace. */
    appsQuota: { requestsCpu: string; requestsMemory: string; limitsCpu: string; limitsMemory: string; pods: number };
}

export const ENVIRONMENT_DEFAULTS: Readonly<Record<Environment, EnvironmentDefaults>> = {
    dev: {
        replicas: 1,
        logLevel: "debug",
        imagePullPolicy: "IfNotPresent",
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        autoscaling: {
            enabled: false,
            minReplicas: 1,
            maxReplicas: 2,
            targetCPUUtilizationPercentage: 70,
            targetMemoryUtilizationPercentage: 80,
        },
        minimumReplicas: 1,
        dapr: { ha: false, logLevel: "debug", schedulerInMemory: true },
        kafka: { brokers: 1, topicReplicas: 1, topicPartitions: 1, storageGi: 5 },
        appsQuota: { requestsCpu: "4", requestsMemory: "8Gi", limitsCpu: "8", limitsMemory: "16Gi", pods: 50 },
    },
    staging: {
        replicas: 2,
        logLevel: "info",
        imagePullPolicy: "IfNotPresent",
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1000m", memory: "1Gi" } },
        autoscaling: {
            enabled: true,
            minReplicas: 2,
            maxReplicas: 4,
            targetCPUUtilizationPercentage: 70,
            targetMemoryUtilizationPercentage: 80,
        },
        minimumReplicas: 1,
        dapr: { ha: false, logLevel: "info", schedulerInMemory: false },
        kafka: { brokers: 3, topicReplicas: 3, topicPartitions: 3, storageGi: 20 },
        appsQuota: { requestsCpu: "8", requestsMemory: "16Gi", limitsCpu: "16", limitsMemory: "32Gi", pods: 100 },
    },
    prod: {
        replicas: 3,
        logLevel: "info",
        imagePullPolicy: "Always",
        resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2000m", memory: "2Gi" } },
        autoscaling: {
            enabled: true,
            minReplicas: 3,
            maxReplicas: 10,
            targetCPUUtilizationPercentage: 70,
            targetMemoryUtilizationPercentage: 80,
        },
        minimumReplicas: 3,
        dapr: { ha: true, logLevel: "info", schedulerInMemory: false },
        kafka: { brokers: 3, topicReplicas: 3, topicPartitions: 6, storageGi: 100 },
        appsQuota: { requestsCpu: "32", requestsMemory: "64Gi", limitsCpu: "64", limitsMemory: "128Gi", pods: 300 },
    },
};
