import * as pulumi from "@pulumi/pulumi";
import { childName, createKubernetesObject } from "./kubernetes-object";
import type { KubernetesObject } from "./labels";

export interface KafkaClusterArgs {
    /**
     * The cluster's custom resources in creation order (Strimzi node pool, Kafka, topics from
     * `strimziObjects()`), or Redpanda's topic job from `redpandaTopicJob()`.
     */
    objects: KubernetesObject[];
    /** Bootstrap servers clients use, from `kafkaBootstrapServers()`. */
    bootstrapServers: string[];
}

/** The Kafka cluster and its topics; created after the platform release that brings their CRDs. */
export class KafkaCluster extends pulumi.ComponentResource {
    /** `host:port` list the Dapr pub/sub component connects to. */
    public readonly bootstrapServers: pulumi.Output<string[]>;

    constructor(name: string, args: KafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("todo:kafka:Cluster", name, {}, opts);
        for (const object of args.objects) {
            createKubernetesObject(childName(name, object), object, { parent: this });
        }
        this.bootstrapServers = pulumi.output(args.bootstrapServers);
        this.registerOutputs({ bootstrapServers: this.bootstrapServers });
    }
}
