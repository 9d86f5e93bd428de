import { describe, expect, it } from "@jest/globals";
import { daprComponentScopes } from "../policies/dapr-component-scopes";
import { daprSubscriptionTopics } from "../policies/dapr-subscription-topics";
import { hpaTargetsExistingWorkload } from "../policies/hpa-targets-existing-workload";
import { pdbForReplicatedWorkloads } from "../policies/pdb-for-replicated-workloads";
import { others, workloads } from "./fixtures";
import { findings, runStackPolicy, UNKNOWN } from "./harness";

const D = workloads.Deployment;
const { PodDisruptionBudget: PDB, HorizontalPodAutoscaler: HPA } = others;
const clean = { violations: [], previewNotices: [] };

describe("pdb-for-replicated-workloads", () => {
    const policy = pdbForReplicatedWorkloads("mandatory");

    it("passes a replicated Deployment with a matching PDB", async () => {
        expect(await runStackPolicy(policy, [[D.type, D.make()], [PDB.type, PDB.make()]])).toEqual(clean);
    });

    it("flags a replicated Deployment without a PDB, attached to the Deployment's URN", async () => {
        const result = await runStackPolicy(policy, [[D.type, D.make()], [others.Service.type, others.Service.make()]]);
        expect(findings(result)).toEqual(["mandatory Deployment/todo/backend - spec.replicas"]);
        expect(result.violations[0].urn).toBe(`urn:pulumi:test::todo::${D.type}::r0`);
    });

    it("ignores a single-replica Deployment without an HPA", async () => {
        const obj = D.make();
        obj.spec.replicas = 1;
        expect(await runStackPolicy(policy, [[D.type, obj]])).toEqual(clean);
    });

    it("treats an absent replicas field as one replica", async () => {
        const obj = D.make();
        delete obj.spec.replicas;
        expect(await runStackPolicy(policy, [[D.type, obj]])).toEqual(clean);
    });

    it("flags an HPA-scaled single-replica Deployment without a PDB", async () => {
        const obj = D.make();
        delete obj.spec.replicas;
        expect(findings(await runStackPolicy(policy, [[D.type, obj], [HPA.type, HPA.make()]]))).toEqual(["mandatory Deployment/todo/backend - spec.template.metadata.labels"]);
    });

    it("flags a PDB in another namespace or with a non-matching selector", async () => {
        const elsewhere = PDB.make();
        elsewhere.metadata.namespace = "other";
        const mismatched = PDB.make();
        mismatched.spec.selector = { matchLabels: { "app.kubernetes.io/name": "frontend" } };
        expect(findings(await runStackPolicy(policy, [[D.type, D.make()], [PDB.type, elsewhere], [PDB.type, mismatched]]))).toEqual([
            "mandatory Deployment/todo/backend - spec.replicas",
        ]);
    });

    it("matches selectors with matchExpressions", async () => {
        const pdb = PDB.make();
        pdb.spec.selector = { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["backend", "worker"] }] };
        expect(await runStackPolicy(policy, [[D.type, D.make()], [PDB.type, pdb]])).toEqual(clean);
    });

    it.each([
        [{ minAvailable: 2 }, "spec.minAvailable"],
        [{ minAvailable: "100%" }, "spec.minAvailable"],
        [{ minAvailable: "80%" }, "spec.minAvailable"],
        [{ maxUnavailable: 0 }, "spec.maxUnavailable"],
        [{ maxUnavailable: "0%" }, "spec.maxUnavailable"],
        [{}, "spec"],
    ])("flags a PDB %j that blocks evictions of two replicas", async (budget, field) => {
        const pdb = PDB.make();
        delete pdb.spec.maxUnavailable;
        Object.assign(pdb.spec, budget);
        expect(findings(await runStackPolicy(policy, [[D.type, D.make()], [PDB.type, pdb]]))).toEqual([`mandatory PodDisruptionBudget/todo/backend - ${field}`]);
    });

    it.each([[{ minAvailable: 1 }], [{ minAvailable: "50%" }], [{ maxUnavailable: "10%" }], [{ maxUnavailable: 1 }]])("accepts a PDB %j with two replicas", async (budget) => {
        const pdb = PDB.make();
        delete pdb.spec.maxUnavailable;
        Object.assign(pdb.spec, budget);
        expect(await runStackPolicy(policy, [[D.type, D.make()], [PDB.type, pdb]])).toEqual(clean);
    });

    it("judges minAvailable against the HPA's minReplicas", async () => {
        const pdb = PDB.make();
        delete pdb.spec.maxUnavailable;
        pdb.spec.minAvailable = 2;
        const hpa = HPA.make();
        hpa.spec.minReplicas = 2;
        const deployment = D.make();
        deployment.spec.replicas = 4;
        expect(findings(await runStackPolicy(policy, [[D.type, deployment], [HPA.type, hpa], [PDB.type, pdb]]))).toEqual(["mandatory PodDisruptionBudget/todo/backend - spec.minAvailable"]);
    });

    it("flags two PDBs selecting the same pods", async () => {
        const second = PDB.make();
        second.metadata.name = "backend-extra";
        expect(findings(await runStackPolicy(policy, [[D.type, D.make()], [PDB.type, PDB.make()], [PDB.type, second]]))).toEqual([
            "mandatory Deployment/todo/backend - spec.template.metadata.labels",
        ]);
    });

    it("checks StatefulSets but not DaemonSets by default", async () => {
        const sts = workloads.StatefulSet.make();
        sts.spec.replicas = 3;
        expect(findings(await runStackPolicy(policy, [[workloads.StatefulSet.type, sts], [workloads.DaemonSet.type, workloads.DaemonSet.make()]]))).toEqual([
            "mandatory StatefulSet/todo/backend - spec.replicas",
        ]);
    });

    it("does not report when a PDB selector is unknown during preview", async () => {
        const pdb = PDB.make();
        pdb.spec.selector.matchLabels["app.kubernetes.io/instance"] = UNKNOWN;
        const result = await runStackPolicy(policy, [[D.type, D.make()], [PDB.type, pdb]]);
        expect(result.violations).toEqual([]);
        expect(result.previewNotices).toHaveLength(1);
    });
});

describe("hpa-targets-existing-workload", () => {
    const policy = hpaTargetsExistingWorkload("mandatory");

    it("passes an HPA targeting a Deployment of the stack", async () => {
        expect(await runStackPolicy(policy, [[D.type, D.make()], [HPA.type, HPA.make()]])).toEqual(clean);
    });

    it("flags an HPA targeting a missing workload", async () => {
        const result = await runStackPolicy(policy, [[HPA.type, HPA.make()]]);
        expect(findings(result)).toEqual(["mandatory HorizontalPodAutoscaler/todo/backend - spec.scaleTargetRef.name"]);
        expect(result.violations[0].urn).toBe(`urn:pulumi:test::todo::${HPA.type}::r0`);
    });

    it("flags an HPA targeting a workload in another namespace or of another kind", async () => {
        const elsewhere = D.make();
        elsewhere.metadata.namespace = "other";
        const hpa = HPA.make();
        hpa.spec.scaleTargetRef.kind = "StatefulSet";
        expect(findings(await runStackPolicy(policy, [[D.type, elsewhere], [HPA.type, HPA.make()], [HPA.type, hpa]]))).toHaveLength(2);
    });

    it("flags an HPA without a scaleTargetRef", async () => {
        const hpa = HPA.make();
        delete hpa.spec.scaleTargetRef;
        expect(findings(await runStackPolicy(policy, [[HPA.type, hpa]]))).toEqual(["mandatory HorizontalPodAutoscaler/todo/backend - spec.scaleTargetRef"]);
    });
});

describe("dapr-component-scopes", () => {
    const policy = daprComponentScopes("mandatory");
    const C = others.Component;

    it("passes a Component scoped to a Dapr-enabled app of the stack", async () => {
        expect(await runStackPolicy(policy, [[D.type, D.make()], [C.type, C.make()]])).toEqual(clean);
    });

    it("flags a scope naming an unknown app-id", async () => {
        const component = C.make();
        component.scopes = ["backend", "frontend"];
        expect(findings(await runStackPolicy(policy, [[D.type, D.make()], [C.type, component]]))).toEqual(["mandatory Component/todo/pubsub - scopes[1]"]);
    });

    it("flags a scope naming an app in another namespace", async () => {
        const component = C.make();
        component.metadata.namespace = "other";
        expect(findings(await runStackPolicy(policy, [[D.type, D.make()], [C.type, component]]))).toEqual(["mandatory Component/other/pubsub - scopes[0]"]);
    });

    it("ignores workloads that are not Dapr-enabled", async () => {
        const deployment = D.make();
        deployment.spec.template.metadata.annotations["dapr.io/enabled"] = "false";
        expect(findings(await runStackPolicy(policy, [[D.type, deployment], [C.type, C.make()]]))).toHaveLength(1);
    });

    it("accepts app-ids listed in knownAppIds", async () => {
        expect(findings(await runStackPolicy(policy, [[C.type, C.make()]], { config: { knownAppIds: ["backend"] } }))).toEqual([]);
    });

    it("flags an unscoped Component only when requireScopes is set", async () => {
        const component = C.make();
        delete component.scopes;
        expect(await runStackPolicy(policy, [[C.type, component]])).toEqual(clean);
        expect(findings(await runStackPolicy(policy, [[C.type, component]], { config: { requireScopes: true } }))).toEqual(["mandatory Component/todo/pubsub - scopes"]);
    });
});

describe("dapr-subscription-topics", () => {
    const policy = daprSubscriptionTopics("mandatory");
    const S = others.Subscription;

    it("passes a Subscription to a KafkaTopic of the stack", async () => {
        expect(await runStackPolicy(policy, [[others.KafkaTopic.type, others.KafkaTopic.make()], [S.type, S.make()]])).toEqual(clean);
    });

    it("passes a Subscription to a Redpanda Topic named by metadata.name", async () => {
        const subscription = S.make();
        subscription.spec.topic = "todo.tasks.deleted.v1";
        expect(await runStackPolicy(policy, [[others.RedpandaTopic.type, others.RedpandaTopic.make()], [S.type, subscription]])).toEqual(clean);
    });

    it("flags a Subscription topic and dead-letter topic the stack does not manage", async () => {
        const subscription = S.make();
        subscription.spec.topic = "todo.tasks.updated.v1";
        subscription.spec.deadLetterTopic = "todo.tasks.dead.v1";
        expect(findings(await runStackPolicy(policy, [[others.KafkaTopic.type, others.KafkaTopic.make()], [S.type, subscription]]))).toEqual([
            "mandatory Subscription/todo/tasks-created - spec.topic",
            "mandatory Subscription/todo/tasks-created - spec.deadLetterTopic",
        ]);
    });

    it("checks v1alpha1 Subscriptions", async () => {
        const subscription = { ...S.make(), apiVersion: "dapr.io/v1alpha1", spec: { pubsubname: "pubsub", topic: "todo.other.thing.v1", route: "/e" } };
        expect(findings(await runStackPolicy(policy, [[others.KafkaTopic.type, others.KafkaTopic.make()], ["kubernetes:dapr.io/v1alpha1:Subscription", subscription]]))).toEqual([
            "mandatory Subscription/todo/tasks-created - spec.topic",
        ]);
    });

    it("does not check stacks that manage no topics", async () => {
        const subscription = S.make();
        subscription.spec.topic = "anything";
        expect(await runStackPolicy(policy, [[S.type, subscription]])).toEqual(clean);
    });

    it("accepts externally managed topics from config", async () => {
        const subscription = S.make();
        subscription.spec.topic = "billing.invoices.paid.v1";
        const result = await runStackPolicy(policy, [[others.KafkaTopic.type, others.KafkaTopic.make()], [S.type, subscription]], { config: { externalTopics: ["billing.invoices.paid.v1"] } });
        expect(result).toEqual(clean);
    });
});
