import { describe, expect, it } from "@jest/globals";
import { buildReleaseGraph, deploymentWaves, findDependencyProblems, GraphInput, toMermaid } from "../components/release-graph";

const input: GraphInput = {
    daprEnabled: true,
    kafkaProvider: "strimzi",
    services: [
        { name: "api", dapr: true, usesKafka: true, dependsOn: [] },
        { name: "web", dapr: false, usesKafka: false, dependsOn: ["api"] },
        { name: "worker", dapr: true, usesKafka: true, dependsOn: [] },
    ],
};

describe("the release graph", () => {
    it("orders namespaces, then platform releases, then custom resources, then services", () => {
        const order = buildReleaseGraph(input).nodes.map((n) => n.id);
        const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
        before("namespace/dapr", "platform/dapr");
        before("platform/dapr", "custom-resources/dapr");
        before("platform/kafka", "custom-resources/kafka");
        before("custom-resources/kafka", "service/api");
        before("service/api", "service/web");
    });

    it("puts independent services in one wave", () => {
        const waves = deploymentWaves(buildReleaseGraph(input));
        const waveOf = (id: string) => waves.findIndex((w) => w.includes(id));
        expect(waveOf("service/api")).toBe(waveOf("service/worker"));
        expect(waveOf("service/web")).toBe(waveOf("service/api") + 1);
    });

    it("makes a service without Dapr or Kafka wait only for its namespace and dependencies", () => {
        const web = buildReleaseGraph(input).nodes.find((n) => n.id === "service/web");
        expect(web?.dependsOn).toEqual(["namespace/apps", "service/api"]);
    });

    it("has no Kafka nodes for an external Kafka", () => {
        const ids = buildReleaseGraph({ ...input, kafkaProvider: undefined }).nodes.map((n) => n.id);
        expect(ids.filter((id) => id.includes("kafka"))).toEqual([]);
    });

    it("rejects unknown, self and cyclic dependencies", () => {
        const problems = findDependencyProblems([
            { name: "a", dependsOn: ["b"] },
            { name: "b", dependsOn: ["c", "b"] },
            { name: "c", dependsOn: ["a", "ghost"] },
        ]);
        expect(problems.map((p) => p.message)).toEqual([
            "a service cannot depend on itself",
            expect.stringContaining('"ghost" is not a service'),
            "dependency cycle: a -> b -> c -> a",
        ]);
        expect(() => buildReleaseGraph({ ...input, services: [{ name: "x", dapr: false, usesKafka: false, dependsOn: ["x"] }] })).toThrow(/itself/);
    });

    it("prints Mermaid with one edge per dependency", () => {
        const mermaid = toMermaid(buildReleaseGraph(input));
        expect(mermaid).toMatch(/^flowchart LR\n/);
        expect(mermaid).toContain("service_api --> service_web");
        expect(mermaid).not.toContain("service_worker --> service_api");
    });
});
