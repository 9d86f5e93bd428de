import { describe, expect, it } from "@jest/globals";
import * as path from "node:path";
import { parseStackConfig, RawStackConfig, StackConfigError } from "../components/config";
import { readStackFile, stackConfigFromYaml } from "../components/stack-file";

const root = path.join(__dirname, "..");
const secrets = ["databaseUrl", "openaiApiKey"];
const stack = (name: string) => parseStackConfig(readStackFile(path.join(root, `Pulumi.${name}.yaml`), secrets), `Pulumi.${name}.yaml`);
const images = {
    frontend: { image: "r.example.com/frontend:1.0.0" },
    backend: { image: "r.example.com/backend:1.0.0" },
    "ai-agent": { image: "r.example.com/ai-agent:1.0.0" },
    "recurring-task-service": { image: "r.example.com/recurring:1.0.0" },
    "notification-service": { image: "r.example.com/notify:1.0.0" },
};
const raw = (values: Record<string, unknown>): RawStackConfig => ({ values: { services: images, ...values }, secretKeys: secrets });
const problemsOf = (input: RawStackConfig) => {
    try {
        parseStackConfig(input, "Pulumi.test.yaml");
        return [];
    } catch (error) {
        return (error as StackConfigError).problems.map((p) => p.path);
    }
};

describe("parseStackConfig", () => {
    it("accepts the three committed stacks once their secrets exist", () => {
        expect(stack("dev").environment).toBe("dev");
        expect(stack("staging").kafka.provider).toBe("redpanda");
        expect(stack("prod").dapr.ha).toBe(true);
    });

    it("applies the environment defaults to every service", () => {
        expect(stack("dev").services.map((s) => [s.replicas, s.logLevel, s.imagePullPolicy, s.autoscaling.enabled])).toEqual(
            Array(5).fill([1, "debug", "IfNotPresent", false]),
        );
        expect(stack("prod").services.map((s) => [s.replicas, s.logLevel, s.imagePullPolicy, s.resources.limits])).toEqual(
            Array(5).fill([3, "info", "Always", { cpu: "2000m", memory: "2Gi" }]),
        );
    });

    it("lets a service override a default, keeping an explicit zero CPU request field intact", () => {
        const config = parseStackConfig(
            raw({ environment: "staging", services: { ...images, backend: { image: "r.example.com/backend:2.0.0", replicas: 4, resources: { limits: { memory: "3Gi" } } } } }),
            "Pulumi.staging.yaml",
        );
        const backend = config.services.find((s) => s.name === "backend");
        expect(backend?.replicas).toBe(4);
        expect(backend?.resources.limits).toEqual({ cpu: "1000m", memory: "3Gi" });
        expect(backend?.image).toMatchObject({ repository: "r.example.com/backend", tag: "2.0.0" });
    });

    it("leaves a default service out when it is disabled", () => {
        const config = parseStackConfig(raw({ environment: "dev", services: { ...images, "ai-agent": { enabled: false } } }), "x");
        expect(config.services.map((s) => s.name)).not.toContain("ai-agent");
    });

    it("accepts a digest-pinned image", () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const config = parseStackConfig(raw({ environment: "dev", services: { ...images, backend: { image: `r.example.com:5000/backend@${digest}` } } }), "x");
        expect(config.services.find((s) => s.name === "backend")?.image).toMatchObject({ repository: "r.example.com:5000/backend", digest });
    });

    it("reports every problem at once with its key path", () => {
        const paths = problemsOf(raw({ environment: "prod", dapr: { ha: false }, services: { ...images, backend: { image: "r.example.com/backend", replicas: 1 } } }));
        expect(paths).toEqual(expect.arrayContaining(["dapr.ha", "services.backend.image", "services.backend.replicas"]));
    });

    it("fails when a secret is referenced but not set as a secret", () => {
        expect(problemsOf({ values: { environment: "dev", services: images }, secretKeys: ["openaiApiKey"] })).toEqual(
            expect.arrayContaining(["stateStore.connectionStringSecret", "services.backend.secretEnv.DATABASE_URL"]),
        );
    });

    it("treats a plaintext secret-like key as unknown, so it never reaches a resource", () => {
        expect(problemsOf({ values: { environment: "dev", services: images, databaseUrl: "postgresql://x" }, secretKeys: ["openaiApiKey"] })).toContain("databaseUrl");
    });

    it("fails when topic replicas exceed the brokers", () => {
        expect(problemsOf(raw({ environment: "dev", topics: { "todo.tasks.created.v1": { replicas: 3 } } }))).toEqual(["topics.todo.tasks.created.v1.replicas"]);
    });

    it("fails when two services claim one ingress path", () => {
        expect(problemsOf(raw({ environment: "dev", services: { ...images, "ai-agent": { image: "r.example.com/a:1.0.0", ingressPath: "/api" } } }))).toEqual([
            "services.backend.ingressPath",
        ]);
    });

    it("reads secure values of a stack file as secret keys, never as values", () => {
        const parsed = stackConfigFromYaml("config:\n  todo-stack:environment: dev\n  todo-stack:databaseUrl:\n    secure: v1:abc\n  aws:region: eu-west-1\n");
        expect(parsed).toEqual({ values: { environment: "dev" }, secretKeys: ["databaseUrl"] });
    });

    it("requires an external Kafka's password to be a secret", () => {
        expect(
            problemsOf(raw({ environment: "dev", kafka: { provider: "external", bootstrapServers: ["kafka.example.com:9092"], auth: { type: "password", username: "todo", passwordSecret: "kafkaPassword" } } })),
        ).toEqual(["kafka.auth.passwordSecret"]);
    });
});
