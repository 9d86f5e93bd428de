import type { StackConfig } from "./config";

/**
 * Helm values of the upstream platform charts, computed from the stack config. Pure, so the
 * unit tests and the real-API tests install the charts with exactly what the program passes.
 */

/** Dapr 1.18.3: mTLS on, HA per environment, scheduler state in memory where there is no storage. */
export function daprChartValues(config: StackConfig): Record<string, unknown> {
    const { dapr } = config;
    return {
        global: {
            ha: { enabled: dapr.ha },
            mtls: { enabled: true },
            logAsJson: true,
            // The chart leaves seccomp unset unless asked.
            seccompProfile: "RuntimeDefault",
        },
        dapr_operator: { logLevel: dapr.logLevel },
        dapr_placement: {
            logLevel: dapr.logLevel,
            // HA placement keeps a Raft log on a PVC; in-memory mode needs none.
            cluster: { forceInMemoryLog: dapr.schedulerInMemory },
        },
        dapr_scheduler: { logLevel: dapr.logLevel, cluster: { inMemoryStorage: dapr.schedulerInMemory } },
        dapr_sentry: { logLevel: dapr.logLevel },
        dapr_sidecar_injector: {
            logLevel: dapr.logLevel,
            // Injected sidecars then meet the same "drop ALL" rule as the app containers.
            sidecarDropALLCapabilities: true,
        },
    };
}

/** Strimzi operator 1.2.0: watches its own namespace; restricted pod security for Kafka pods. */
export function strimziChartValues(config: StackConfig): Record<string, unknown> {
    const prod = config.environment === "prod";
    return {
        replicas: prod ? 2 : 1,
        watchNamespaces: [],
        logLevel: config.environment === "dev" ? "DEBUG" : "INFO",
        podDisruptionBudget: { enabled: prod },
        // Operands (brokers) otherwise run with the baseline security context.
        extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
    };
}

/** Redpanda 26.2.2: TLS and the privileged tuning container only when asked; no phoning home. */
export function redpandaChartValues(config: StackConfig): Record<string, unknown> {
    if (config.kafka.provider !== "redpanda") {
        throw new Error("redpandaChartValues needs kafka.provider: redpanda");
    }
    const kafka = config.kafka;
    return {
        statefulset: { replicas: kafka.brokers },
        tls: { enabled: kafka.tls },
        external: { enabled: false },
        console: { enabled: false },
        tests: { enabled: false },
        tuning: { tune_aio_events: kafka.tuning },
        logging: { logLevel: config.environment === "dev" ? "debug" : "info", usageStats: { enabled: false } },
        storage: { persistentVolume: { enabled: kafka.persistentStorage, size: `${kafka.storageGi}Gi` } },
    };
}
