import { expect } from "@jest/globals";
import { RecordedResource, topLevelOf } from "../mocks";

/** Top-level components and, for each, the top-level components it waits for. */
export function componentEdges(resources: RecordedResource[]): Map<string, string[]> {
    const edges = new Map<string, string[]>();
    for (const resource of resources.filter((r) => !r.custom && topLevelOf(resources, r.urn) === `${r.type}::${r.name}`)) {
        const waitsFor = new Set(resource.dependencies.map((urn) => topLevelOf(resources, urn)));
        edges.set(`${resource.type}::${resource.name}`, [...waitsFor].sort());
    }
    return edges;
}

export const component = {
    namespace: (layer: string) => `todo:platform:Namespace::ns-${layer}`,
    dapr: "todo:dapr:ControlPlane::dapr",
    daprComponents: "todo:dapr:Components::dapr",
    kafkaPlatform: "todo:kafka:Platform::kafka",
    kafkaCluster: "todo:kafka:Cluster::kafka",
    service: (name: string) => `todo:app:Microservice::${name}`,
};

/** What every service's chart values must carry in one environment. */
export interface EnvironmentExpectation {
    replicas: number;
    logLevel: string;
    pullPolicy: string;
    autoscaling: boolean;
    limits: { cpu: string; memory: string };
}

/** Asserts the five services' chart values carry an environment's defaults. */
export function expectEnvironmentDefaults(resources: RecordedResource[], expected: EnvironmentExpectation): void {
    const charts = resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");
    expect(charts).toHaveLength(5);
    for (const chart of charts) {
        const values = chart.inputs.values as {
            replicaCount: number;
            logLevel: string;
            image: { pullPolicy: string };
            autoscaling: { enabled: boolean; minReplicas: number; targetCPUUtilizationPercentage: number; targetMemoryUtilizationPercentage: number };
            resources: { limits: unknown };
        };
        expect(values.replicaCount).toBe(expected.replicas);
        expect(values.logLevel).toBe(expected.logLevel);
        expect(values.image.pullPolicy).toBe(expected.pullPolicy);
        expect(values.autoscaling).toMatchObject({ enabled: expected.autoscaling, targetCPUUtilizationPercentage: 70, targetMemoryUtilizationPercentage: 80 });
        if (expected.autoscaling) {
            expect(values.autoscaling.minReplicas).toBe(expected.replicas);
        }
        expect(values.resources.limits).toEqual(expected.limits);
    }
}

/** The Helm release of the Kafka platform. */
export const kafkaRelease = (resources: RecordedResource[]) => resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "kafka-release");
