/**
 * Every policy against every fixture kind: applicability, safety on bare objects, and no
 * violation when every string value is unknown (preview).
 */
import { describe, expect, it } from "@jest/globals";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../policies";
import { others, workloads } from "./fixtures";
import { runResourcePolicy, runStackPolicy, UNKNOWN } from "./harness";

const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p);
const stackPolicies = policies.filter((p): p is StackValidationPolicy => "validateStack" in p);
const fixtures = { ...workloads, ...others };
const kinds = Object.keys(fixtures) as Array<keyof typeof fixtures>;

/** Which kinds each resource policy applies to. */
const APPLIES: Record<string, ReadonlyArray<keyof typeof fixtures>> = {
    "required-labels": [...Object.keys(workloads), "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"] as Array<keyof typeof fixtures>,
    "required-annotations": Object.keys(workloads) as Array<keyof typeof fixtures>,
    "require-probes": ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
    "no-secret-literals-in-env": [...Object.keys(workloads), "ConfigMap"] as Array<keyof typeof fixtures>,
    "restricted-service-types": ["Service"],
    "kafka-topic-naming": ["KafkaTopic", "RedpandaTopic", "Subscription"],
    "helm-release-inputs": ["Release"],
    "exemption-annotations": kinds,
};
const appliesTo = (policy: string) => APPLIES[policy] ?? (Object.keys(workloads) as Array<keyof typeof fixtures>);

/** Replaces every string value (not apiVersion/kind) with the preview sentinel for unknown strings. */
function allUnknown(value: unknown, key?: string): unknown {
    if (typeof value === "string") {
        return key === "apiVersion" || key === "kind" ? value : UNKNOWN;
    }
    if (Array.isArray(value)) {
        return value.map((v) => allUnknown(v));
    }
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, allUnknown(v, k)]));
    }
    return value;
}

/** The object with only apiVersion, kind, name and namespace. */
function bare(obj: Record<string, any>): Record<string, any> {
    return obj.apiVersion ? { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: "bare", namespace: "todo" } } : { chart: "./charts/local", name: "bare", namespace: "todo" };
}

describe.each(resourcePolicies.map((p) => [p.name, p] as const))("%s", (name, policy) => {
    it.each(kinds)("passes the compliant %s or declares itself not applicable", async (kind) => {
        const result = await runResourcePolicy(policy, fixtures[kind].type, fixtures[kind].make());
        expect(result.violations).toEqual([]);
        expect(result.notApplicable === undefined).toBe(appliesTo(name).includes(kind));
    });

    it.each(kinds.filter((k) => appliesTo(name).includes(k)))("is safe on a bare %s", async (kind) => {
        const result = await runResourcePolicy(policy, fixtures[kind].type, bare(fixtures[kind].make()));
        expect(result.previewNotices).toEqual([]);
    });

    it.each(kinds.filter((k) => appliesTo(name).includes(k)))("reports no violation on a %s whose strings are all unknown", async (kind) => {
        const result = await runResourcePolicy(policy, fixtures[kind].type, allUnknown(fixtures[kind].make()) as object);
        expect(result.violations).toEqual([]);
    });
});

describe.each(stackPolicies.map((p) => [p.name, p] as const))("%s", (_name, policy) => {
    const stack = () => kinds.map((k) => [fixtures[k].type, fixtures[k].make()] as [string, Record<string, any>]);

    it("passes the compliant stack", async () => {
        expect(await runStackPolicy(policy, stack())).toEqual({ violations: [], previewNotices: [] });
    });

    it("reports no violation when every string of the stack is unknown", async () => {
        const result = await runStackPolicy(policy, stack().map(([type, props]) => [type, allUnknown(props) as object]));
        expect(result.violations).toEqual([]);
    });

    it("is safe on an empty stack and on bare objects", async () => {
        expect(await runStackPolicy(policy, [])).toEqual({ violations: [], previewNotices: [] });
        const result = await runStackPolicy(policy, stack().map(([type, props]) => [type, bare(props)]));
        expect(result.previewNotices).toEqual([]);
    });
});
