/**
 * The deployment order of the stack as a pure graph: namespaces, then platform releases that
 * provide CRDs, then the custom resources that need them, then services. A service waits only
 * for what it uses, so independent services deploy in parallel. `index.ts` turns each edge into
 * a `dependsOn`; `npm run graph` prints the same graph as Mermaid.
 */

export const NodeKind = {
    Namespace: "namespace",
    Platform: "platform",
    CustomResources: "custom-resources",
    Service: "service",
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

export interface GraphNode {
    /** Stable id, e.g. `service/backend`; also the key index.ts uses to find the resource. */
    id: string;
    kind: NodeKind;
    label: string;
    /** Ids of the nodes this one waits for, sorted. */
    dependsOn: string[];
}

export interface ReleaseGraph {
    /** Nodes in a deterministic topological order: every node after all it depends on. */
    nodes: GraphNode[];
}

/** What the graph needs to know about the stack; a subset of the resolved `StackConfig`. */
export interface GraphInput {
    daprEnabled: boolean;
    /** `undefined` when Kafka is external: no platform release, no managed topics. */
    kafkaProvider?: "strimzi" | "redpanda";
    services: { name: string; dapr: boolean; usesKafka: boolean; dependsOn: string[] }[];
}

export const NodeId = {
    namespace: (layer: "dapr" | "kafka" | "apps") => `namespace/${layer}`,
    daprControlPlane: "platform/dapr",
    kafkaPlatform: "platform/kafka",
    kafkaResources: "custom-resources/kafka",
    daprComponents: "custom-resources/dapr",
    service: (name: string) => `service/${name}`,
} as const;

export interface DependencyProblem {
    service: string;
    /** The `dependsOn` entry at fault; absent for a cycle. */
    dependency?: string;
    message: string;
}

/**
 * Unknown, self and cyclic service dependencies, each with the service it belongs to.
 * Config validation reports these with their key paths before anything deploys.
 */
export function findDependencyProblems(services: { name: string; dependsOn: string[] }[]): DependencyProblem[] {
    const names = new Set(services.map((s) => s.name));
    const problems: DependencyProblem[] = [];
    for (const service of services) {
        for (const dependency of service.dependsOn) {
            if (dependency === service.name) {
                problems.push({ service: service.name, dependency, message: "a service cannot depend on itself" });
            } else if (!names.has(dependency)) {
                problems.push({
                    service: service.name,
                    dependency,
                    message: `"${dependency}" is not a service of this stack (known: ${[...names].sort().join(", ")})`,
                });
            }
        }
    }
    for (const cycle of findCycles(services.map((s) => ({ id: s.name, dependsOn: s.dependsOn.filter((d) => names.has(d) && d !== s.name) })))) {
        problems.push({ service: cycle[0], message: `dependency cycle: ${[...cycle, cycle[0]].join(" -> ")}` });
    }
    return problems;
}

/** Each elementary cycle once, rotated to start at its smallest id. */
function findCycles(nodes: { id: string; dependsOn: string[] }[]): string[][] {
    const edges = new Map(nodes.map((n) => [n.id, [...n.dependsOn].sort()]));
    const found = new Map<string, string[]>();
    const visit = (id: string, path: string[]) => {
        for (const next of edges.get(id) ?? []) {
            const at = path.indexOf(next);
            if (at >= 0) {
                const cycle = path.slice(at);
                const start = cycle.indexOf([...cycle].sort()[0]);
                const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
                found.set(rotated.join(">"), rotated);
            } else if (path.length <= nodes.length) {
                visit(next, [...path, next]);
            }
        }
    };
    for (const id of [...edges.keys()].sort()) {
        visit(id, [id]);
    }
    return [...found.values()];
}

/** Builds the graph; throws when dependencies are unknown or cyclic (config validation rejects those first). */
export function buildReleaseGraph(input: GraphInput): ReleaseGraph {
    const problems = findDependencyProblems(input.services);
    if (problems.length > 0) {
        throw new Error(problems.map((p) => `${p.service}: ${p.message}`).join("; "));
    }
    const nodes: GraphNode[] = [];
    const add = (id: string, kind: NodeKind, label: string, dependsOn: (string | false)[]) =>
        nodes.push({ id, kind, label, dependsOn: dependsOn.filter((d): d is string => d !== false).sort() });

    add(NodeId.namespace("apps"), NodeKind.Namespace, "apps namespace", []);
    if (input.daprEnabled) {
        add(NodeId.namespace("dapr"), NodeKind.Namespace, "dapr namespace", []);
        add(NodeId.daprControlPlane, NodeKind.Platform, "Dapr control plane (Helm release, CRDs)", [NodeId.namespace("dapr")]);
        add(NodeId.daprComponents, NodeKind.CustomResources, "Dapr components, resiliency, tracing", [
            NodeId.daprControlPlane,
            NodeId.namespace("apps"),
        ]);
    }
    if (input.kafkaProvider !== undefined) {
        const operator = input.kafkaProvider === "strimzi" ? "Strimzi operator (Helm release, CRDs)" : "Redpanda (Helm release)";
        const resources = input.kafkaProvider === "strimzi" ? "Kafka, node pool, topics" : "Redpanda topics";
        add(NodeId.namespace("kafka"), NodeKind.Namespace, "kafka namespace", []);
        add(NodeId.kafkaPlatform, NodeKind.Platform, operator, [NodeId.namespace("kafka")]);
        add(NodeId.kafkaResources, NodeKind.CustomResources, resources, [NodeId.kafkaPlatform]);
    }
    for (const service of input.services) {
        add(NodeId.service(service.name), NodeKind.Service, service.name, [
            NodeId.namespace("apps"),
            service.dapr && NodeId.daprControlPlane,
            service.dapr && NodeId.daprComponents,
            service.usesKafka && input.kafkaProvider !== undefined && NodeId.kafkaResources,
            ...service.dependsOn.map(NodeId.service),
        ]);
    }
    return { nodes: topologicalOrder(nodes) };
}

/** Kahn's algorithm, taking ready nodes in id order so the result is deterministic. */
function topologicalOrder(nodes: GraphNode[]): GraphNode[] {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const placed = new Set<string>();
    const ordered: GraphNode[] = [];
    while (ordered.length < nodes.length) {
        const ready = nodes
            .filter((n) => !placed.has(n.id) && n.dependsOn.every((d) => placed.has(d) || !byId.has(d)))
            .sort((a, b) => a.id.localeCompare(b.id));
        if (ready.length === 0) {
            throw new Error("release graph has a cycle");
        }
        for (const node of ready) {
            placed.add(node.id);
            ordered.push(node);
        }
    }
    return ordered;
}

/** Deploy waves: nodes in one wave do not wait for each other. */
export function deploymentWaves(graph: ReleaseGraph): string[][] {
    const wave = new Map<string, number>();
    for (const node of graph.nodes) {
        wave.set(node.id, Math.max(-1, ...node.dependsOn.map((d) => wave.get(d) ?? -1)) + 1);
    }
    const waves: string[][] = [];
    for (const [id, index] of wave) {
        (waves[index] ??= []).push(id);
    }
    return waves;
}

/** The graph as a Mermaid flowchart (for the README and `npm run graph`). */
export function toMermaid(graph: ReleaseGraph): string {
    const key = (id: string) => id.replace(/[^A-Za-z0-9]/g, "_");
    const shape: Record<NodeKind, [string, string]> = {
        namespace: ["[/", "/]"],
        platform: ["[[", "]]"],
        "custom-resources": ["{{", "}}"],
        service: ["(", ")"],
    };
    const lines = ["flowchart LR"];
    for (const node of graph.nodes) {
        const [open, close] = shape[node.kind];
        lines.push(`    ${key(node.id)}${open}"${node.label}"${close}`);
    }
    for (const node of graph.nodes) {
        for (const dependency of node.dependsOn) {
            lines.push(`    ${key(dependency)} --> ${key(node.id)}`);
        }
    }
    return lines.join("\n") + "\n";
}
