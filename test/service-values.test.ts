import { describe, expect, it } from "@jest/globals";
import * as path from "node:path";
import { microserviceValuesSchema } from "../components/chart-values";
import { parseStackConfig } from "../components/config";
import { renderServiceValues } from "../components/service-values";
import { readStackFile } from "../components/stack-file";

const stacks = ["dev", "staging", "prod"].map((name) =>
    parseStackConfig(readStackFile(path.join(__dirname, "..", `Pulumi.${name}.yaml`), ["databaseUrl", "openaiApiKey"]), `Pulumi.${name}.yaml`),
);

describe("renderServiceValues", () => {
    it.each(stacks.flatMap((config) => config.services.map((service) => ({ env: config.environment, name: service.name, service, config }))))(
        "produces values the chart schema accepts for $name in $env",
        ({ service, config }) => {
            expect(() => microserviceValuesSchema.parse(renderServiceValues(service, config))).not.toThrow();
        },
    );

    it("routes secrets through a Secret reference, never values", () => {
        const dev = stacks[0];
        const backend = dev.services.find((s) => s.name === "backend");
        const values = renderServiceValues(backend!, dev);
        expect(values.secret).toEqual({ existingSecretName: "backend-secrets", create: false, stringData: {} });
        expect(JSON.stringify(values)).not.toMatch(/postgresql:\/\//);
    });

    it("lets only callers and the ingress controller reach a service", () => {
        const dev = stacks[0];
        const backend = renderServiceValues(dev.services.find((s) => s.name === "backend")!, dev);
        expect(Object.keys(backend.networkPolicy?.allowFrom ?? {}).sort()).toEqual(["ai-agent", "frontend", "ingress-controller"]);
        const worker = renderServiceValues(dev.services.find((s) => s.name === "notification-service")!, dev);
        expect(worker.networkPolicy?.allowFrom).toEqual({});
    });

    it("subscribes Dapr services through v2alpha1 subscriptions on the shared pub/sub", () => {
        const dev = stacks[0];
        const values = renderServiceValues(dev.services.find((s) => s.name === "recurring-task-service")!, dev);
        expect(values.dapr?.subscriptions).toEqual({ "todo-tasks-completed-v1": { pubsubName: "pubsub", topic: "todo.tasks.completed.v1", route: "/events/task-completed" } });
    });
});
