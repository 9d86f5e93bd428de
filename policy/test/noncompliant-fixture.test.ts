import { describe, expect, it } from "@jest/globals";
import { join } from "node:path";
import { evaluateObjects } from "../lib/evaluate";
import { loadObjects } from "../lib/load";

const load = (dir: string) => loadObjects([join(__dirname, "fixtures", dir)], () => "").map((l) => l.object);

describe("the fixture stacks", () => {
    it("finds nothing in the compliant stack in prod", () => {
        expect(evaluateObjects(load("compliant"), { environment: "prod" })).toEqual([]);
    });

    it("flags exactly the planted violations of the non-compliant stack in prod", () => {
        const result = evaluateObjects(load("noncompliant"), { environment: "prod" });
        expect(result.map((v) => [v.rule, v.resource, v.container ?? null, v.field, v.enforcementLevel])).toEqual([
            ["run-as-non-root", "CronJob/todo/report", "report", "spec.jobTemplate.spec.template.spec.securityContext.runAsUser", "mandatory"],
            ["require-resources", "CronJob/todo/report", "report", "spec.jobTemplate.spec.template.spec.containers[0].resources.limits.cpu", "mandatory"],
            ["require-resources", "CronJob/todo/report", "report", "spec.jobTemplate.spec.template.spec.containers[0].resources.limits.memory", "mandatory"],
            ["exemption-annotations", "CronJob/todo/report", null, 'metadata.annotations["policy.todo-stack.dev/exempt-reason"]', "mandatory"],
            ["drop-all-capabilities", "DaemonSet/monitoring/node-agent", "agent", "spec.template.spec.containers[0].securityContext.capabilities.add", "mandatory"],
            ["no-host-namespaces-or-paths", "DaemonSet/monitoring/node-agent", null, "spec.template.spec.hostNetwork", "advisory"],
            ["no-host-namespaces-or-paths", "DaemonSet/monitoring/node-agent", null, "spec.template.spec.volumes[0].hostPath", "advisory"],
            ["kafka-topic-naming", "KafkaTopic/kafka/tasks", null, "metadata.name", "mandatory"],
            ["helm-release-inputs", "Release/redpanda/redpanda", null, "version", "mandatory"],
            ["helm-release-inputs", "Release/redpanda/redpanda", null, "values.auth.sasl.users[0].password", "mandatory"],
            ["require-probes", "Deployment/todo/web", "web", "spec.template.spec.containers[0].readinessProbe", "mandatory"],
            ["no-privileged", "Deployment/todo/web", "web", "spec.template.spec.containers[0].securityContext.privileged", "mandatory"],
            ["pinned-images", "Deployment/todo/web", "web", "spec.template.spec.containers[0].image", "mandatory"],
            ["no-secret-literals-in-env", "Deployment/todo/web", "web", "spec.template.spec.containers[0].env[0].value", "mandatory"],
            ["dapr-annotations", "Deployment/todo/web", null, 'spec.template.metadata.annotations["dapr.io/app-id"]', "mandatory"],
            ["required-labels", "Service/todo/web", null, 'metadata.labels["cost-center"]', "mandatory"],
            ["restricted-service-types", "Service/todo/web", null, "spec.type", "mandatory"],
            ["no-secret-literals-in-env", "ConfigMap/todo/web-config", null, 'data["REDIS_URL"]', "mandatory"],
            ["pdb-for-replicated-workloads", "Deployment/todo/web", null, "spec.replicas", "mandatory"],
            ["hpa-targets-existing-workload", "HorizontalPodAutoscaler/todo/worker", null, "spec.scaleTargetRef.name", "mandatory"],
            ["dapr-component-scopes", "Component/todo/pubsub", null, "scopes[1]", "mandatory"],
            ["dapr-subscription-topics", "Subscription/todo/tasks", null, "spec.topic", "mandatory"],
        ]);
    });

    it("exempts the DaemonSet's host access with its reason and names the config key of the web service", () => {
        const result = evaluateObjects(load("noncompliant"), { environment: "prod" });
        expect(result.find((v) => v.field === "spec.template.spec.hostNetwork")?.exempted).toBe("ships node logs from /var/log, PLAT-42");
        for (const v of result.filter((r) => r.resource === "Deployment/todo/web")) {
            expect(v.configKey).toBe("services.web");
            expect(v.message).toMatch(/Stack config key: services\.web\.$/);
        }
    });

    it("reports every finding as advisory in dev", () => {
        const result = evaluateObjects(load("noncompliant"), { environment: "dev" });
        expect(result).toHaveLength(22);
        expect(new Set(result.map((v) => v.enforcementLevel))).toEqual(new Set(["advisory"]));
    });
});
