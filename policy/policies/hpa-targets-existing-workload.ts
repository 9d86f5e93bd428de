/**
 * Every HorizontalPodAutoscaler scales a workload managed by the same stack, in its namespace.
 *
 * The `scaleTargetRef` kind, name and (when given) API group must match a Deployment,
 * StatefulSet or ReplicaSet of the stack. A workload installed by a Helm Release is invisible to
 * CrossGuard: exempt such an HPA with the exemption annotation.
 *
 * @severity medium
 * @topics reliability
 * @link https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
import type { EnforcementLevel, StackValidationPolicy } from "@pulumi/policy";
import { ruleConfigSchema } from "../lib/config";
import { toStackPolicy } from "../lib/crossguard";
import { nameOf, namespaceOf } from "../lib/helpers";
import { asRecord, asString, splitApiVersion } from "../lib/kube";
import { SCALABLE_KINDS } from "../lib/pod-spec";
import { defineStackRule, objectGroupKind } from "../lib/rule";
import { makeViolation, type Violation } from "../lib/violation";

/** The pure rule. */
export const hpaTargetsExistingWorkloadRule = defineStackRule({
    scope: "stack",
    id: "hpa-targets-existing-workload",
    description: "Every HorizontalPodAutoscaler's scaleTargetRef names a Deployment, StatefulSet or ReplicaSet of the stack in the same namespace.",
    severity: "medium",
    topics: ["reliability"],
    remediationSteps: "Point spec.scaleTargetRef (apiVersion, kind, name) at a workload the stack manages in the HPA's namespace, or remove the HPA.",
    url: "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",
    config: ruleConfigSchema({}),
    check(objects, config) {
        const out: Violation[] = [];
        const workloads = objects.filter((o) => SCALABLE_KINDS.includes(objectGroupKind(o)));
        for (const hpa of objects.filter((o) => objectGroupKind(o) === "autoscaling/HorizontalPodAutoscaler")) {
            const ref = asRecord(asRecord(hpa.spec)?.scaleTargetRef);
            const kind = asString(ref?.kind);
            const name = asString(ref?.name);
            if (!kind || !name) {
                out.push(
                    makeViolation(this.id, hpa, config, {
                        field: "spec.scaleTargetRef",
                        problem: "scaleTargetRef is missing its kind or name",
                        fix: "set spec.scaleTargetRef.apiVersion, kind and name",
                    }),
                );
                continue;
            }
            const group = ref?.apiVersion !== undefined ? splitApiVersion(String(ref.apiVersion)).group : undefined;
            const target = workloads.find(
                (w) =>
                    w.kind === kind &&
                    nameOf(w) === name &&
                    namespaceOf(w) === namespaceOf(hpa) &&
                    (group === undefined || splitApiVersion(String(w.apiVersion)).group === group),
            );
            if (!target) {
                out.push(
                    makeViolation(this.id, hpa, config, {
                        field: "spec.scaleTargetRef.name",
                        problem: `scaleTargetRef ${kind}/${name} does not name a workload of this stack in namespace "${namespaceOf(hpa) ?? "(none)"}"`,
                        fix: "point scaleTargetRef at an existing Deployment or StatefulSet of the stack, or remove the HPA",
                    }),
                );
            }
        }
        return out;
    },
});

/** CrossGuard policy for {@link hpaTargetsExistingWorkloadRule}. */
export const hpaTargetsExistingWorkload = (level: EnforcementLevel = "mandatory"): StackValidationPolicy =>
    toStackPolicy(hpaTargetsExistingWorkloadRule, level);
