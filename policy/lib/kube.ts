/**
 * Plain Kubernetes object shapes and defensive accessors shared by every rule.
 *
 * Rules read objects that may be wrapped in `@pulumi/policy`'s `unknownCheckingProxy` (during
 * `pulumi preview` a value that is not known yet throws `UnknownValueError` when read). The helpers
 * here never swallow that error except in {@link peek}, which reports it as the "unknown" state.
 */

/** A Kubernetes object as found in YAML or as Pulumi resource inputs (apiVersion/kind/metadata/...). */
export interface KubernetesObject {
    apiVersion?: string;
    kind?: string;
    metadata?: ObjectMeta;
    [field: string]: unknown;
}

/** The subset of `ObjectMeta` the rules read. */
export interface ObjectMeta {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
}

/** A record of unknown values, the shape every nested Kubernetes field is read as. */
export type Obj = Record<string, unknown>;

/** True for plain objects (not arrays, not null). */
export function isRecord(value: unknown): value is Obj {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Returns `value` when it is a plain object, otherwise `undefined`. */
export function asRecord(value: unknown): Obj | undefined {
    return isRecord(value) ? value : undefined;
}

/** Returns `value` as an array, or an empty array when it is absent or not an array. */
export function asArray(value: unknown): unknown[] {
    if (!Array.isArray(value)) {
        return [];
    }
    // Copy with an index loop: Array methods on proxied arrays go through species lookups.
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
        out.push(value[i]);
    }
    return out;
}

/** Returns `value` when it is a string, otherwise `undefined`. */
export function asString(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** True for `UnknownValueError` thrown by `@pulumi/policy`'s proxy (duck-typed to keep the CLI free of the SDK). */
export function isUnknownValueError(error: unknown): error is Error & { props: PropertyKey[] } {
    return (
        error instanceof Error &&
        "unknownTypeSentinel" in error &&
        Array.isArray((error as { props?: unknown }).props)
    );
}

/** The three states of a field during preview: absent, not known yet, or present with a value. */
export type Peeked =
    | { state: "absent" }
    | { state: "unknown" }
    | { state: "present"; value: unknown };

/**
 * Reads `obj[key]` distinguishing absent from unknown. Use where an unknown value must neither
 * abort the whole rule nor become a violation (for example a label whose value is an Output).
 */
export function peek(obj: Obj | undefined, key: string): Peeked {
    if (!obj || !Object.prototype.hasOwnProperty.call(obj, key)) {
        return { state: "absent" };
    }
    try {
        const value = obj[key];
        return value === undefined || value === null ? { state: "absent" } : { state: "present", value };
    } catch (error) {
        if (isUnknownValueError(error)) {
            return { state: "unknown" };
        }
        throw error;
    }
}

/** Splits `apiVersion` into API group ("" for the core group) and version. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
    const slash = apiVersion.indexOf("/");
    return slash < 0
        ? { group: "", version: apiVersion }
        : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * `group/Kind` key used to match kinds across versions, e.g. `apps/Deployment`, `core/Pod`,
 * `dapr.io/Component`, `helm.sh/Release`.
 */
export function groupKind(apiVersion: string, kind: string): string {
    const { group } = splitApiVersion(apiVersion);
    return `${group === "" ? "core" : group}/${kind}`;
}

/** The Pulumi type token of a Kubernetes object: `kubernetes:<group|core>/<version>:<Kind>`. */
export function pulumiTypeOf(apiVersion: string, kind: string): string {
    const { group, version } = splitApiVersion(apiVersion);
    return `kubernetes:${group === "" ? "core" : group}/${version}:${kind}`;
}

/**
 * Parses a `kubernetes:<group>/<version>:<Kind>` token into apiVersion and kind. Returns
 * `undefined` for tokens that are not Kubernetes objects (providers, components, helm v4 Chart).
 */
export function parsePulumiType(type: string): { apiVersion: string; kind: string } | undefined {
    const match = /^kubernetes:([^/:]+)\/([^/:]+):([A-Za-z0-9]+)$/.exec(type);
    if (!match) {
        return undefined;
    }
    const [, group, version, kind] = match;
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
}

/**
 * Converts Pulumi resource inputs (or outputs) of `type` to a plain Kubernetes object, filling
 * `apiVersion` and `kind` from the token when the props lack them (e.g. `kubernetes:helm.sh/v3:Release`
 * becomes `{ apiVersion: "helm.sh/v3", kind: "Release", ...inputs }`). Returns `undefined` for
 * non-Kubernetes tokens. Copies the top level only; use on plain (mocked) props, not on proxies.
 */
export function toKubernetesObject(type: string, props: Record<string, unknown>): KubernetesObject | undefined {
    const parsed = parsePulumiType(type);
    if (!parsed) {
        return undefined;
    }
    return { ...props, apiVersion: parsed.apiVersion, kind: parsed.kind };
}

/** Parses a Kubernetes quantity-free integer-or-percent value (`3`, `"3"`, `"50%"`). */
export function parseIntOrPercent(value: unknown): { kind: "int" | "percent"; value: number } | undefined {
    if (typeof value === "number" && Number.isInteger(value)) {
        return { kind: "int", value };
    }
    if (typeof value === "string") {
        const percent = /^(\d+)%$/.exec(value.trim());
        if (percent) {
            return { kind: "percent", value: Number(percent[1]) };
        }
        if (/^\d+$/.test(value.trim())) {
            return { kind: "int", value: Number(value.trim()) };
        }
    }
    return undefined;
}

/** A label selector (`matchLabels` + `matchExpressions`). */
export interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/**
 * True when `selector` selects a pod with `labels`, following Kubernetes semantics: an empty
 * selector (`{}`) selects everything, an absent selector selects nothing.
 */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
    const sel = asRecord(selector);
    if (!sel) {
        return false;
    }
    const matchLabels = asRecord(sel.matchLabels) ?? {};
    for (const [key, value] of Object.entries(matchLabels)) {
        if (labels[key] !== value) {
            return false;
        }
    }
    for (const raw of asArray(sel.matchExpressions)) {
        const expr = asRecord(raw);
        if (!expr) {
            return false;
        }
        const key = asString(expr.key) ?? "";
        const values = asArray(expr.values).map(String);
        const has = Object.prototype.hasOwnProperty.call(labels, key);
        switch (expr.operator) {
            case "In":
                if (!has || !values.includes(labels[key])) {
                    return false;
                }
                break;
            case "NotIn":
                if (has && values.includes(labels[key])) {
                    return false;
                }
                break;
            case "Exists":
                if (!has) {
                    return false;
                }
                break;
            case "DoesNotExist":
                if (has) {
                    return false;
                }
                break;
            default:
                return false;
        }
    }
    return true;
}

/** Reads string-valued map entries (labels, annotations), ignoring non-string values. */
export function stringMap(value: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    const rec = asRecord(value);
    if (!rec) {
        return out;
    }
    for (const [key, v] of Object.entries(rec)) {
        if (typeof v === "string") {
            out[key] = v;
        }
    }
    return out;
}
