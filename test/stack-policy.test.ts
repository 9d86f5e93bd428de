import { describe, expect, it } from "@jest/globals";
import * as path from "node:path";
import { resolveChartSource, UpstreamChart } from "../components/chart-sources";
import { parseStackConfig, StackConfig } from "../components/config";
import { platformReleaseArgs } from "../components/helm-release";
import type { KubernetesObject } from "../components/labels";
import { daprChartValues, redpandaChartValues, strimziChartValues } from "../components/platform-values";
import { renderServiceValues } from "../components/service-values";
import { readStackFile } from "../components/stack-file";
import { renderStackObjects } from "../components/stack-objects";
import { evaluateObjects } from "../policy/lib/evaluate";
import { helmTemplate } from "./helm";

const root = path.join(__dirname, "..");

/** Everything the stack deploys as plain objects: direct objects, rendered service charts, platform release inputs. */
function stackObjects(config: StackConfig): KubernetesObject[] {
    const release = (chart: UpstreamChart, name: string, namespace: string, values: Record<string, unknown>): KubernetesObject => {
        const { namespace: _ns, ...args } = platformReleaseArgs({ name, namespace, chart: resolveChartSource(chart, config.charts, root), values });
        return { apiVersion: "helm.sh/v3", kind: "Release", metadata: { name, namespace }, ...args, namespace };
    };
    const releases = [release("dapr", "dapr", config.namespaces.dapr, daprChartValues(config))];
    if (config.kafka.provider === "strimzi") {
        releases.push(release("strimzi", "strimzi", config.namespaces.kafka, strimziChartValues(config)));
    } else if (config.kafka.provider === "redpanda") {
        releases.push(release("redpanda", "redpanda", config.namespaces.kafka, redpandaChartValues(config)));
    }
    const services = config.services.flatMap((service) =>
        helmTemplate(path.join(root, "charts", "microservice"), service.name, config.namespaces.apps, renderServiceValues(service, config)),
    );
    return [...renderStackObjects(config), ...services, ...releases];
}

describe.each(["dev", "staging", "prod"])("the %s stack through the policy pack", (stack) => {
    const config = parseStackConfig(readStackFile(path.join(root, `Pulumi.${stack}.yaml`), ["databaseUrl", "openaiApiKey"]), `Pulumi.${stack}.yaml`);

    it("has no mandatory violation when evaluated as prod would be", () => {
        const violations = evaluateObjects(stackObjects(config), { environment: "prod" });
        expect(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message)).toEqual([]);
    });
});

describe("a non-compliant change to our stack", () => {
    it("is caught with the config key to change", () => {
        const config = parseStackConfig(readStackFile(path.join(root, "Pulumi.dev.yaml")), "Pulumi.dev.yaml");
        const objects = stackObjects(config).map((object) =>
            object.kind === "Deployment" && object.metadata.name === "backend"
                ? { ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, team: "" } } }
                : object,
        );
        const violations = evaluateObjects(objects, { environment: "prod" }).filter((v) => v.enforcementLevel === "mandatory");
        expect(violations.map((v) => [v.rule, v.resource])).toEqual([["required-labels", "Deployment/todo/backend"]]);
    });
});
