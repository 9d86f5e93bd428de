/**
 * `helm.sh/v3` Release inputs are safe: exact chart version, explicit name and namespace, no
 * plaintext secrets in values.
 *
 * A Release is one opaque resource to CrossGuard: the Deployments it installs are never seen by
 * the other rules, so only its inputs can be checked. `version` must be an exact semver (no
 * ranges) unless the chart is a local path; `values` is searched recursively for secret-looking
 * keys holding a literal string (pulumi.secret() values are flagged too: Release keeps merged
 * values in state and Helm in its release Secret; reference an existing Secret instead).
 *
 * @severity high
 * @topics helm, supply-chain, secrets
 * @link https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { isSecretName, isTrivialValue, secretNameConfigShape, type SecretNameConfig } from "../lib/helpers";
import { asRecord, asString, isRecord, peek } from "../lib/kube";
import { defineResourceRule } from "../lib/rule";
import { makeViolation, type FindingParts, type Violation } from "../lib/violation";

/** Exact semantic version, optionally with a leading v, pre-release and build metadata. */
export const EXACT_SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Reference-style value keys common in charts (existingSecret, passwordKey, ...), never secrets themselves. */
const REFERENCE_KEY = /^existing|(secret|key)(name|ref)$|(password|token|credential)key$/i;

function secretValuePaths(value: unknown, path: string, config: SecretNameConfig, out: string[]): void {
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            secretValuePaths(value[i], `${path}[${i}]`, config, out);
        }
        return;
    }
    if (!isRecord(value)) {
        return;
    }
    for (const [key, child] of Object.entries(value)) {
        const childPath = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}["${key}"]`;
        if (typeof child === "string") {
            if (!isTrivialValue(child) && !REFERENCE_KEY.test(key) && isSecretName(key, config)) {
                out.push(childPath);
            }
        } else {
            secretValuePaths(child, childPath, config, out);
        }
    }
}

/** The pure rule. */
export const helmReleaseInputsRule = defineResourceRule({
    scope: "resource",
    id: "helm-release-inputs",
    description: "Helm Releases pin an exact chart version, set name and namespace explicitly and keep plaintext secrets out of values.",
    severity: "high",
    topics: ["helm", "supply-chain", "secrets"],
    remediationSteps:
        "Set version to an exact chart version (1.18.3, not ^1.18 or 1.x), set name and namespace, and pass secrets as references to an existing Secret (for example auth.existingSecret) instead of values.",
    url: "https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/",
    config: ruleConfigSchema({ ...secretNameConfigShape }),
    appliesTo: (key) => key === "helm.sh/Release",
    notApplicableReason: "applies only to kubernetes:helm.sh/v3:Release",
    check(obj, config, ctx) {
        const out: Violation[] = [];
        const add = (parts: FindingParts) => out.push(makeViolation(this.id, obj, config, parts, ctx));
        const chart = asString(obj.chart) ?? "";
        const localChart = /^(\.{1,2}\/|\/|file:\/\/)/.test(chart);
        const version = peek(obj as Record<string, unknown>, "version");
        if (!localChart && version.state !== "unknown") {
            const v = version.state === "present" ? asString(version.value) : undefined;
            if (v === undefined || v === "") {
                add({ field: "version", problem: `chart "${chart}" has no version, so the newest chart is installed`, fix: "set version to an exact chart version, for example 1.18.3" });
            } else if (!EXACT_SEMVER.test(v)) {
                add({ field: "version", problem: `version "${v}" is not an exact semantic version`, fix: "pin an exact version such as 1.18.3 (no ranges, wildcards or partial versions)" });
            }
        }
        for (const key of ["name", "namespace"] as const) {
            const value = peek(obj as Record<string, unknown>, key);
            if (value.state === "absent" || (value.state === "present" && (typeof value.value !== "string" || value.value === ""))) {
                add({
                    field: key,
                    problem: key === "name" ? "name is not set, so Pulumi appends a random suffix to the release name" : "namespace is not set, so the release lands in the provider's default namespace",
                    fix: `set ${key} explicitly`,
                });
            }
        }
        const paths: string[] = [];
        secretValuePaths(asRecord(obj.values), "values", config, paths);
        for (const path of paths) {
            add({
                field: path,
                problem: "a secret-looking key holds a literal string, which ends up in Pulumi state and in Helm's release Secret",
                fix: "store the value in a Kubernetes Secret and pass its name through the chart's existingSecret-style value",
            });
        }
        return out;
    },
});

/** CrossGuard policy for {@link helmReleaseInputsRule}. */
export const helmReleaseInputs = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(helmReleaseInputsRule, level);
