import { describe, expect, it } from "@jest/globals";
import { requiredAnnotations } from "../policies/required-annotations";
import { requiredLabels } from "../policies/required-labels";
import { others, WORKLOAD_KINDS, workloads } from "./fixtures";
import { findings, runRemediation, runResourcePolicy, UNKNOWN } from "./harness";

const D = workloads.Deployment;

describe("required-labels", () => {
    const policy = requiredLabels("mandatory");
    const labelled = [...WORKLOAD_KINDS.map((k) => [k, workloads[k]] as const), ...(["Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"] as const).map((k) => [k, others[k]] as const)];

    it.each(labelled)("passes a compliant %s", async (_kind, fixture) => {
        expect(await runResourcePolicy(policy, fixture.type, fixture.make())).toEqual({ violations: [], previewNotices: [] });
    });

    it.each(labelled)("flags a %s missing the team label", async (kind, fixture) => {
        const obj = fixture.make();
        delete obj.metadata.labels.team;
        const name = obj.metadata.name;
        expect(findings(await runResourcePolicy(policy, fixture.type, obj))).toEqual([`mandatory ${kind}/todo/${name} - metadata.labels["team"]`]);
    });

    it.each(WORKLOAD_KINDS.filter((k) => k !== "Pod"))("flags a %s whose pod template lacks cost-center", async (kind) => {
        const obj = workloads[kind].make();
        const template = kind === "CronJob" ? obj.spec.jobTemplate.spec.template : obj.spec.template;
        delete template.metadata.labels["cost-center"];
        const path = kind === "CronJob" ? "spec.jobTemplate.spec.template.metadata.labels" : "spec.template.metadata.labels";
        expect(findings(await runResourcePolicy(policy, workloads[kind].type, obj))).toEqual([`mandatory ${kind}/todo/backend - ${path}["cost-center"]`]);
    });

    it("flags an empty label value", async () => {
        const obj = D.make();
        obj.metadata.labels.environment = "  ";
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual(['mandatory Deployment/todo/backend - metadata.labels["environment"]']);
    });

    it("flags every required key when labels are absent", async () => {
        const obj = others.Service.make();
        delete obj.metadata.labels;
        expect(findings(await runResourcePolicy(policy, others.Service.type, obj))).toHaveLength(8);
    });

    it("checks presence, not the absence of extra keys", async () => {
        const obj = D.make();
        obj.metadata.labels["example.com/extra"] = "yes";
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([]);
    });

    it("treats an unknown label value during preview as present", async () => {
        const obj = D.make();
        obj.metadata.labels["app.kubernetes.io/version"] = UNKNOWN;
        expect(await runResourcePolicy(policy, D.type, obj)).toEqual({ violations: [], previewNotices: [] });
    });

    it("uses the configured label list", async () => {
        const obj = D.make();
        const result = await runResourcePolicy(policy, D.type, obj, { config: { labels: ["owner"], checkPodTemplate: false } });
        expect(findings(result)).toEqual(['mandatory Deployment/todo/backend - metadata.labels["owner"]']);
    });

    it("is not applicable to kinds outside the configured list", async () => {
        expect((await runResourcePolicy(policy, others.KafkaTopic.type, others.KafkaTopic.make())).notApplicable).toMatch(/kinds configuration/);
        const configured = await runResourcePolicy(policy, others.KafkaTopic.type, others.KafkaTopic.make(), { config: { kinds: ["KafkaTopic"] } });
        expect(findings(configured)).toHaveLength(8);
    });

    it("remediates only the labels that have a configured default", async () => {
        const obj = D.make();
        delete obj.metadata.labels.team;
        delete obj.metadata.labels["cost-center"];
        delete obj.spec.template.metadata.labels.team;
        const fixed = (await runRemediation(policy, D.type, obj, { config: { defaults: { team: "platform" } } })) as any;
        expect(fixed.metadata.labels.team).toBe("platform");
        expect(fixed.spec.template.metadata.labels.team).toBe("platform");
        expect(fixed.metadata.labels["cost-center"]).toBeUndefined();
        expect(fixed.spec.selector).toEqual(D.make().spec.selector);
    });

    it("does not remediate without defaults", async () => {
        const obj = D.make();
        delete obj.metadata.labels.team;
        expect(await runRemediation(policy, D.type, obj)).toBeUndefined();
    });
});

describe("required-annotations", () => {
    const policy = requiredAnnotations("mandatory");

    it.each(WORKLOAD_KINDS)("passes a compliant %s", async (kind) => {
        expect(await runResourcePolicy(policy, workloads[kind].type, workloads[kind].make())).toEqual({ violations: [], previewNotices: [] });
    });

    it.each(["description", "owner", "contact", "documentation", "incident-channel"])("flags a Deployment without %s", async (key) => {
        const obj = D.make();
        delete obj.metadata.annotations[key];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend - metadata.annotations["${key}"]`]);
    });

    it("is safe when metadata has no annotations at all", async () => {
        const obj = D.make();
        delete obj.metadata.annotations;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toHaveLength(5);
    });

    it("is not applicable to a ConfigMap by default and applies when configured", async () => {
        expect((await runResourcePolicy(policy, others.ConfigMap.type, others.ConfigMap.make())).notApplicable).toBeDefined();
        const result = await runResourcePolicy(policy, others.ConfigMap.type, others.ConfigMap.make(), { config: { kinds: ["core/ConfigMap"], annotations: ["owner"] } });
        expect(findings(result)).toEqual([]);
    });
});
