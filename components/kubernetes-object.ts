import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "./labels";

/** A stable child name for an object: kind and name, never a list position. */
export const childName = (prefix: string, object: KubernetesObject) => `${prefix}-${object.kind.toLowerCase()}-${object.metadata.name}`;

/**
 * Creates one plain object as its typed Pulumi resource, so previews and policies see the real
 * kind; anything without a typed class (CRDs' kinds) becomes a CustomResource.
 */
export function createKubernetesObject(name: string, object: KubernetesObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const args = object as never;
    switch (`${object.apiVersion}/${object.kind}`) {
        case "v1/Namespace":
            return new k8s.core.v1.Namespace(name, args, opts);
        case "v1/Secret":
            return new k8s.core.v1.Secret(name, args, opts);
        case "v1/LimitRange":
            return new k8s.core.v1.LimitRange(name, args, opts);
        case "v1/ResourceQuota":
            return new k8s.core.v1.ResourceQuota(name, args, opts);
        case "networking.k8s.io/v1/NetworkPolicy":
            return new k8s.networking.v1.NetworkPolicy(name, args, opts);
        case "batch/v1/Job":
            return new k8s.batch.v1.Job(name, args, opts);
        default:
            return new k8s.apiextensions.CustomResource(name, args, opts);
    }
}
