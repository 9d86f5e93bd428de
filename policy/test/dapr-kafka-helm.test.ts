import { describe, expect, it } from "@jest/globals";
import { daprAnnotations } from "../policies/dapr-annotations";
import { helmReleaseInputs } from "../policies/helm-release-inputs";
import { kafkaTopicNaming } from "../policies/kafka-topic-naming";
import { others, WORKLOAD_KINDS, workloads } from "./fixtures";
import { findings, runResourcePolicy, UNKNOWN } from "./harness";

const D = workloads.Deployment;
const clean = { violations: [], previewNotices: [] };
const A = "spec.template.metadata.annotations";

describe("dapr-annotations", () => {
    const policy = daprAnnotations("mandatory");

    it.each(WORKLOAD_KINDS)("passes a compliant Dapr-enabled %s", async (kind) => {
        expect(await runResourcePolicy(policy, workloads[kind].type, workloads[kind].make())).toEqual(clean);
    });

    it("ignores pods without dapr.io/enabled", async () => {
        const obj = D.make();
        obj.spec.template.metadata.annotations = {};
        expect(await runResourcePolicy(policy, D.type, obj)).toEqual(clean);
    });

    it("flags a missing app-id", async () => {
        const obj = D.make();
        delete obj.spec.template.metadata.annotations["dapr.io/app-id"];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend - ${A}["dapr.io/app-id"]`]);
    });

    it("flags an app-id that differs from the app name label", async () => {
        const obj = D.make();
        obj.spec.template.metadata.annotations["dapr.io/app-id"] = "todo-backend";
        const result = await runResourcePolicy(policy, D.type, obj);
        expect(findings(result)).toEqual([`mandatory Deployment/todo/backend - ${A}["dapr.io/app-id"]`]);
        expect(result.violations[0].message).toContain('differs from the pod\'s app.kubernetes.io/name label "backend"');
    });

    it("compares the app-id with the configured label", async () => {
        const obj = D.make();
        obj.spec.template.metadata.annotations["dapr.io/app-id"] = "todo-backend";
        expect(findings(await runResourcePolicy(policy, D.type, obj, { config: { appIdLabel: "app.kubernetes.io/instance" } }))).toEqual([]);
    });

    it("flags a missing app-port unless not required", async () => {
        const obj = D.make();
        delete obj.spec.template.metadata.annotations["dapr.io/app-port"];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend - ${A}["dapr.io/app-port"]`]);
        expect(findings(await runResourcePolicy(policy, D.type, obj, { config: { requireAppPort: false } }))).toEqual([]);
    });

    it.each(["9090", "http"])("flags the app-port %s that no container declares", async (port) => {
        const obj = D.make();
        obj.spec.template.metadata.annotations["dapr.io/app-port"] = port;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend - ${A}["dapr.io/app-port"]`]);
    });

    it("flags dapr annotations placed on the Deployment instead of the pod template", async () => {
        const obj = D.make();
        obj.metadata.annotations["dapr.io/enabled"] = "true";
        obj.spec.template.metadata.annotations = {};
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual(['mandatory Deployment/todo/backend - metadata.annotations["dapr.io/enabled"]']);
    });

    it("does not report an app-id that is unknown during preview", async () => {
        const obj = D.make();
        obj.spec.template.metadata.annotations["dapr.io/app-id"] = UNKNOWN;
        expect(await runResourcePolicy(policy, D.type, obj)).toEqual(clean);
    });

    it("is not applicable to a Service", async () => {
        expect((await runResourcePolicy(policy, others.Service.type, others.Service.make())).notApplicable).toBeDefined();
    });
});

describe("kafka-topic-naming", () => {
    const policy = kafkaTopicNaming("mandatory");
    const topicKinds = [["KafkaTopic", others.KafkaTopic], ["Topic", others.RedpandaTopic], ["Subscription", others.Subscription]] as const;

    it.each(topicKinds)("passes a compliant %s", async (_kind, fixture) => {
        expect(await runResourcePolicy(policy, fixture.type, fixture.make())).toEqual(clean);
    });

    it("flags a KafkaTopic spec.topicName outside the convention", async () => {
        const obj = others.KafkaTopic.make();
        obj.spec.topicName = "TasksCreated";
        expect(findings(await runResourcePolicy(policy, others.KafkaTopic.type, obj))).toEqual(["mandatory KafkaTopic/kafka/tasks-created - spec.topicName"]);
    });

    it("falls back to metadata.name for a KafkaTopic without topicName", async () => {
        const obj = others.KafkaTopic.make();
        delete obj.spec.topicName;
        expect(findings(await runResourcePolicy(policy, others.KafkaTopic.type, obj))).toEqual(["mandatory KafkaTopic/kafka/tasks-created - metadata.name"]);
    });

    it("checks a Redpanda Topic's overwriteTopicName", async () => {
        const obj = others.RedpandaTopic.make();
        obj.spec.overwriteTopicName = "todo.tasks.deleted";
        expect(findings(await runResourcePolicy(policy, others.RedpandaTopic.type, obj))).toEqual(["mandatory Topic/redpanda/todo.tasks.deleted.v1 - spec.overwriteTopicName"]);
    });

    it("checks a v1alpha1 Subscription's topic and dead-letter topic", async () => {
        const obj: Record<string, any> = { ...others.Subscription.make(), apiVersion: "dapr.io/v1alpha1" };
        obj.spec = { pubsubname: "pubsub", topic: "tasks", route: "/events", deadLetterTopic: "todo.tasks.dead.v1" };
        expect(findings(await runResourcePolicy(policy, "kubernetes:dapr.io/v1alpha1:Subscription", obj))).toEqual(["mandatory Subscription/todo/tasks-created - spec.topic"]);
    });

    it("uses a configured pattern and allow-list", async () => {
        const obj = others.KafkaTopic.make();
        obj.spec.topicName = "legacy_tasks";
        expect(findings(await runResourcePolicy(policy, others.KafkaTopic.type, obj, { config: { allowedTopics: ["legacy_tasks"] } }))).toEqual([]);
        expect(findings(await runResourcePolicy(policy, others.KafkaTopic.type, obj, { config: { pattern: "^[a-z_]+$" } }))).toEqual([]);
    });

    it("fails on an invalid pattern in config", async () => {
        await expect(runResourcePolicy(policy, others.KafkaTopic.type, others.KafkaTopic.make(), { config: { pattern: "([" } })).rejects.toThrow(/valid regular expression/);
    });

    it("is not applicable to a Deployment", async () => {
        expect((await runResourcePolicy(policy, D.type, D.make())).notApplicable).toBeDefined();
    });
});

describe("helm-release-inputs", () => {
    const policy = helmReleaseInputs("mandatory");
    const R = others.Release;

    it("passes a compliant Release", async () => {
        expect(await runResourcePolicy(policy, R.type, R.make())).toEqual(clean);
    });

    it.each(["^1.18.3", "~1.18", "1.18", "1.x", ">=1.18.0", "latest"])("flags the version range %s", async (version) => {
        const obj = R.make();
        obj.version = version;
        expect(findings(await runResourcePolicy(policy, R.type, obj))).toEqual(["mandatory Release/dapr-system/dapr - version"]);
    });

    it.each(["1.18.3", "v0.1.0", "26.2.2-rc.1"])("accepts the exact version %s", async (version) => {
        const obj = R.make();
        obj.version = version;
        expect(findings(await runResourcePolicy(policy, R.type, obj))).toEqual([]);
    });

    it("flags a missing version, but not for a local chart path", async () => {
        const obj = R.make();
        delete obj.version;
        expect(findings(await runResourcePolicy(policy, R.type, obj))).toEqual(["mandatory Release/dapr-system/dapr - version"]);
        obj.chart = "../shared/charts-mirror/dapr";
        expect(findings(await runResourcePolicy(policy, R.type, obj))).toEqual([]);
    });

    it("flags a missing name and namespace, naming the Release by its logical name", async () => {
        const obj = R.make();
        delete obj.name;
        delete obj.namespace;
        expect(findings(await runResourcePolicy(policy, R.type, obj, { name: "dapr-release" }))).toEqual([
            "mandatory Release/dapr-release - name",
            "mandatory Release/dapr-release - namespace",
        ]);
    });

    it("flags plaintext secrets anywhere in values without repeating them", async () => {
        const obj = R.make();
        obj.values.auth = { adminPassword: "hunter2", existingSecret: "redpanda-users", passwordKey: "password" };
        obj.values.sidecars = [{ env: { API_KEY: "abc123" } }];
        const result = await runResourcePolicy(policy, R.type, obj);
        expect(findings(result)).toEqual([
            "mandatory Release/dapr-system/dapr - values.auth.adminPassword",
            "mandatory Release/dapr-system/dapr - values.sidecars[0].env.API_KEY",
        ]);
        expect(result.violations.map((v) => v.message).join()).not.toMatch(/hunter2|abc123/);
    });

    it("does not report an unknown version during preview", async () => {
        const obj = R.make();
        obj.version = UNKNOWN;
        expect(await runResourcePolicy(policy, R.type, obj)).toEqual(clean);
    });

    it("is not applicable to a Deployment", async () => {
        expect((await runResourcePolicy(policy, D.type, D.make())).notApplicable).toMatch(/helm.sh\/v3:Release/);
    });
});
