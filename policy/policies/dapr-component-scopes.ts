/**
 * Dapr Component scopes name Dapr-enabled apps of the stack.
 *
 * Every entry of a `dapr.io/v1alpha1` Component's top-level `scopes` must be the `dapr.io/app-id`
 * of a Dapr-enabled pod template in the same namespace (or be listed in `knownAppIds` for apps
 * deployed by other stacks). With `requireScopes`, unscoped Components (visible to every app in the
 * namespace) are flagged too.
 *
 * @severity medium
 * @topics dapr, security
 * @link https://docs.dapr.io/operations/components/component-scopes/
 */
import type { EnforcementLevel, StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toStackPolicy } from "../lib/crossguard";
import { namespaceOf } from "../lib/helpers";
import { asArray, asRecord, asString, KubernetesObject } from "../lib/kube";
import { isPodBearing, podTemplateOf } from "../lib/pod-spec";
import { defineStackRule, objectGroupKind } from "../lib/rule";
import { makeViolation, type Violation } from "../lib/violation";

/** `namespace → app-ids` of the Dapr-enabled pod templates among `objects` ("" = no namespace). */
export function daprAppIds(objects: KubernetesObject[]): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const obj of objects) {
        if (!isPodBearing(obj)) {
            continue;
        }
        const annotations = asRecord(podTemplateOf(obj)?.metadata?.annotations);
        const appId = asString(annotations?.["dapr.io/app-id"]);
        if (annotations?.["dapr.io/enabled"] !== "true" || !appId) {
            continue;
        }
        const ns = namespaceOf(obj) ?? "";
        out.set(ns, (out.get(ns) ?? new Set()).add(appId));
    }
    return out;
}

/** The pure rule. */
export const daprComponentScopesRule = defineStackRule({
    scope: "stack",
    id: "dapr-component-scopes",
    description: "Every Dapr Component scope names the app-id of a Dapr-enabled workload of the stack in the same namespace.",
    severity: "medium",
    topics: ["dapr", "security"],
    remediationSteps: "List in the Component's scopes only the dapr.io/app-id values of the apps that use it; fix typos or remove stale app-ids.",
    url: "https://docs.dapr.io/operations/components/component-scopes/",
    config: ruleConfigSchema({
        requireScopes: z.boolean().default(false).describe("Flag Components without scopes (visible to every app in the namespace)."),
        knownAppIds: z.array(z.string().min(1)).default([]).describe("App-ids deployed outside this stack that scopes may name."),
    }),
    check(objects, config) {
        const out: Violation[] = [];
        const appIds = daprAppIds(objects);
        for (const component of objects.filter((o) => objectGroupKind(o) === "dapr.io/Component")) {
            const ns = namespaceOf(component) ?? "";
            const known = appIds.get(ns) ?? new Set<string>();
            const scopes = asArray(component.scopes);
            if (scopes.length === 0 && config.requireScopes) {
                out.push(
                    makeViolation(this.id, component, config, {
                        field: "scopes",
                        problem: "the Component has no scopes, so every app in the namespace can use it",
                        fix: "list the app-ids that use the Component under scopes",
                    }),
                );
            }
            for (let i = 0; i < scopes.length; i++) {
                const scope = String(scopes[i]);
                if (!known.has(scope) && !config.knownAppIds.includes(scope)) {
                    out.push(
                        makeViolation(this.id, component, config, {
                            field: `scopes[${i}]`,
                            problem: `scope "${scope}" is not the app-id of a Dapr-enabled workload in namespace "${ns || "(none)"}" (found: ${[...known].sort().join(", ") || "none"})`,
                            fix: "use the dapr.io/app-id of an app of this stack, or list the app-id in knownAppIds",
                        }),
                    );
                }
            }
        }
        return out;
    },
});

/** CrossGuard policy for {@link daprComponentScopesRule}. */
export const daprComponentScopes = (level: EnforcementLevel = "mandatory"): StackValidationPolicy =>
    toStackPolicy(daprComponentScopesRule, level);
