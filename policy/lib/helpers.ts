/**
 * Small helpers shared by several rules: kind lists in config, secret-looking names, URLs with
 * credentials, and the per-container loop.
 */
import { z } from "zod";
import type { CommonConfig } from "./config";
import { asRecord, groupKind, KubernetesObject } from "./kube";
import { containerLabel, containersOf, podTemplateOf, type ContainerList, type ContainerRef, type PodTemplate } from "./pod-spec";
import { makeViolation, type CheckContext, type FindingParts, type Violation } from "./violation";

/**
 * True when `groupKindKey` (`group/Kind`) is in `kinds`. Entries with a slash are `group/Kind`
 * (`apps/Deployment`, `core/Service`); bare entries match the kind in any group (`Deployment`).
 */
export function kindListed(groupKindKey: string, kinds: readonly string[]): boolean {
    const kind = groupKindKey.slice(groupKindKey.indexOf("/") + 1);
    return kinds.some((entry) => (entry.includes("/") ? entry === groupKindKey : entry === kind));
}

/** zod schema for a regular expression given as a string. */
export const regexSchema = z.string().refine(
    (value) => {
        try {
            new RegExp(value);
            return true;
        } catch {
            return false;
        }
    },
    { message: "must be a valid regular expression" },
);

/** Default name fragments that mark a value as a secret. */
export const DEFAULT_SECRET_NAME_PATTERNS = ["PASSWORD", "SECRET", "TOKEN", "API_KEY", "PRIVATE_KEY", "CREDENTIAL"];

/** Default name suffixes that mark a name as a reference to a secret rather than the secret itself. */
export const DEFAULT_REFERENCE_SUFFIXES = [
    "_FILE",
    "_PATH",
    "_DIR",
    "_NAME",
    "_REF",
    "_URL",
    "_URI",
    "_ENDPOINT",
    "_HEADER",
    "_TTL",
    "_TIMEOUT",
    "_EXPIRY",
    "_SOURCE",
    "_TYPE",
    "_MODE",
    "_PROVIDER",
    "_ENABLED",
];

/** Config properties for secret-name detection, shared by env, ConfigMap and Helm values checks. */
export const secretNameConfigShape = {
    namePatterns: z
        .array(z.string().min(1))
        .default(DEFAULT_SECRET_NAME_PATTERNS)
        .describe("Name fragments (case-insensitive, camelCase and separators normalised to '_') that mark a secret."),
    referenceSuffixes: z
        .array(z.string().min(1))
        .default(DEFAULT_REFERENCE_SUFFIXES)
        .describe("Normalised name suffixes that mark a reference to a secret (a file, a Secret name), not a secret."),
    allowedNames: z
        .array(z.string().min(1))
        .default([])
        .describe("Names (case-insensitive) never treated as secrets."),
};

/** Parsed secret-name detection config. */
export interface SecretNameConfig {
    namePatterns: string[];
    referenceSuffixes: string[];
    allowedNames: string[];
}

/** Normalises a name: camelCase boundaries and non-alphanumerics become `_`, upper-cased. */
export function normaliseName(name: string): string {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/[^A-Za-z0-9]+/g, "_")
        .toUpperCase();
}

/** True when `name` looks like it holds a secret under `config`. */
export function isSecretName(name: string, config: SecretNameConfig): boolean {
    if (config.allowedNames.some((allowed) => allowed.toLowerCase() === name.toLowerCase())) {
        return false;
    }
    const normalised = normaliseName(name);
    if (!config.namePatterns.some((pattern) => normalised.includes(normaliseName(pattern)))) {
        return false;
    }
    return !config.referenceSuffixes.some((suffix) => normalised.endsWith(normaliseName(suffix).replace(/^_?/, "_")));
}

/** True when a literal value cannot be a secret (empty, or a boolean flag). */
export function isTrivialValue(value: string): boolean {
    return /^(|true|false)$/i.test(value.trim());
}

const URL_WITH_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/([^\s:@/]+):([^\s@/]+)@/gi;
const PLACEHOLDER = /^(\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]+\})$/;

/**
 * True when `value` contains a URL with an inline password (`scheme://user:pass@host`). Passwords
 * that are only a `$(VAR)` or `${VAR}` placeholder are references, not literals.
 */
export function hasUrlCredentials(value: string): boolean {
    for (const match of value.matchAll(URL_WITH_CREDENTIALS)) {
        if (!PLACEHOLDER.test(match[2])) {
            return true;
        }
    }
    return false;
}

/** Quotes a map key for a field path: `metadata.labels["app.kubernetes.io/name"]`. */
export function keyPath(prefix: string, key: string): string {
    return `${prefix}["${key}"]`;
}

/**
 * Runs `check` for every container of the object's pod template (the lists given) and collects
 * the findings as violations of `rule`.
 */
export function checkContainers(
    rule: string,
    obj: KubernetesObject,
    config: CommonConfig,
    ctx: CheckContext,
    lists: readonly ContainerList[] | undefined,
    check: (ref: ContainerRef, template: PodTemplate) => Array<Omit<FindingParts, "container" | "containerLabel">>,
): Violation[] {
    const template = podTemplateOf(obj, groupKind(ctx.apiVersion, ctx.kind));
    if (!template) {
        return [];
    }
    const out: Violation[] = [];
    for (const ref of containersOf(template, lists)) {
        for (const part of check(ref, template)) {
            out.push(
                makeViolation(rule, obj, config, { ...part, container: ref.name, containerLabel: containerLabel(ref) }, ctx),
            );
        }
    }
    return out;
}

/** The human list of pod-bearing kinds, for not-applicable reasons. */
export const POD_BEARING_REASON = "applies only to pod-bearing kinds (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob)";

/** Namespace of an object (`undefined` when absent). */
export function namespaceOf(obj: KubernetesObject): string | undefined {
    const ns = asRecord(obj.metadata)?.namespace;
    return typeof ns === "string" && ns !== "" ? ns : undefined;
}

/** `metadata.name` of an object (`undefined` when absent). */
export function nameOf(obj: KubernetesObject): string | undefined {
    const name = asRecord(obj.metadata)?.name;
    return typeof name === "string" && name !== "" ? name : undefined;
}
