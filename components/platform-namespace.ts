import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childName, createKubernetesObject } from "./kubernetes-object";
import type { KubernetesObject } from "./labels";

export interface PlatformNamespaceArgs {
    /**
     * The namespace and its guard rails (from `namespaceObjects()`): the Namespace first, then
     * quota, default limits and network policies, all in it.
     */
    objects: KubernetesObject[];
}

/** One layer's namespace with ResourceQuota, LimitRange, default-deny and the allows it needs. */
export class PlatformNamespace extends pulumi.ComponentResource {
    /** The namespace name, resolved once the Namespace exists: pass it on to order dependants. */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: PlatformNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("todo:platform:Namespace", name, {}, opts);
        const [namespaceObject, ...guardRails] = args.objects;
        if (namespaceObject?.kind !== "Namespace") {
            throw new pulumi.ResourceError("PlatformNamespace: objects must start with the Namespace (use namespaceObjects())", this);
        }
        const namespace = createKubernetesObject(`${name}-namespace`, namespaceObject, { parent: this }) as k8s.core.v1.Namespace;
        for (const object of guardRails) {
            createKubernetesObject(childName(name, object), object, { parent: this, dependsOn: [namespace] });
        }
        this.name = namespace.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}
