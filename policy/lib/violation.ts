/**
 * Violation records, resource descriptions and exemptions.
 *
 * Every rule builds its findings with {@link makeViolation}, so each message has the same shape:
 * the resource (`Kind/namespace/name`), the container, the field, the problem, the fix and, when
 * the object carries the `todo-stack.dev/config-key` annotation, the stack config key to change.
 */
import { asRecord, asString, isUnknownValueError, KubernetesObject, peek } from "./kube";
import type { CommonConfig } from "./config";

/** Annotation listing the rules a resource is exempt from: `"<rule>[,<rule>]"`. */
export const EXEMPT_ANNOTATION = "policy.todo-stack.dev/exempt";
/** Annotation with the (mandatory, non-empty) reason for {@link EXEMPT_ANNOTATION}. */
export const EXEMPT_REASON_ANNOTATION = "policy.todo-stack.dev/exempt-reason";
/** Annotation naming the stack config key that produced the resource, e.g. `services.backend`. */
export const CONFIG_KEY_ANNOTATION = "todo-stack.dev/config-key";

/** One finding of one rule. */
export interface Violation {
    /** Rule id, e.g. `run-as-non-root`. */
    rule: string;
    /** The resource: `Kind/namespace/name`, or `Kind/name` when it has no namespace. */
    resource: string;
    /** The container's name, for container findings. */
    container?: string;
    /** Dotted path of the offending field from the object's root. */
    field: string;
    /** The full human-readable message (resource, container, field, problem, fix, config key). */
    message: string;
    /** What to change. */
    fix: string;
    /** The stack config key from the `todo-stack.dev/config-key` annotation, when present. */
    configKey?: string;
    /** The exemption reason when the finding is exempted (reported as advisory). */
    exempted?: string;
}

/** How a resource is named in messages. */
export interface ResourceDescription {
    kind: string;
    namespace?: string;
    name: string;
    /** `Kind/namespace/name` or `Kind/name`. */
    id: string;
    configKey?: string;
}

/** Identity of the object being checked, resolved by the caller (from the object or its Pulumi type). */
export interface CheckContext {
    apiVersion: string;
    kind: string;
    /** Name to use when `metadata.name` is absent or unknown (the Pulumi logical name). */
    fallbackName?: string;
}

const subjects = new WeakMap<Violation, KubernetesObject>();

/** The object a violation is about (used to attach stack-rule findings to a resource URN). */
export function subjectOf(violation: Violation): KubernetesObject | undefined {
    return subjects.get(violation);
}

function metaString(obj: KubernetesObject, key: string): { state: "absent" | "unknown" | "present"; value?: string } {
    let metadata: Record<string, unknown> | undefined;
    try {
        metadata = asRecord(obj.metadata);
    } catch (error) {
        if (isUnknownValueError(error)) {
            return { state: "unknown" };
        }
        throw error;
    }
    const peeked = peek(metadata, key);
    if (peeked.state === "present") {
        const value = asString(peeked.value);
        return value === undefined || value === "" ? { state: "absent" } : { state: "present", value };
    }
    return peeked;
}

function topString(obj: KubernetesObject, key: string): { state: "absent" | "unknown" | "present"; value?: string } {
    const peeked = peek(obj as Record<string, unknown>, key);
    if (peeked.state === "present") {
        const value = asString(peeked.value);
        return value === undefined || value === "" ? { state: "absent" } : { state: "present", value };
    }
    return peeked;
}

function annotation(obj: KubernetesObject, key: string): string | undefined {
    try {
        const annotations = asRecord(asRecord(obj.metadata)?.annotations);
        const peeked = peek(annotations, key);
        return peeked.state === "present" ? asString(peeked.value) : undefined;
    } catch (error) {
        if (isUnknownValueError(error)) {
            return undefined;
        }
        throw error;
    }
}

function podTemplateAnnotation(obj: KubernetesObject, key: string): string | undefined {
    try {
        const spec = asRecord(obj.spec);
        const template = asRecord(spec?.template) ?? asRecord(asRecord(asRecord(spec?.jobTemplate)?.spec)?.template);
        const peeked = peek(asRecord(asRecord(template?.metadata)?.annotations), key);
        return peeked.state === "present" ? asString(peeked.value) : undefined;
    } catch (error) {
        if (isUnknownValueError(error)) {
            return undefined;
        }
        throw error;
    }
}

/**
 * Describes a resource for messages. Unknown or absent names fall back to `ctx.fallbackName`;
 * an unknown namespace is shown as `<unknown>`.
 */
export function describeResource(obj: KubernetesObject, ctx?: Partial<CheckContext>): ResourceDescription {
    const kind = ctx?.kind ?? (typeof obj.kind === "string" ? obj.kind : "Object");
    // A helm.sh/v3 Release has no metadata: its release name and namespace are top-level inputs.
    const topLevel = kind === "Release" && obj.metadata === undefined;
    const name = topLevel ? topString(obj, "name") : metaString(obj, "name");
    const namespace = topLevel ? topString(obj, "namespace") : metaString(obj, "namespace");
    const displayName = name.state === "present" ? name.value! : (ctx?.fallbackName ?? "<unnamed>");
    const ns = namespace.state === "present" ? namespace.value : namespace.state === "unknown" ? "<unknown>" : undefined;
    const configKey = annotation(obj, CONFIG_KEY_ANNOTATION) ?? podTemplateAnnotation(obj, CONFIG_KEY_ANNOTATION);
    return {
        kind,
        namespace: ns,
        name: displayName,
        id: ns === undefined ? `${kind}/${displayName}` : `${kind}/${ns}/${displayName}`,
        configKey,
    };
}

/** The rules listed in an object's exemption annotation (empty when there is none). */
export function exemptRules(obj: KubernetesObject): string[] {
    const raw = annotation(obj, EXEMPT_ANNOTATION);
    return raw === undefined
        ? []
        : raw
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== "");
}

/** The exemption reason (trimmed), or `undefined` when absent or empty. */
export function exemptReason(obj: KubernetesObject): string | undefined {
    const reason = annotation(obj, EXEMPT_REASON_ANNOTATION)?.trim();
    return reason === undefined || reason === "" ? undefined : reason;
}

/**
 * Why `obj` is exempt from `rule`, or `undefined`. An annotation exemption without a reason is
 * not honoured (and `exemption-annotations` reports it). An unknown namespace while namespaces
 * are exempted rethrows the preview error rather than guessing.
 */
export function exemptionOf(rule: string, obj: KubernetesObject, config: CommonConfig): string | undefined {
    if (config.exemptNamespaces.length > 0) {
        const ns = metaString(obj, "namespace");
        if (ns.state === "unknown") {
            // Re-read the field so the SDK's UnknownValueError propagates.
            void (obj.metadata as Record<string, unknown>).namespace;
        }
        if (ns.state === "present" && config.exemptNamespaces.includes(ns.value!)) {
            return `namespace "${ns.value}" is listed in exemptNamespaces`;
        }
    }
    // An exemption that is not known yet must not turn into a (possibly false) violation.
    const annotations = asRecord(asRecord(obj.metadata)?.annotations);
    for (const key of [EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION]) {
        if (peek(annotations, key).state === "unknown") {
            void annotations![key];
        }
    }
    if (exemptRules(obj).includes(rule)) {
        return exemptReason(obj);
    }
    return undefined;
}

/** The parts of a finding a rule provides. */
export interface FindingParts {
    /** Container name, for container findings. */
    container?: string;
    /** How the container is described ("container", "init container", ...). */
    containerLabel?: string;
    /** Dotted field path from the object's root. */
    field: string;
    /** What is wrong, as a sentence without a trailing period. */
    problem: string;
    /** What to change, as a sentence without a trailing period. */
    fix: string;
}

/**
 * Builds a violation of `rule` about `subject`, applying namespace and annotation exemptions.
 */
export function makeViolation(
    rule: string,
    subject: KubernetesObject,
    config: CommonConfig,
    parts: FindingParts,
    ctx?: Partial<CheckContext>,
): Violation {
    const resource = describeResource(subject, ctx);
    const exempted = exemptionOf(rule, subject, config);
    const where = parts.container !== undefined ? ` ${parts.containerLabel ?? "container"} "${parts.container}"` : "";
    const configKey = resource.configKey !== undefined ? ` Stack config key: ${resource.configKey}.` : "";
    const body = `${resource.id}${where}: ${parts.field}: ${parts.problem}. Fix: ${parts.fix}.${configKey}`;
    const violation: Violation = {
        rule,
        resource: resource.id,
        ...(parts.container !== undefined ? { container: parts.container } : {}),
        field: parts.field,
        message: exempted !== undefined ? `exempted: ${exempted} — ${body}` : body,
        fix: parts.fix,
        ...(resource.configKey !== undefined ? { configKey: resource.configKey } : {}),
        ...(exempted !== undefined ? { exempted } : {}),
    };
    subjects.set(violation, subject);
    return violation;
}

/** Points `violation` at another object (the original of a working copy). */
export function rebindSubject(violation: Violation, subject: KubernetesObject): void {
    subjects.set(violation, subject);
}
