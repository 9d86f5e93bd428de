import { describe, expect, it, beforeAll } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { isSecretOutput, RecordedResource, runProgram } from "../mocks";
import { component, componentEdges, expectEnvironmentDefaults } from "./program-harness";

let resources: RecordedResource[];
let outputs: Record<string, unknown>;
let program: Record<string, unknown>;
let edges: Map<string, string[]>;

beforeAll(async () => {
    ({ resources, outputs, program } = await runProgram("dev"));
    edges = componentEdges(resources);
});

describe("the dev stack under mocks", () => {
    it("creates the platform before the custom resources that need its CRDs", () => {
        expect(edges.get(component.dapr)).toEqual([component.namespace("dapr")]);
        expect(edges.get(component.daprComponents)).toEqual([component.namespace("apps"), component.dapr].sort());
        expect(edges.get(component.kafkaPlatform)).toEqual([component.namespace("kafka")]);
        expect(edges.get(component.kafkaCluster)).toEqual([component.kafkaPlatform]);
    });

    it("makes a Dapr service wait for the control plane, its components, Kafka and the services it names", () => {
        expect(edges.get(component.service("recurring-task-service"))).toEqual(
            [component.namespace("apps"), component.dapr, component.daprComponents, component.kafkaCluster].sort(),
        );
        expect(edges.get(component.service("ai-agent"))).toEqual(
            [component.namespace("apps"), component.dapr, component.daprComponents, component.service("backend")].sort(),
        );
    });

    it("lets a service without Dapr or Kafka wait only for its namespace and dependencies", () => {
        expect(edges.get(component.service("frontend"))).toEqual([component.namespace("apps"), component.service("backend")].sort());
    });

    it("never makes independent services wait for each other", () => {
        const notification = edges.get(component.service("notification-service")) ?? [];
        const recurring = edges.get(component.service("recurring-task-service")) ?? [];
        expect(notification).not.toContain(component.service("recurring-task-service"));
        expect(recurring).not.toContain(component.service("notification-service"));
        expect(edges.get(component.service("backend"))).not.toContain(component.service("frontend"));
    });

    it("renders every service from the local chart with dev defaults", () => {
        expect(resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart").map((c) => c.name).sort()).toEqual(
            ["ai-agent-chart", "backend-chart", "frontend-chart", "notification-service-chart", "recurring-task-service-chart"],
        );
        expectEnvironmentDefaults(resources, { replicas: 1, logLevel: "debug", pullPolicy: "IfNotPresent", autoscaling: false, limits: { cpu: "500m", memory: "512Mi" } });
    });

    it("keeps secret values out of chart values and marks Secret data secret", () => {
        const text = JSON.stringify(resources.filter((r) => r.type.startsWith("kubernetes:helm.sh")).map((r) => r.inputs));
        expect(text).not.toContain("test-only");
        const secrets = resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
        expect(secrets.map((s) => s.name).sort()).toEqual(["ai-agent-secret", "backend-secret", "dapr-credentials"]);
        for (const secret of secrets) {
            // Serialized secrets carry Pulumi's secret signature instead of their value.
            expect(JSON.stringify(secret.inputs.stringData)).toContain("1b47061264138c4ac30d75fd1eb44270");
        }
    });

    it("generates the JWT secret with @pulumi/random and exports it only as a secret", async () => {
        expect(resources.some((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name === "stack-jwtSecret")).toBe(true);
        expect(outputs.releaseOrder).toEqual(expect.arrayContaining(["platform/dapr", "service/backend"]));
        await expect(isSecretOutput(program.generatedSecrets as pulumi.Output<unknown>)).resolves.toBe(true);
    });

    it("labels every first-party object it creates directly", () => {
        const direct = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh"));
        expect(direct.length).toBeGreaterThan(20);
        for (const resource of direct) {
            const labels = (resource.inputs.metadata as { labels?: Record<string, string> }).labels ?? {};
            for (const key of ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/component", "app.kubernetes.io/part-of", "environment", "team", "cost-center"]) {
                expect([resource.name, key, labels[key]?.length ?? 0]).toEqual([resource.name, key, expect.any(Number)]);
                expect(labels[key]).toBeTruthy();
            }
        }
    });
});
