/**
 * The one pod-spec walker every container rule uses: finds the pod template of each pod-bearing
 * kind, iterates `containers`, `initContainers` and `ephemeralContainers`, and resolves the
 * effective security context with Kubernetes' inheritance rules.
 *
 * @link https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
 */
import { asArray, asRecord, asString, groupKind, KubernetesObject, Obj } from "./kube";

/** Every kind that carries a pod template, keyed by `group/Kind`, with the path to its template. */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[] | null>> = {
    // null: the object itself is the pod (metadata + spec).
    "core/Pod": null,
    "apps/Deployment": ["spec", "template"],
    "apps/StatefulSet": ["spec", "template"],
    "apps/DaemonSet": ["spec", "template"],
    "apps/ReplicaSet": ["spec", "template"],
    "batch/Job": ["spec", "template"],
    "batch/CronJob": ["spec", "jobTemplate", "spec", "template"],
};

/** `group/Kind` keys of the pod-bearing kinds. */
export const POD_BEARING_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_PATHS);

/** Run-to-completion kinds: probes are not required on them. */
export const RUN_TO_COMPLETION_KINDS: readonly string[] = ["batch/Job", "batch/CronJob"];

/** Scalable workload kinds a PDB or HPA can refer to. */
export const SCALABLE_KINDS: readonly string[] = ["apps/Deployment", "apps/StatefulSet", "apps/ReplicaSet"];

/** The pod template of an object. */
export interface PodTemplate {
    /** The pod template's metadata (for a Pod, the Pod's own metadata). */
    metadata: Obj | undefined;
    /** Dotted path of the template metadata, e.g. `spec.template.metadata`. */
    metadataPath: string;
    /** The pod spec. */
    spec: Obj | undefined;
    /** Dotted path of the pod spec, e.g. `spec.template.spec`. */
    specPath: string;
    /** True when the object is itself a Pod (its metadata is the template's metadata). */
    isPod: boolean;
}

/** True when `obj` is one of the pod-bearing kinds. */
export function isPodBearing(obj: KubernetesObject): boolean {
    return POD_BEARING_KINDS.includes(groupKind(obj.apiVersion ?? "", obj.kind ?? ""));
}

/**
 * Finds the pod template of a pod-bearing object, or `undefined` for other kinds. `key` is the
 * object's `group/Kind` (defaults to the one its apiVersion/kind give).
 */
export function podTemplateOf(obj: KubernetesObject, key: string = groupKind(obj.apiVersion ?? "", obj.kind ?? "")): PodTemplate | undefined {
    if (!(key in POD_TEMPLATE_PATHS)) {
        return undefined;
    }
    const path = POD_TEMPLATE_PATHS[key];
    if (path === null) {
        return {
            metadata: asRecord(obj.metadata),
            metadataPath: "metadata",
            spec: asRecord(obj.spec),
            specPath: "spec",
            isPod: true,
        };
    }
    let node: Obj | undefined = obj as Obj;
    for (const segment of path) {
        node = asRecord(node?.[segment]);
    }
    const prefix = path.join(".");
    return {
        metadata: asRecord(node?.metadata),
        metadataPath: `${prefix}.metadata`,
        spec: asRecord(node?.spec),
        specPath: `${prefix}.spec`,
        isPod: false,
    };
}

/** Which list of the pod spec a container comes from. */
export type ContainerList = "containers" | "initContainers" | "ephemeralContainers";

/** A container of a pod spec together with its resolved security context. */
export interface ContainerRef {
    /** The container object. */
    container: Obj;
    /** The container's name (`<unnamed>` when absent). */
    name: string;
    /** The list it comes from. */
    list: ContainerList;
    /** Dotted path of the container, e.g. `spec.template.spec.initContainers[0]`. */
    path: string;
    /** True for an init container with `restartPolicy: Always` (a native sidecar, long-running). */
    isNativeSidecar: boolean;
    /** The container's own `securityContext` (may be absent). */
    securityContext: Obj | undefined;
    /** The effective security settings after pod-level inheritance. */
    effective: EffectiveSecurity;
}

/** Where an effective setting came from. */
export type Source = "container" | "pod" | "absent";

/** A setting and where it was resolved from. */
export interface Resolved<T> {
    value: T | undefined;
    source: Source;
}

/**
 * The effective security settings of a container. `runAsNonRoot`, `runAsUser` and
 * `seccompProfile` inherit from the pod's `securityContext` (the container wins); the other
 * settings exist only per container.
 */
export interface EffectiveSecurity {
    runAsNonRoot: Resolved<boolean>;
    runAsUser: Resolved<number>;
    seccompProfileType: Resolved<string>;
    readOnlyRootFilesystem: Resolved<boolean>;
    allowPrivilegeEscalation: Resolved<boolean>;
    privileged: Resolved<boolean>;
}

function resolve<T>(container: Obj | undefined, pod: Obj | undefined, read: (ctx: Obj) => T | undefined, inherit: boolean): Resolved<T> {
    const own = container ? read(container) : undefined;
    if (own !== undefined) {
        return { value: own, source: "container" };
    }
    if (inherit && pod) {
        const inherited = read(pod);
        if (inherited !== undefined) {
            return { value: inherited, source: "pod" };
        }
    }
    return { value: undefined, source: "absent" };
}

const readBool = (key: string) => (ctx: Obj): boolean | undefined =>
    typeof ctx[key] === "boolean" ? (ctx[key] as boolean) : undefined;
const readNumber = (key: string) => (ctx: Obj): number | undefined =>
    typeof ctx[key] === "number" ? (ctx[key] as number) : undefined;
const readSeccomp = (ctx: Obj): string | undefined => asString(asRecord(ctx.seccompProfile)?.type);

/** Resolves the effective security settings of `container` in a pod with `podSecurityContext`. */
export function effectiveSecurity(container: Obj | undefined, podSecurityContext: Obj | undefined): EffectiveSecurity {
    const own = asRecord(container?.securityContext);
    return {
        runAsNonRoot: resolve(own, podSecurityContext, readBool("runAsNonRoot"), true),
        runAsUser: resolve(own, podSecurityContext, readNumber("runAsUser"), true),
        seccompProfileType: resolve(own, podSecurityContext, readSeccomp, true),
        readOnlyRootFilesystem: resolve(own, undefined, readBool("readOnlyRootFilesystem"), false),
        allowPrivilegeEscalation: resolve(own, undefined, readBool("allowPrivilegeEscalation"), false),
        privileged: resolve(own, undefined, readBool("privileged"), false),
    };
}

/**
 * Lists every container of the pod spec (`containers`, then `initContainers`, then
 * `ephemeralContainers`) with its effective security settings. Absent lists are empty.
 */
export function containersOf(template: PodTemplate, lists: readonly ContainerList[] = ["containers", "initContainers", "ephemeralContainers"]): ContainerRef[] {
    const spec = template.spec;
    if (!spec) {
        return [];
    }
    const podSecurityContext = asRecord(spec.securityContext);
    const out: ContainerRef[] = [];
    for (const list of lists) {
        const items = asArray(spec[list]);
        for (let i = 0; i < items.length; i++) {
            const container = asRecord(items[i]);
            if (!container) {
                continue;
            }
            out.push({
                container,
                name: asString(container.name) ?? "<unnamed>",
                list,
                path: `${template.specPath}.${list}[${i}]`,
                isNativeSidecar: list === "initContainers" && container.restartPolicy === "Always",
                securityContext: asRecord(container.securityContext),
                effective: effectiveSecurity(container, podSecurityContext),
            });
        }
    }
    return out;
}

/** Human label of a container list for messages ("init container", "ephemeral container", "container"). */
export function containerLabel(ref: ContainerRef): string {
    switch (ref.list) {
        case "initContainers":
            return ref.isNativeSidecar ? "init container (native sidecar)" : "init container";
        case "ephemeralContainers":
            return "ephemeral container";
        default:
            return "container";
    }
}
