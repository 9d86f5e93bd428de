import { beforeAll, describe, expect, it } from "@jest/globals";
import { RecordedResource, runProgram } from "../mocks";

let resources: RecordedResource[];

beforeAll(async () => {
    ({ resources } = await runProgram("staging"));
});

describe("the staging stack under mocks", () => {
    it("gives every service the staging defaults", () => {
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
            expect(values.replicaCount).toBe(2);
            expect(values.logLevel).toBe("info");
            expect(values.image.pullPolicy).toBe("IfNotPresent");
            expect(values.autoscaling).toMatchObject({ enabled: true, minReplicas: 2, targetCPUUtilizationPercentage: 70, targetMemoryUtilizationPercentage: 80 });
            expect(values.resources.limits).toEqual({ cpu: "1000m", memory: "1Gi" });
        }
    });

    it("installs redpanda as the Kafka platform", () => {
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "kafka-release");
        expect(release?.inputs).toMatchObject({ name: "redpanda", namespace: "kafka" });
    });
});
