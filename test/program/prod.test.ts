import { beforeAll, describe, expect, it } from "@jest/globals";
import { RecordedResource, runProgram } from "../mocks";
import { expectEnvironmentDefaults, kafkaRelease } from "./program-harness";

let resources: RecordedResource[];

beforeAll(async () => {
    ({ resources } = await runProgram("prod"));
});

describe("the prod stack under mocks", () => {
    it("gives every service the prod defaults", () => {
        expectEnvironmentDefaults(resources, { replicas: 3, logLevel: "info", pullPolicy: "Always", autoscaling: true, limits: { cpu: "2000m", memory: "2Gi" } });
    });

    it("installs strimzi as the Kafka platform", () => {
        expect(kafkaRelease(resources)?.inputs).toMatchObject({ name: "strimzi", namespace: "kafka" });
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
