import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedChartSource } from "./chart-sources";
import { platformReleaseArgs } from "./helm-release";

export interface KafkaPlatformArgs {
    /** Namespace of the operator or brokers. */
    namespace: pulumi.Input<string>;
    /** `strimzi` installs the operator (CRDs); `redpanda` installs the brokers themselves. */
    provider: "strimzi" | "redpanda";
    /** Chart source of the provider's chart. */
    chart: ResolvedChartSource;
    /** Chart values, from `strimziChartValues()` or `redpandaChartValues()`. */
    values: Record<string, unknown>;
    /**
     * Seconds Helm waits for the release to be ready.
     * @default 600
     */
    timeoutSec?: number;
}

/** The Kafka platform release: the Strimzi operator with its CRDs, or a Redpanda cluster. */
export class KafkaPlatform extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: KafkaPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("todo:kafka:Platform", name, {}, opts);
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            platformReleaseArgs({ ...args, name: args.provider === "strimzi" ? "strimzi" : "redpanda" }),
            { parent: this },
        );
        this.registerOutputs({ release: this.release });
    }
}
