import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateObjects } from "../lib/evaluate";
import { toKubernetesObject } from "../lib/kube";
import { resolvePackConfig } from "../lib/pack-config";
import { containersOf, effectiveSecurity, podTemplateOf } from "../lib/pod-spec";
import { RULE_IDS } from "../lib/rule-ids";
import { policies, rules } from "../policies";
import { others, WORKLOAD_KINDS, workloads } from "./fixtures";

describe("the pack", () => {
    it("has one policy per rule id, in order, with stable kebab-case names", () => {
        expect(policies.map((p) => p.name)).toEqual([...RULE_IDS]);
        expect(rules.map((r) => r.id)).toEqual([...RULE_IDS]);
        for (const name of RULE_IDS) {
            expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
        }
    });

    it("gives every policy a one-sentence description, remediation steps and a config schema without enforcementLevel", () => {
        for (const policy of policies) {
            expect(policy.description).toMatch(/^[A-Z][^.]*(\.[a-z][^.]*)*\.$/);
            expect(policy.remediationSteps).toBeTruthy();
            expect(policy.configSchema?.properties).toHaveProperty("exemptNamespaces");
            expect(policy.configSchema?.properties).not.toHaveProperty("enforcementLevel");
            expect(JSON.parse(JSON.stringify(policy.configSchema))).toEqual(policy.configSchema);
        }
    });

    it("documents each policy file with a JSDoc header naming severity, topics and a link", () => {
        for (const id of RULE_IDS) {
            const source = readFileSync(join(__dirname, "..", "policies", `${id}.ts`), "utf8");
            expect(source.startsWith("/**")).toBe(true);
            expect(source).toMatch(/@severity (low|medium|high|critical)\n/);
            expect(source).toMatch(/@topics \S/);
            expect(source).toMatch(/@link \S/);
        }
    });

    it("emits default values in the config schema", () => {
        const labels = policies.find((p) => p.name === "required-labels")!;
        expect(labels.configSchema!.properties.labels).toMatchObject({ type: "array", default: expect.arrayContaining(["team", "cost-center"]) });
    });
});

describe("the pod-spec walker", () => {
    it.each(WORKLOAD_KINDS)("finds the pod template of a %s", (kind) => {
        const template = podTemplateOf(workloads[kind].make());
        expect(template?.spec?.containers).toHaveLength(1);
        expect(template?.isPod).toBe(kind === "Pod");
    });

    it("returns nothing for kinds without pods", () => {
        expect(podTemplateOf(others.Service.make())).toBeUndefined();
    });

    it("walks containers, init containers and ephemeral containers in order", () => {
        const obj = workloads.Deployment.make();
        obj.spec.template.spec.initContainers = [{ name: "init" }, { name: "sidecar", restartPolicy: "Always" }];
        obj.spec.template.spec.ephemeralContainers = [{ name: "debug" }];
        const refs = containersOf(podTemplateOf(obj)!);
        expect(refs.map((r) => [r.name, r.list, r.isNativeSidecar, r.path])).toEqual([
            ["app", "containers", false, "spec.template.spec.containers[0]"],
            ["init", "initContainers", false, "spec.template.spec.initContainers[0]"],
            ["sidecar", "initContainers", true, "spec.template.spec.initContainers[1]"],
            ["debug", "ephemeralContainers", false, "spec.template.spec.ephemeralContainers[0]"],
        ]);
    });

    it("inherits runAsNonRoot, runAsUser and seccompProfile but not per-container settings", () => {
        const pod = { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" }, readOnlyRootFilesystem: true };
        const effective = effectiveSecurity({ securityContext: { runAsUser: 2000 } }, pod);
        expect(effective.runAsNonRoot).toEqual({ value: true, source: "pod" });
        expect(effective.runAsUser).toEqual({ value: 2000, source: "container" });
        expect(effective.seccompProfileType).toEqual({ value: "RuntimeDefault", source: "pod" });
        expect(effective.readOnlyRootFilesystem).toEqual({ value: undefined, source: "absent" });
    });
});

describe("evaluateObjects", () => {
    const compliant = () => [
        workloads.Deployment.make(),
        others.Service.make(),
        others.PodDisruptionBudget.make(),
        others.HorizontalPodAutoscaler.make(),
        others.KafkaTopic.make(),
        others.Subscription.make(),
        others.Component.make(),
        toKubernetesObject(others.Release.type, others.Release.make())!,
    ];
    const nonRoot = () => {
        const objects = compliant();
        objects[0].spec.template.spec.securityContext = { seccompProfile: { type: "RuntimeDefault" } };
        return objects;
    };

    it("finds nothing on a compliant set of objects", () => {
        expect(evaluateObjects(compliant(), { environment: "prod" })).toEqual([]);
    });

    it("runs resource and stack rules and returns the reported level", () => {
        const objects = nonRoot();
        objects.splice(2, 1);
        const result = evaluateObjects(objects, { environment: "prod" });
        expect(result.map((v) => [v.rule, v.resource, v.container, v.field, v.enforcementLevel])).toEqual([
            ["run-as-non-root", "Deployment/todo/backend", "app", "spec.template.spec.containers[0].securityContext.runAsNonRoot", "mandatory"],
            ["pdb-for-replicated-workloads", "Deployment/todo/backend", undefined, "spec.template.metadata.labels", "mandatory"],
        ]);
    });

    it("reads the environment from stack tags", () => {
        expect(evaluateObjects(nonRoot(), { stackTags: { environment: "dev" } }).map((v) => v.enforcementLevel)).toEqual(["advisory"]);
        expect(evaluateObjects(nonRoot(), { stackTags: { environment: "prod" } }).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
    });

    it("honours per-rule levels, 'all' and disabled rules from the pack config", () => {
        expect(evaluateObjects(nonRoot(), { environment: "prod", config: { "run-as-non-root": "advisory" } })[0].enforcementLevel).toBe("advisory");
        expect(evaluateObjects(nonRoot(), { environment: "prod", config: { all: "advisory" } })[0].enforcementLevel).toBe("advisory");
        expect(evaluateObjects(nonRoot(), { environment: "prod", config: { "run-as-non-root": { enforcementLevel: "disabled" } } })).toEqual([]);
    });

    it("applies remediations first and reports what they changed", () => {
        const objects = compliant();
        delete objects[0].spec.template.spec.securityContext.seccompProfile;
        const result = evaluateObjects(objects, { environment: "prod", config: { "seccomp-runtime-default": "remediate" } });
        expect(result).toEqual([
            expect.objectContaining({ rule: "seccomp-runtime-default", field: "spec.template.spec.securityContext.seccompProfile.type", enforcementLevel: "advisory", remediated: true }),
        ]);
        expect(objects[0].spec.template.spec.securityContext.seccompProfile).toBeUndefined();
    });

    it("passes the rule config through", () => {
        const objects = compliant();
        objects[1].spec.type = "LoadBalancer";
        expect(evaluateObjects(objects, { environment: "prod" }).map((v) => v.rule)).toEqual(["restricted-service-types"]);
        expect(evaluateObjects(objects, { environment: "prod", config: { "restricted-service-types": { namespaceAllowances: { todo: ["LoadBalancer"] } } } })).toEqual([]);
    });

    it("runs only the selected rules", () => {
        expect(evaluateObjects(nonRoot(), { environment: "prod", rules: ["no-privileged"] })).toEqual([]);
    });

    it("fails on unknown rules and misspelt properties in the pack config", () => {
        expect(() => evaluateObjects([], { config: { "run-as-root": "advisory" } })).toThrow(/Invalid policy pack configuration[\s\S]*run-as-root/);
        expect(() => resolvePackConfig({ "required-labels": { label: ["team"] } })).toThrow(/label/);
        expect(() => resolvePackConfig({ "required-labels": "strict" })).toThrow(/required-labels/);
    });

    it("converts Pulumi types and inputs to objects", () => {
        expect(toKubernetesObject("kubernetes:helm.sh/v3:Release", { chart: "dapr" })).toEqual({ apiVersion: "helm.sh/v3", kind: "Release", chart: "dapr" });
        expect(toKubernetesObject("kubernetes:core/v1:Service", { metadata: {} })).toEqual({ apiVersion: "v1", kind: "Service", metadata: {} });
        expect(toKubernetesObject("todo:index:Microservice", {})).toBeUndefined();
    });
});
