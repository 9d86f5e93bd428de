/**
 * Services may only use the allowed types: ClusterIP by default, with per-namespace allowances
 * for NodePort or LoadBalancer.
 *
 * @severity high
 * @topics security, network
 * @link https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { asRecord, asString } from "../lib/kube";
import { defineResourceRule } from "../lib/rule";
import { makeViolation } from "../lib/violation";

const SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] as const;

/** The pure rule. */
export const restrictedServiceTypesRule = defineResourceRule({
    scope: "resource",
    id: "restricted-service-types",
    description: "Services use only allowed types (ClusterIP by default); NodePort and LoadBalancer need an explicit allowance.",
    severity: "high",
    topics: ["security", "network"],
    remediationSteps:
        "Use type ClusterIP and expose traffic through the ingress controller, or allow the type for the namespace in the rule's namespaceAllowances.",
    url: "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",
    config: ruleConfigSchema({
        allowedTypes: z.array(z.enum(SERVICE_TYPES)).default(["ClusterIP"]).describe("Service types allowed everywhere."),
        namespaceAllowances: z
            .record(z.string(), z.array(z.enum(SERVICE_TYPES)))
            .default({})
            .describe("Extra Service types allowed per namespace, e.g. { \"ingress\": [\"LoadBalancer\"] }."),
    }),
    appliesTo: (key) => key === "core/Service",
    notApplicableReason: "applies only to Services",
    check(obj, config, ctx) {
        const type = asString(asRecord(obj.spec)?.type) ?? "ClusterIP";
        const namespace = asString(asRecord(obj.metadata)?.namespace);
        const allowed: string[] = [...config.allowedTypes, ...(namespace !== undefined ? (config.namespaceAllowances[namespace] ?? []) : [])];
        if (allowed.includes(type)) {
            return [];
        }
        return [
            makeViolation(this.id, obj, config, {
                field: "spec.type",
                problem: `type ${type} is not allowed${namespace !== undefined ? ` in namespace "${namespace}"` : ""} (allowed: ${allowed.join(", ")})`,
                fix: `use ${allowed[0] ?? "ClusterIP"} or add ${type} to namespaceAllowances for this namespace`,
            }, ctx),
        ];
    },
});

/** CrossGuard policy for {@link restrictedServiceTypesRule}. */
export const restrictedServiceTypes = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(restrictedServiceTypesRule, level);
