/**
 * Replicated workloads have exactly one PodDisruptionBudget that still allows evictions.
 *
 * A Deployment or StatefulSet with `replicas > 1`, or targeted by a HorizontalPodAutoscaler, needs
 * a PDB in its namespace whose selector matches its pod template labels. The PDB must allow at
 * least one eviction at the lowest replica count (the HPA's `minReplicas` when scaled, else
 * `replicas`): `minAvailable` below it, or `maxUnavailable` above zero; percentages are rounded up
 * as the disruption controller does. Two PDBs selecting the same pods block evictions altogether.
 *
 * @severity medium
 * @topics reliability, operations
 * @link https://kubernetes.io/docs/tasks/run-application/configure-pdb/
 */
import type { EnforcementLevel, StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toStackPolicy } from "../lib/crossguard";
import { kindListed, nameOf, namespaceOf } from "../lib/helpers";
import { asRecord, asString, KubernetesObject, parseIntOrPercent, selectorMatches, stringMap } from "../lib/kube";
import { podTemplateOf } from "../lib/pod-spec";
import { defineStackRule, objectGroupKind } from "../lib/rule";
import { describeResource, makeViolation, type Violation } from "../lib/violation";

/** The HPA targeting `workload`, if any. */
export function hpaFor(workload: KubernetesObject, objects: KubernetesObject[]): KubernetesObject | undefined {
    return objects.find((o) => {
        if (objectGroupKind(o) !== "autoscaling/HorizontalPodAutoscaler" || namespaceOf(o) !== namespaceOf(workload)) {
            return false;
        }
        const ref = asRecord(asRecord(o.spec)?.scaleTargetRef);
        return asString(ref?.kind) === workload.kind && asString(ref?.name) === nameOf(workload);
    });
}

/** Whether a PDB allows at least one eviction with `replicas` pods, and why not. */
export function pdbAllowsEviction(pdb: KubernetesObject, replicas: number): { ok: true } | { ok: false; field: string; problem: string } {
    const spec = asRecord(pdb.spec) ?? {};
    if (spec.minAvailable !== undefined) {
        const min = parseIntOrPercent(spec.minAvailable);
        if (!min) {
            return { ok: false, field: "spec.minAvailable", problem: `minAvailable ${JSON.stringify(spec.minAvailable)} is not an integer or percentage` };
        }
        const required = min.kind === "int" ? min.value : Math.ceil((min.value * replicas) / 100);
        return required < replicas
            ? { ok: true }
            : { ok: false, field: "spec.minAvailable", problem: `minAvailable ${String(spec.minAvailable)} leaves no pod evictable at ${replicas} replica(s)` };
    }
    if (spec.maxUnavailable !== undefined) {
        const max = parseIntOrPercent(spec.maxUnavailable);
        if (!max) {
            return { ok: false, field: "spec.maxUnavailable", problem: `maxUnavailable ${JSON.stringify(spec.maxUnavailable)} is not an integer or percentage` };
        }
        return max.value > 0 ? { ok: true } : { ok: false, field: "spec.maxUnavailable", problem: `maxUnavailable ${String(spec.maxUnavailable)} forbids every voluntary eviction` };
    }
    return { ok: false, field: "spec", problem: "the PodDisruptionBudget sets neither minAvailable nor maxUnavailable" };
}

/** The pure rule. */
export const pdbForReplicatedWorkloadsRule = defineStackRule({
    scope: "stack",
    id: "pdb-for-replicated-workloads",
    description: "Every workload with more than one replica or an HPA has exactly one matching PodDisruptionBudget that still allows evictions.",
    severity: "medium",
    topics: ["reliability", "operations"],
    remediationSteps:
        "Add a PodDisruptionBudget in the workload's namespace selecting its pod labels (app.kubernetes.io/name + instance) with maxUnavailable: 1, " +
        "or minAvailable below the lowest replica count.",
    url: "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
    config: ruleConfigSchema({
        kinds: z
            .array(z.string().min(1))
            .default(["apps/Deployment", "apps/StatefulSet"])
            .describe("Workload kinds that need a PodDisruptionBudget when replicated."),
    }),
    check(objects, config) {
        const out: Violation[] = [];
        const pdbs = objects.filter((o) => objectGroupKind(o) === "policy/PodDisruptionBudget");
        for (const workload of objects) {
            const key = objectGroupKind(workload);
            if (!kindListed(key, config.kinds)) {
                continue;
            }
            const spec = asRecord(workload.spec);
            const replicas = typeof spec?.replicas === "number" ? spec.replicas : 1;
            const hpa = hpaFor(workload, objects);
            const hpaMin = hpa ? asRecord(hpa.spec)?.minReplicas : undefined;
            const lowest = hpa ? (typeof hpaMin === "number" ? hpaMin : 1) : replicas;
            if (!hpa && replicas <= 1) {
                continue;
            }
            const reason = hpa ? `is scaled by HorizontalPodAutoscaler ${describeResource(hpa).id}` : `runs ${replicas} replicas`;
            const labels = stringMap(podTemplateOf(workload, key)?.metadata?.labels);
            const matching = pdbs.filter((p) => namespaceOf(p) === namespaceOf(workload) && selectorMatches(asRecord(p.spec)?.selector, labels));
            if (matching.length === 0) {
                out.push(
                    makeViolation(this.id, workload, config, {
                        field: hpa ? "spec.template.metadata.labels" : "spec.replicas",
                        problem: `the workload ${reason} but no PodDisruptionBudget in its namespace selects its pod labels`,
                        fix: "add a PodDisruptionBudget selecting the pod labels with maxUnavailable: 1",
                    }),
                );
                continue;
            }
            if (matching.length > 1) {
                out.push(
                    makeViolation(this.id, workload, config, {
                        field: "spec.template.metadata.labels",
                        problem: `${matching.length} PodDisruptionBudgets select its pods (${matching.map((p) => describeResource(p).id).join(", ")}), so every eviction is refused`,
                        fix: "keep exactly one PodDisruptionBudget per workload",
                    }),
                );
                continue;
            }
            const verdict = pdbAllowsEviction(matching[0], lowest);
            if (!verdict.ok) {
                const workloadId = describeResource(workload).id;
                out.push(
                    makeViolation(this.id, matching[0], config, {
                        field: verdict.field,
                        problem: `${verdict.problem} of ${workloadId}${hpa ? " (HPA minReplicas)" : ""}, so node drains block`,
                        fix: lowest > 1 ? `set maxUnavailable: 1 (or minAvailable: ${lowest - 1})` : "set maxUnavailable: 1",
                    }),
                );
            }
        }
        return out;
    },
});

/** CrossGuard policy for {@link pdbForReplicatedWorkloadsRule}. */
export const pdbForReplicatedWorkloads = (level: EnforcementLevel = "mandatory"): StackValidationPolicy =>
    toStackPolicy(pdbForReplicatedWorkloadsRule, level);
