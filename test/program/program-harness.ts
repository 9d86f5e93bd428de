import { RecordedResource, topLevelOf } from "../mocks";

/** Top-level components and, for each, the top-level components it waits for. */
export function componentEdges(resources: RecordedResource[]): Map<string, string[]> {
    const edges = new Map<string, string[]>();
    for (const resource of resources.filter((r) => !r.custom && topLevelOf(resources, r.urn) === `${r.type}::${r.name}`)) {
        const waitsFor = new Set(resource.dependencies.map((urn) => topLevelOf(resources, urn)));
        edges.set(`${resource.type}::${resource.name}`, [...waitsFor].sort());
    }
    return edges;
}

export const component = {
    namespace: (layer: string) => `todo:platform:Namespace::ns-${layer}`,
    dapr: "todo:dapr:ControlPlane::dapr",
    daprComponents: "todo:dapr:Components::dapr",
    kafkaPlatform: "todo:kafka:Platform::kafka",
    kafkaCluster: "todo:kafka:Cluster::kafka",
    service: (name: string) => `todo:app:Microservice::${name}`,
};
