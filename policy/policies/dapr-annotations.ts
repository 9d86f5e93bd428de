/**
 * Dapr-enabled pods carry a consistent app-id and app-port.
 *
 * When the pod template has `dapr.io/enabled: "true"`, `dapr.io/app-id` must equal the pod's
 * `app.kubernetes.io/name` label (configurable) and `dapr.io/app-port` must equal a containerPort
 * declared by one of the pod's containers. Dapr reads these annotations from the pod, so setting
 * them only on the workload's own metadata is also flagged. The injected `daprd` sidecar is added
 * at admission time and is invisible to this pack.
 *
 * @severity medium
 * @topics dapr, reliability
 * @link https://docs.dapr.io/reference/arguments-annotations-overview/
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { keyPath, POD_BEARING_REASON } from "../lib/helpers";
import { asArray, asRecord, groupKind, peek } from "../lib/kube";
import { containersOf, podTemplateOf, POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";
import { makeViolation, type FindingParts, type Violation } from "../lib/violation";

const ENABLED = "dapr.io/enabled";
const APP_ID = "dapr.io/app-id";
const APP_PORT = "dapr.io/app-port";

function known(map: Record<string, unknown> | undefined, key: string): { absent: boolean; unknown: boolean; value?: string } {
    const p = peek(map, key);
    if (p.state === "unknown") {
        return { absent: false, unknown: true };
    }
    if (p.state === "absent" || typeof p.value !== "string" || p.value.trim() === "") {
        return { absent: true, unknown: false };
    }
    return { absent: false, unknown: false, value: p.value };
}

/** The pure rule. */
export const daprAnnotationsRule = defineResourceRule({
    scope: "resource",
    id: "dapr-annotations",
    description: "Dapr-enabled pods set dapr.io/app-id to their app name label and dapr.io/app-port to a declared containerPort.",
    severity: "medium",
    topics: ["dapr", "reliability"],
    remediationSteps:
        "On the pod template set dapr.io/app-id to the value of the app.kubernetes.io/name label and dapr.io/app-port to the containerPort the app listens on.",
    url: "https://docs.dapr.io/reference/arguments-annotations-overview/",
    config: ruleConfigSchema({
        appIdLabel: z.string().min(1).default("app.kubernetes.io/name").describe("Pod label dapr.io/app-id must equal."),
        requireAppPort: z.boolean().default(true).describe("Require dapr.io/app-port on Dapr-enabled pods."),
    }),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        const template = podTemplateOf(obj, groupKind(ctx.apiVersion, ctx.kind));
        if (!template) {
            return [];
        }
        const out: Violation[] = [];
        const add = (parts: FindingParts) => out.push(makeViolation(this.id, obj, config, parts, ctx));
        const podAnnotations = asRecord(template.metadata?.annotations);
        const ownAnnotations = asRecord(asRecord(obj.metadata)?.annotations);
        const enabled = peek(podAnnotations, ENABLED);
        if (enabled.state === "unknown") {
            return [];
        }
        if (enabled.state !== "present" || enabled.value !== "true") {
            const own = peek(ownAnnotations, ENABLED);
            if (!template.isPod && own.state === "present" && own.value === "true") {
                add({
                    field: keyPath("metadata.annotations", ENABLED),
                    problem: `${ENABLED} is set on the ${ctx.kind}'s own metadata, which Dapr ignores`,
                    fix: `move the dapr.io/* annotations to ${template.metadataPath}.annotations`,
                });
            }
            return out;
        }
        const annotationsPath = `${template.metadataPath}.annotations`;
        const appId = known(podAnnotations, APP_ID);
        const label = known(asRecord(template.metadata?.labels), config.appIdLabel);
        if (appId.absent) {
            add({
                field: keyPath(annotationsPath, APP_ID),
                problem: `${ENABLED} is "true" but ${APP_ID} is missing`,
                fix: `set ${APP_ID} to the pod's ${config.appIdLabel} label`,
            });
        } else if (!appId.unknown && !label.unknown && appId.value !== label.value) {
            add({
                field: keyPath(annotationsPath, APP_ID),
                problem: label.absent
                    ? `${APP_ID} is "${appId.value}" but the pod has no ${config.appIdLabel} label to match`
                    : `${APP_ID} "${appId.value}" differs from the pod's ${config.appIdLabel} label "${label.value}"`,
                fix: `make ${APP_ID} and the ${config.appIdLabel} label equal`,
            });
        }
        const appPort = known(podAnnotations, APP_PORT);
        if (appPort.absent) {
            if (config.requireAppPort) {
                add({
                    field: keyPath(annotationsPath, APP_PORT),
                    problem: `${ENABLED} is "true" but ${APP_PORT} is missing`,
                    fix: `set ${APP_PORT} to the containerPort the app listens on`,
                });
            }
        } else if (!appPort.unknown) {
            const ports = new Set<number>();
            for (const ref of containersOf(template, ["containers"])) {
                for (const port of asArray(ref.container.ports)) {
                    const n = asRecord(port)?.containerPort;
                    if (typeof n === "number") {
                        ports.add(n);
                    }
                }
            }
            const port = Number(appPort.value);
            if (!Number.isInteger(port) || !ports.has(port)) {
                add({
                    field: keyPath(annotationsPath, APP_PORT),
                    problem: `${APP_PORT} "${appPort.value}" is not a containerPort declared by the pod's containers (declared: ${[...ports].join(", ") || "none"})`,
                    fix: `set ${APP_PORT} to a declared containerPort or declare the port on the app container`,
                });
            }
        }
        return out;
    },
});

/** CrossGuard policy for {@link daprAnnotationsRule}. */
export const daprAnnotations = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(daprAnnotationsRule, level);
