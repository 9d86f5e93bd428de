import { beforeAll, describe, expect, it } from "@jest/globals";
import { RecordedResource, runProgram } from "../mocks";
import { expectEnvironmentDefaults, kafkaRelease } from "./program-harness";

let resources: RecordedResource[];

beforeAll(async () => {
    ({ resources } = await runProgram("staging"));
});

describe("the staging stack under mocks", () => {
    it("gives every service the staging defaults", () => {
        expectEnvironmentDefaults(resources, { replicas: 2, logLevel: "info", pullPolicy: "IfNotPresent", autoscaling: true, limits: { cpu: "1000m", memory: "1Gi" } });
    });

    it("installs redpanda as the Kafka platform", () => {
        expect(kafkaRelease(resources)?.inputs).toMatchObject({ name: "redpanda", namespace: "kafka" });
    });
});
