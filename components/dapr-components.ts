import * as pulumi from "@pulumi/pulumi";
import { childName, createKubernetesObject } from "./kubernetes-object";
import type { KubernetesObject } from "./labels";

export interface DaprComponentsArgs {
    /** Pub/sub, state store, resiliency and tracing objects from `daprObjects()`. */
    objects: KubernetesObject[];
    /** The credentials Secret the components reference (metadata only; data comes from `credentials`). */
    credentialsSecret: KubernetesObject;
    /** Secret values of the credentials Secret, by key; kept as secret Outputs end to end. */
    credentials: Record<string, pulumi.Input<string>>;
}

/** The shared Dapr resources of the apps namespace; needs the Dapr CRDs of the control plane. */
export class DaprComponents extends pulumi.ComponentResource {
    constructor(name: string, args: DaprComponentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("todo:dapr:Components", name, {}, opts);
        const secret = createKubernetesObject(
            `${name}-credentials`,
            { ...args.credentialsSecret, stringData: pulumi.secret(args.credentials) },
            { parent: this },
        );
        for (const object of args.objects) {
            createKubernetesObject(childName(name, object), object, { parent: this, dependsOn: [secret] });
        }
        this.registerOutputs({});
    }
}
