import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import type { MicroserviceValues } from "./chart-values";
import { createKubernetesObject } from "./kubernetes-object";
import type { KubernetesObject } from "./labels";

/** The local chart every service is rendered from. */
export const MICROSERVICE_CHART = path.join(__dirname, "..", "charts", "microservice");

export interface MicroserviceArgs {
    /** Namespace of the service; pass the namespace component's output to order after it. */
    namespace: pulumi.Input<string>;
    /** Chart values from `renderServiceValues()`: no secret values, only Secret references. */
    values: MicroserviceValues;
    /**
     * The service's Secret (metadata from `secretMetadata()`) and its values, secret Outputs by
     * environment variable name. Omit when the service has no secret environment.
     */
    secret?: { metadata: KubernetesObject["metadata"]; data: Record<string, pulumi.Input<string>> };
    /**
     * Chart folder.
     * @default charts/microservice of this repository
     */
    chartPath?: string;
}

/**
 * One service of the product, rendered from `charts/microservice` with Chart v4 so each
 * Deployment, Service, HPA and PDB is a Pulumi resource that previews and policies see.
 */
export class Microservice extends pulumi.ComponentResource {
    public readonly chart: k8s.helm.v4.Chart;

    constructor(name: string, args: MicroserviceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("todo:app:Microservice", name, {}, opts);
        const secret =
            args.secret === undefined
                ? undefined
                : createKubernetesObject(
                      `${name}-secret`,
                      { apiVersion: "v1", kind: "Secret", metadata: args.secret.metadata, type: "Opaque", stringData: pulumi.secret(args.secret.data) },
                      { parent: this },
                  );
        this.chart = new k8s.helm.v4.Chart(
            `${name}-chart`,
            {
                name,
                namespace: args.namespace,
                chart: args.chartPath ?? MICROSERVICE_CHART,
                values: args.values,
                skipCrds: true,
            },
            { parent: this, dependsOn: secret === undefined ? [] : [secret] },
        );
        this.registerOutputs({ chart: this.chart });
    }
}
