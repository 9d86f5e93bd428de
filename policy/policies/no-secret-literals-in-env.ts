/**
 * Secrets must not be written as literals into container env or ConfigMaps.
 *
 * Flags env `value` literals whose name looks like a secret (PASSWORD, SECRET, TOKEN, API_KEY,
 * PRIVATE_KEY, CREDENTIAL; camelCase and separators normalised) and any value containing a URL
 * with credentials (`scheme://user:pass@`), plus ConfigMap `data` entries with such keys or
 * values. Messages never repeat the value.
 *
 * @severity high
 * @topics security, secrets
 * @link https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { hasUrlCredentials, isSecretName, isTrivialValue, keyPath, secretNameConfigShape, type SecretNameConfig } from "../lib/helpers";
import { asArray, asRecord, asString, groupKind } from "../lib/kube";
import { containerLabel, containersOf, podTemplateOf, POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";
import { makeViolation, type Violation } from "../lib/violation";

/** What is wrong with a literal, or `undefined` when it is fine. */
export function secretLiteralProblem(name: string, value: string, config: SecretNameConfig): string | undefined {
    if (hasUrlCredentials(value)) {
        return "the value is a URL with inline credentials (scheme://user:password@…)";
    }
    if (!isTrivialValue(value) && isSecretName(name, config)) {
        return "the name looks like a secret but the value is a plaintext literal";
    }
    return undefined;
}

/** The pure rule. */
export const noSecretLiteralsInEnvRule = defineResourceRule({
    scope: "resource",
    id: "no-secret-literals-in-env",
    description: "No secret-looking env var or ConfigMap entry holds a plaintext literal or a URL with credentials.",
    severity: "high",
    topics: ["security", "secrets"],
    remediationSteps:
        "Store the value in a Kubernetes Secret and reference it with env[].valueFrom.secretKeyRef or envFrom[].secretRef; " +
        "build connection URLs from $(VAR) references to secret-backed env vars.",
    url: "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables",
    config: ruleConfigSchema({
        ...secretNameConfigShape,
        checkConfigMaps: z.boolean().default(true).describe("Also check ConfigMap data keys and values."),
    }),
    appliesTo: (key, config) => POD_BEARING_KINDS.includes(key) || (config.checkConfigMaps && key === "core/ConfigMap"),
    notApplicableReason: "applies only to pod-bearing kinds and ConfigMaps",
    check(obj, config, ctx) {
        const out: Violation[] = [];
        const key = groupKind(ctx.apiVersion, ctx.kind);
        if (key === "core/ConfigMap") {
            for (const [name, raw] of Object.entries(asRecord(obj.data) ?? {})) {
                const value = asString(raw);
                const problem = value === undefined ? undefined : secretLiteralProblem(name, value, config);
                if (problem) {
                    out.push(
                        makeViolation(this.id, obj, config, {
                            field: keyPath("data", name),
                            problem,
                            fix: "move the entry to a Secret and mount or reference it from there",
                        }, ctx),
                    );
                }
            }
            return out;
        }
        const template = podTemplateOf(obj, key);
        if (!template) {
            return out;
        }
        for (const ref of containersOf(template)) {
            const env = asArray(ref.container.env);
            for (let i = 0; i < env.length; i++) {
                const entry = asRecord(env[i]);
                const name = asString(entry?.name);
                const value = asString(entry?.value);
                if (name === undefined || value === undefined) {
                    continue;
                }
                const problem = secretLiteralProblem(name, value, config);
                if (problem) {
                    out.push(
                        makeViolation(this.id, obj, config, {
                            container: ref.name,
                            containerLabel: containerLabel(ref),
                            field: `${ref.path}.env[${i}].value`,
                            problem: `env ${name}: ${problem}`,
                            fix: `replace value with valueFrom.secretKeyRef (or envFrom.secretRef) pointing at a Secret that holds ${name}`,
                        }, ctx),
                    );
                }
            }
        }
        return out;
    },
});

/** CrossGuard policy for {@link noSecretLiteralsInEnvRule}. */
export const noSecretLiteralsInEnv = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(noSecretLiteralsInEnvRule, level);
