import { beforeAll, describe, expect, it } from "@jest/globals";
import { RecordedResource, runProgram } from "../mocks";

let resources: RecordedResource[];

beforeAll(async () => {
    ({ resources } = await runProgram("prod"));
});

describe("the prod stack under mocks", () => {
    it("gives every service the prod defaults", () => {
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
            expect(values.replicaCount).toBe(3);
            expect(values.logLevel).toBe("info");
            expect(values.image.pullPolicy).toBe("Always");
            expect(values.autoscaling).toMatchObject({ enabled: true, minReplicas: 3, targetCPUUtilizationPercentage: 70, targetMemoryUtilizationPercentage: 80 });
            expect(values.resources.limits).toEqual({ cpu: "2000m", memory: "2Gi" });
        }
    });

    it("installs strimzi as the Kafka platform", () => {
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "kafka-release");
        expect(release?.inputs).toMatchObject({ name: "strimzi", namespace: "kafka" });
    });
});

describe("the prod Dapr control plane", () => {
    it("runs highly available with scheduler state on disk", () => {
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "dapr-release");
        expect(release?.inputs).toMatchObject({
            chart: "dapr",
            version: "1.18.3",
            repositoryOpts: { repo: "https://dapr.github.io/helm-charts" },
            values: { global: { ha: { enabled: true }, mtls: { enabled: true } }, dapr_scheduler: { cluster: { inMemoryStorage: false } } },
        });
    });
});
