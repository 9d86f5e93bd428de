import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedChartSource } from "./chart-sources";
import { platformReleaseArgs } from "./helm-release";

export interface DaprControlPlaneArgs {
    /** Namespace of the control plane; pass the namespace component's output to order after it. */
    namespace: pulumi.Input<string>;
    /** Where the `dapr` chart comes from (official repository, mirror or local path). */
    chart: ResolvedChartSource;
    /** Chart values, from `daprChartValues()`. */
    values: Record<string, unknown>;
    /**
     * Seconds Helm waits for the control plane (sidecar injector included) to be ready.
     * @default 600
     */
    timeoutSec?: number;
}

/**
 * The Dapr control plane as a real Helm release (hooks, atomic upgrades, history). It waits
 * until every control-plane Deployment is ready, so Dapr-enabled services created after it get
 * their sidecar: the injector fails open and silently skips pods created before it is up.
 */
export class DaprControlPlane extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: DaprControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("todo:dapr:ControlPlane", name, {}, opts);
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            platformReleaseArgs({ ...args, name: "dapr" }),
            { parent: this },
        );
        this.registerOutputs({ release: this.release });
    }
}
