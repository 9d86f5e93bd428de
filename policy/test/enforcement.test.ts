import { describe, expect, it } from "@jest/globals";
import { exemptionAnnotations } from "../policies/exemption-annotations";
import { pdbForReplicatedWorkloads } from "../policies/pdb-for-replicated-workloads";
import { runAsNonRoot } from "../policies/run-as-non-root";
import { others, workloads } from "./fixtures";
import { findings, runResourcePolicy, runStackPolicy } from "./harness";

const D = workloads.Deployment;
const rootDeployment = () => {
    const obj = D.make();
    obj.spec.template.spec.securityContext = {};
    return obj;
};
const FIELD = "Deployment/todo/backend app spec.template.spec.containers[0].securityContext.runAsNonRoot";

describe("enforcement by environment", () => {
    const policy = runAsNonRoot("mandatory");

    it.each(["prod", "production", "PROD"])("keeps the mandatory level in %s", async (environment) => {
        expect(findings(await runResourcePolicy(policy, D.type, rootDeployment(), { stackTags: { environment } }))).toEqual([`mandatory ${FIELD}`]);
    });

    it.each(["dev", "staging"])("downgrades to advisory in %s", async (environment) => {
        expect(findings(await runResourcePolicy(policy, D.type, rootDeployment(), { stackTags: { environment } }))).toEqual([`advisory ${FIELD}`]);
    });

    it("treats a stack without the environment tag as non-production", async () => {
        expect(findings(await runResourcePolicy(policy, D.type, rootDeployment(), { stackTags: {} }))).toEqual([`advisory ${FIELD}`]);
    });

    it("reads the environment from the configured stack tag", async () => {
        const options = { stackTags: { environment: "dev", stage: "prod" }, config: { stackEnvironmentTag: "stage" } };
        expect(findings(await runResourcePolicy(policy, D.type, rootDeployment(), options))).toEqual([`mandatory ${FIELD}`]);
    });

    it("makes a rule mandatory in more environments when configured", async () => {
        const options = { stackTags: { environment: "staging" }, config: { mandatoryEnvironments: ["staging", "prod"] } };
        expect(findings(await runResourcePolicy(policy, D.type, rootDeployment(), options))).toEqual([`mandatory ${FIELD}`]);
    });

    it("never upgrades an advisory policy, even in prod", async () => {
        const advisory = runAsNonRoot("advisory");
        expect(findings(await runResourcePolicy(advisory, D.type, rootDeployment(), { stackTags: { environment: "prod" } }))).toEqual([`advisory ${FIELD}`]);
    });

    it("prefixes downgraded messages with the policy description like the SDK does", async () => {
        const [violation] = (await runResourcePolicy(policy, D.type, rootDeployment(), { stackTags: { environment: "dev" } })).violations;
        expect(violation.message.split("\n")[0]).toBe(policy.description);
    });

    it("downgrades stack findings outside prod too", async () => {
        const result = await runStackPolicy(pdbForReplicatedWorkloads("mandatory"), [[D.type, D.make()]], { stackTags: { environment: "dev" } });
        expect(findings(result)).toEqual(["advisory Deployment/todo/backend - spec.replicas"]);
    });
});

describe("exemptions", () => {
    const policy = runAsNonRoot("mandatory");

    it("reports findings in an exempt namespace as advisory 'exempted' notices", async () => {
        const result = await runResourcePolicy(policy, D.type, rootDeployment(), { config: { exemptNamespaces: ["todo"] } });
        expect(findings(result)).toEqual([`exempted advisory ${FIELD}`]);
        expect(result.violations[0].message).toContain('exempted: namespace "todo" is listed in exemptNamespaces');
    });

    it("honours an annotation exemption with a reason and reports it", async () => {
        const obj = rootDeployment();
        obj.metadata.annotations["policy.todo-stack.dev/exempt"] = "required-labels, run-as-non-root";
        obj.metadata.annotations["policy.todo-stack.dev/exempt-reason"] = "upstream image runs as root, TODO-123";
        const result = await runResourcePolicy(policy, D.type, obj);
        expect(findings(result)).toEqual([`exempted advisory ${FIELD}`]);
        expect(result.violations[0].message).toMatch(/^exempted: upstream image runs as root, TODO-123 — Deployment\/todo\/backend/m);
    });

    it("does not honour an annotation exemption without a reason", async () => {
        const obj = rootDeployment();
        obj.metadata.annotations["policy.todo-stack.dev/exempt"] = "run-as-non-root";
        obj.metadata.annotations["policy.todo-stack.dev/exempt-reason"] = " ";
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory ${FIELD}`]);
    });

    it("does not exempt rules the annotation does not list", async () => {
        const obj = rootDeployment();
        obj.metadata.annotations["policy.todo-stack.dev/exempt"] = "required-labels";
        obj.metadata.annotations["policy.todo-stack.dev/exempt-reason"] = "legacy";
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory ${FIELD}`]);
    });

    it("exempts stack findings through the subject's annotation", async () => {
        const obj = D.make();
        obj.metadata.annotations["policy.todo-stack.dev/exempt"] = "pdb-for-replicated-workloads";
        obj.metadata.annotations["policy.todo-stack.dev/exempt-reason"] = "PDB comes with the vendor chart";
        const result = await runStackPolicy(pdbForReplicatedWorkloads("mandatory"), [[D.type, obj]]);
        expect(findings(result)).toEqual(["exempted advisory Deployment/todo/backend - spec.replicas"]);
    });
});

describe("exemption-annotations", () => {
    const policy = exemptionAnnotations("mandatory");
    const annotated = (exempt: string, reason?: string) => {
        const obj = D.make();
        obj.metadata.annotations["policy.todo-stack.dev/exempt"] = exempt;
        if (reason !== undefined) {
            obj.metadata.annotations["policy.todo-stack.dev/exempt-reason"] = reason;
        }
        return obj;
    };

    it("passes objects without exemptions and well-formed exemptions", async () => {
        expect(await runResourcePolicy(policy, D.type, D.make())).toEqual({ violations: [], previewNotices: [] });
        expect(await runResourcePolicy(policy, D.type, annotated("run-as-non-root", "TODO-123"))).toEqual({ violations: [], previewNotices: [] });
    });

    it("flags an exemption without a reason", async () => {
        expect(findings(await runResourcePolicy(policy, D.type, annotated("run-as-non-root")))).toEqual([
            'mandatory Deployment/todo/backend - metadata.annotations["policy.todo-stack.dev/exempt-reason"]',
        ]);
    });

    it("flags unknown rule ids and empty lists", async () => {
        expect(findings(await runResourcePolicy(policy, D.type, annotated("run-as-nonroot", "typo")))).toEqual([
            'mandatory Deployment/todo/backend - metadata.annotations["policy.todo-stack.dev/exempt"]',
        ]);
        expect(findings(await runResourcePolicy(policy, D.type, annotated(" , ", "empty")))).toHaveLength(1);
    });

    it("applies to every kind, including custom resources", async () => {
        const topic = others.KafkaTopic.make();
        topic.metadata.annotations = { "policy.todo-stack.dev/exempt": "kafka-topic-naming" };
        expect(findings(await runResourcePolicy(policy, others.KafkaTopic.type, topic))).toHaveLength(1);
    });
});

describe("violation messages", () => {
    it("name the resource, container, field, fix and stack config key", async () => {
        const obj = rootDeployment();
        obj.metadata.annotations["todo-stack.dev/config-key"] = "services.backend";
        const [violation] = (await runResourcePolicy(runAsNonRoot("mandatory"), D.type, obj)).violations;
        expect(violation.message).toBe(
            `${runAsNonRoot().description}\nDeployment/todo/backend container "app": spec.template.spec.containers[0].securityContext.runAsNonRoot: ` +
                "neither runAsNonRoot: true nor a non-zero runAsUser is set on the container or the pod, so the image's user (often root) applies. " +
                "Fix: set spec.template.spec.securityContext.runAsNonRoot: true (or a non-zero runAsUser). Stack config key: services.backend.",
        );
    });

    it("fall back to the Pulumi name when metadata.name is absent", async () => {
        const obj = rootDeployment();
        delete obj.metadata.name;
        const result = await runResourcePolicy(runAsNonRoot("mandatory"), D.type, obj, { name: "backend-deployment" });
        expect(findings(result)).toEqual(["mandatory Deployment/todo/backend-deployment app spec.template.spec.containers[0].securityContext.runAsNonRoot"]);
    });
});
