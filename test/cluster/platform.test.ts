import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import * as path from "node:path";
import { parse } from "yaml";
import { resolveChartSource, UPSTREAM_CHARTS, type UpstreamChart } from "../../components/chart-sources";
import type { StackConfig } from "../../components/config";
import type { KubernetesObject } from "../../components/labels";
import { daprChartValues, redpandaChartValues, strimziChartValues } from "../../components/platform-values";
import { renderServiceValues } from "../../components/service-values";
import { renderStackObjects } from "../../components/stack-objects";
import {
    applyDryRun,
    asList,
    deleteNamespaces,
    helm,
    kubectl,
    kubectlJson,
    MIRROR_URL,
    REPO_ROOT,
    requireLocalCluster,
    run,
    runId,
    stackConfig,
    STACKS,
    waitFor,
    withValuesFile,
} from "./kube";

/**
 * One file on purpose: the stack's custom resources (Strimzi, Dapr) can only be validated while
 * the charts' CRDs are installed, and the last test removes them again. Jest runs the tests of a
 * file in order.
 *
 * What kwok makes impossible, and what these tests assert instead:
 * - Pods are simulated: images are never pulled, so the Dapr, Strimzi and Redpanda operators never
 *   run. Releases reach `deployed` (Helm's --wait sees Ready pods) but no custom resource is ever
 *   reconciled, so the stack's Kafka/KafkaTopic/Dapr objects are validated with a server-side dry
 *   run (schema, defaulting, admission) instead of being created and awaited.
 * - Redpanda's post-install Job "succeeds" because kwok completes Job pods; its `rpk` commands never
 *   ran. The test asserts the hook ran to Succeeded, which proves Helm's hook flow, not the config.
 * - There is no volume provisioner, so only the dev values install: Dapr's scheduler keeps state in
 *   memory (schedulerInMemory) and Redpanda runs without persistent volumes (persistentStorage
 *   false, dev's default). Staging and prod values would leave PVCs Pending and `--wait` would time
 *   out; their chart values are covered by the unit tests, their own objects by the dry runs below.
 * - Webhooks have no backend: Dapr's sidecar injector fails open (pods get no sidecar), and the
 *   Subscription v1alpha1 conversion webhook points at namespace `replaceme` until the (never
 *   running) Dapr operator patches it, so only dapr.io/v2alpha1 Subscriptions can be created.
 */

/** The upstream charts as the program installs them: release name, namespace, values. */
interface PlatformChart {
    key: UpstreamChart;
    release: string;
    namespace: string;
    values: () => Record<string, unknown>;
}

const dev = () => stackConfig("dev");
/** The dev stack with Redpanda as its Kafka provider (dev commits Strimzi); dev keeps Redpanda off persistent volumes. */
const devRedpanda = (overrides: Record<string, unknown> = {}) => stackConfig("dev", { kafka: { provider: "redpanda", ...overrides } });

const CHARTS: PlatformChart[] = [
    { key: "dapr", release: "dapr", namespace: "dapr-system", values: () => daprChartValues(dev()) },
    { key: "strimzi", release: "strimzi", namespace: "kafka", values: () => strimziChartValues(dev()) },
    { key: "redpanda", release: "redpanda", namespace: "redpanda-test", values: () => redpandaChartValues(devRedpanda()) },
];
const chart = (key: UpstreamChart) => CHARTS.find((c) => c.key === key)!;

const DAPR_CRDS = [
    "components.dapr.io",
    "configurations.dapr.io",
    "httpendpoints.dapr.io",
    "mcpservers.dapr.io",
    "resiliencies.dapr.io",
    "subscriptions.dapr.io",
    "workflowaccesspolicies.dapr.io",
];
/** Strimzi 1.2.0 ships 10 CRDs: 9 in kafka.strimzi.io and StrimziPodSet in core.strimzi.io. */
const STRIMZI_CRDS = [
    "kafkabridges.kafka.strimzi.io",
    "kafkaconnectors.kafka.strimzi.io",
    "kafkaconnects.kafka.strimzi.io",
    "kafkamirrormaker2s.kafka.strimzi.io",
    "kafkanodepools.kafka.strimzi.io",
    "kafkarebalances.kafka.strimzi.io",
    "kafkas.kafka.strimzi.io",
    "kafkatopics.kafka.strimzi.io",
    "kafkausers.kafka.strimzi.io",
    "strimzipodsets.core.strimzi.io",
];

/** Cluster-scoped kinds a chart could leave behind, plus namespaces; compared before and after. */
const CLUSTER_SCOPED = [
    "namespaces",
    "customresourcedefinitions.apiextensions.k8s.io",
    "clusterroles.rbac.authorization.k8s.io",
    "clusterrolebindings.rbac.authorization.k8s.io",
    "mutatingwebhookconfigurations.admissionregistration.k8s.io",
    "validatingwebhookconfigurations.admissionregistration.k8s.io",
    "apiservices.apiregistration.k8s.io",
    "priorityclasses.scheduling.k8s.io",
    "persistentvolumes",
    "storageclasses.storage.k8s.io",
    "ingressclasses.networking.k8s.io",
    "ipaddresses.networking.k8s.io",
];

const clusterScopedObjects = async () =>
    (await kubectl(["get", CLUSTER_SCOPED.join(","), "-o", "name"])).split("\n").filter((line) => line !== "").sort();

interface Crd {
    metadata: { name: string };
    spec: { group: string; versions: { name: string; served: boolean; storage: boolean }[] };
}

const platformCrds = async () =>
    (await kubectlJson<{ items: Crd[] }>(["get", "customresourcedefinitions"])).items.filter((crd) => /(^|\.)(dapr\.io|strimzi\.io)$/.test(crd.spec.group));

interface HelmStatus {
    info: { status: string };
    hooks?: { name: string; kind: string; events: string[]; last_run: { phase: string } }[];
}

const helmStatus = async (c: PlatformChart) => JSON.parse(await helm(["status", c.release, "--namespace", c.namespace, "-o", "json"])) as HelmStatus;

/** `helm upgrade --install` from the loopback mirror, with the settings of the program's helm.v3.Release. */
async function install(c: PlatformChart, values: Record<string, unknown>): Promise<void> {
    const source = resolveChartSource(c.key, { mirror: MIRROR_URL }, REPO_ROOT);
    expect(source.repository).toBe(MIRROR_URL);
    await withValuesFile(values, (file) =>
        helm(
            [
                "upgrade", "--install", c.release, source.chart,
                "--repo", MIRROR_URL, "--version", source.version,
                "--namespace", c.namespace, "--create-namespace",
                "--values", file,
                // platformReleaseArgs: atomic, wait for readiness; Helm always waits for hook Jobs.
                "--atomic", "--wait", "--timeout", "5m",
            ],
            { timeoutMs: 330_000 },
        ),
    );
}

/**
 * Uninstalls the releases, deletes the CRDs Helm installed from `crds/` (Helm never removes
 * those) and the namespaces. Also run first, to clear what an aborted run left behind.
 */
async function removePlatform(): Promise<void> {
    await Promise.all(
        CHARTS.map((c) =>
            helm(["uninstall", c.release, "--namespace", c.namespace, "--ignore-not-found", "--wait", "--timeout", "2m"], { timeoutMs: 150_000 }),
        ),
    );
    const crds = (await platformCrds()).map((crd) => crd.metadata.name);
    if (crds.length > 0) {
        await kubectl(["delete", "customresourcedefinitions", ...crds, "--ignore-not-found", "--wait=true", "--timeout=120s"], { timeoutMs: 150_000 });
    }
    await deleteNamespaces(CHARTS.map((c) => c.namespace));
}

/** Marks the namespaces these tests create, so a later run removes what an aborted one left. */
const TEST_LABEL = "todo-stack.dev/cluster-test";

async function markTestNamespaces(names: string[]): Promise<void> {
    await kubectl(["label", "namespace", ...names, `${TEST_LABEL}=${id}`, "--overwrite"]);
}

async function leftoverTestNamespaces(): Promise<string[]> {
    const out = await kubectl(["get", "namespaces", "-l", TEST_LABEL, "-o", "jsonpath={.items[*].metadata.name}"]);
    return out.split(/\s+/).filter((name) => name !== "");
}

/** PodSecurity admission warnings ("would violate PodSecurity") in kubectl's stderr. */
const podSecurityWarnings = (stderr: string) => stderr.split("\n").filter((line) => /would violate PodSecurity/.test(line));

const id = runId();
/** Namespaces this run creates for the dry runs; all are deleted in afterAll. */
const testNamespaces: string[] = [];

let before: string[] = [];

beforeAll(async () => {
    await requireLocalCluster();
    await Promise.all([removePlatform(), leftoverTestNamespaces().then(deleteNamespaces)]);
    before = await clusterScopedObjects();
}, 600_000);

afterAll(async () => {
    // Best effort when a test failed before the cleanup test; a no-op otherwise.
    await deleteNamespaces(testNamespaces).catch(() => undefined);
    await removePlatform().catch(() => undefined);
}, 600_000);

describe("the upstream charts", () => {
    it("are served by the chart mirror over loopback at their pinned versions", async () => {
        const response = await fetch(`${MIRROR_URL}/index.yaml`);
        expect(response.ok).toBe(true);
        const index = parse(await response.text()) as { entries: Record<string, { version: string }[]> };
        for (const pinned of Object.values(UPSTREAM_CHARTS)) {
            expect(index.entries[pinned.chart]?.map((entry) => entry.version)).toContain(pinned.version);
        }
    }, 30_000);

    it.each(CHARTS.map((c) => ({ ...c, version: UPSTREAM_CHARTS[c.key].version, chartName: UPSTREAM_CHARTS[c.key].chart })))(
        "install $chartName $version into $namespace with the dev stack's values and reach deployed",
        async (c) => {
            await install(c, c.values());
            expect((await helmStatus(c)).info.status).toBe("deployed");
            const releases = JSON.parse(await helm(["list", "--namespace", c.namespace, "--filter", `^${c.release}$`, "-o", "json"])) as { chart: string; status: string }[];
            expect(releases).toEqual([expect.objectContaining({ chart: `${c.chartName}-${c.version}`, status: "deployed" })]);
        },
        360_000,
    );

    it("create Dapr's 7 dapr.io CRDs", async () => {
        const crds = (await platformCrds()).filter((crd) => crd.spec.group === "dapr.io").map((crd) => crd.metadata.name);
        expect(crds.sort()).toEqual(DAPR_CRDS);
    }, 30_000);

    it("create Strimzi's 10 CRDs, the kafka.strimzi.io ones serving v1 only", async () => {
        const crds = (await platformCrds()).filter((crd) => crd.spec.group.endsWith("strimzi.io"));
        expect(crds.map((crd) => crd.metadata.name).sort()).toEqual(STRIMZI_CRDS);
        for (const crd of crds.filter((c) => c.spec.group === "kafka.strimzi.io")) {
            expect(crd.spec.versions.filter((v) => v.served).map((v) => v.name)).toEqual(["v1"]);
        }
    }, 30_000);

    it("run Redpanda's post-install Job hook to Succeeded (kwok completes Job pods; its commands never ran)", async () => {
        const status = await helmStatus(chart("redpanda"));
        const hooks = (status.hooks ?? []).filter((hook) => hook.kind === "Job");
        expect(hooks).toHaveLength(1);
        expect(hooks[0].events).toContain("post-install");
        expect(hooks[0].last_run.phase).toBe("Succeeded");
    }, 30_000);

    it("spread 3 Redpanda brokers over the 3 nodes despite the chart's hard pod anti-affinity", async () => {
        const redpanda = chart("redpanda");
        await install(redpanda, redpandaChartValues(devRedpanda({ brokers: 3 })));
        const statefulSet = await kubectlJson<{ spec: { template: { spec: { affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey: string }[] } } } } } }>([
            "get", "statefulset", "redpanda", "--namespace", redpanda.namespace,
        ]);
        const required = statefulSet.spec.template.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
        expect(required.map((term) => term.topologyKey)).toContain("kubernetes.io/hostname");
        const pods = await kubectlJson<{ items: { spec: { nodeName?: string } }[] }>([
            "get", "pods", "--namespace", redpanda.namespace, "-l", "app.kubernetes.io/component=redpanda-statefulset",
        ]);
        expect(pods.items).toHaveLength(3);
        expect(new Set(pods.items.map((pod) => pod.spec.nodeName)).size).toBe(3);
        expect((await helmStatus(redpanda)).info.status).toBe("deployed");
    }, 360_000);
});

/** The stack's config with namespaces unique to this run, so runs never collide. */
function uniqueStackConfig(stack: (typeof STACKS)[number]): StackConfig {
    const namespaces = { dapr: `dapr-${stack}-${id}`, kafka: `kafka-${stack}-${id}`, apps: `todo-${stack}-${id}` };
    testNamespaces.push(...Object.values(namespaces).filter((ns) => !testNamespaces.includes(ns)));
    return stackConfig(stack, { namespaces });
}

/** Creates the stack's Namespace objects for real (labels included), so namespaced dry runs can resolve them. */
async function createNamespaces(objects: KubernetesObject[]): Promise<void> {
    const namespaces = objects.filter((o) => o.kind === "Namespace");
    await kubectl(["apply", "--validate=strict", "-f", "-"], { input: asList(namespaces) });
    await markTestNamespaces(namespaces.map((o) => o.metadata.name));
}

describe.each(STACKS)("the %s stack", (stack) => {
    let config: StackConfig;
    let objects: KubernetesObject[];

    beforeAll(() => {
        config = uniqueStackConfig(stack);
        objects = renderStackObjects(config);
    });

    it("has every object of renderStackObjects accepted by the API server in a server-side dry run", async () => {
        const namespaces = objects.filter((o) => o.kind === "Namespace");
        // Self-contained: every namespaced object lives in a namespace the stack creates itself.
        const own = new Set(namespaces.map((o) => o.metadata.name));
        expect(objects.filter((o) => o.metadata.namespace !== undefined && !own.has(o.metadata.namespace))).toEqual([]);
        const fresh = await applyDryRun(asList(namespaces));
        expect(fresh.stderr).toBe("");
        expect(fresh.code).toBe(0);

        await createNamespaces(objects);
        const result = await applyDryRun(asList(objects));
        expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
        expect(result.stdout.trim().split("\n")).toHaveLength(objects.length);
        expect(podSecurityWarnings(result.stderr)).toEqual([]);
    }, 120_000);

    it("renders charts/microservice for every service into manifests the API server accepts", async () => {
        await createNamespaces(objects);
        for (const service of config.services) {
            const manifests = await withValuesFile(renderServiceValues(service, config), (file) =>
                helm(["template", service.name, path.join(REPO_ROOT, "charts", "microservice"), "--namespace", config.namespaces.apps, "--values", file]),
            );
            const documents = manifests.split(/^---\s*$/m).filter((doc) => parse(doc) !== null);
            expect(documents.length).toBeGreaterThan(0);
            const result = await applyDryRun(manifests, config.namespaces.apps);
            expect({ service: service.name, code: result.code, stderr: result.stderr }).toEqual({ service: service.name, code: 0, stderr: "" });
            expect(result.stdout.trim().split("\n")).toHaveLength(documents.length);
        }
    }, 180_000);
});

describe("the installed CRDs", () => {
    const namespace = `crd-versions-${id}`;

    beforeAll(async () => {
        testNamespaces.push(namespace);
        await kubectl(["create", "namespace", namespace]);
        await markTestNamespaces([namespace]);
    }, 60_000);

    it("refuse a Strimzi object in kafka.strimzi.io/v1beta2, which Strimzi 1.x no longer serves", async () => {
        const topic = {
            apiVersion: "kafka.strimzi.io/v1beta2",
            kind: "KafkaTopic",
            metadata: { name: "todo-tasks-created-v1", namespace, labels: { "strimzi.io/cluster": "todo-kafka" } },
            spec: { partitions: 1, replicas: 1 },
        };
        const result = await applyDryRun(JSON.stringify(topic));
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/no matches for kind "KafkaTopic" in version "kafka\.strimzi\.io\/v1beta2"/);
        // The same object in v1 is accepted: the failure is the version, not the object.
        const v1 = await applyDryRun(JSON.stringify({ ...topic, apiVersion: "kafka.strimzi.io/v1" }));
        expect({ code: v1.code, stderr: v1.stderr }).toEqual({ code: 0, stderr: "" });
    }, 60_000);

    it("accept a Dapr Subscription in dapr.io/v2alpha1", async () => {
        const subscription = {
            apiVersion: "dapr.io/v2alpha1",
            kind: "Subscription",
            metadata: { name: "task-created", namespace },
            spec: { pubsubname: "pubsub", topic: "todo.tasks.created.v1", routes: { default: "/events/task-created" } },
            scopes: ["notification-service"],
        };
        const result = await applyDryRun(JSON.stringify(subscription));
        expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
        expect(result.stdout).toMatch(/subscription\.dapr\.io\/task-created created \(server dry run\)/);
    }, 60_000);

    it("refuse a Dapr Subscription in dapr.io/v1alpha1 here, because its conversion webhook has no backend on kwok", async () => {
        const subscription = {
            apiVersion: "dapr.io/v1alpha1",
            kind: "Subscription",
            metadata: { name: "task-created-v1alpha1", namespace },
            spec: { pubsubname: "pubsub", topic: "todo.tasks.created.v1", route: "/events/task-created" },
            scopes: ["notification-service"],
        };
        const result = await run("kubectl", ["apply", "--dry-run=server", "-f", "-"], { input: JSON.stringify(subscription), timeoutMs: 60_000 });
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/conversion webhook for dapr\.io\/v1alpha1, Kind=Subscription failed/);
    }, 90_000);
});

describe("cleaning up", () => {
    it("uninstalls the charts, deletes their CRDs and every test namespace, and leaves the cluster as it was", async () => {
        await Promise.all([deleteNamespaces(testNamespaces), removePlatform()]);
        expect((await platformCrds()).map((crd) => crd.metadata.name)).toEqual([]);
        expect(await leftoverTestNamespaces()).toEqual([]);
        const releases = JSON.parse(await helm(["list", "--all-namespaces", "--all", "-o", "json"])) as { name: string }[];
        expect(releases.map((r) => r.name)).toEqual([]);
        // Service ClusterIPs (IPAddress objects) are released asynchronously; give them a moment.
        await waitFor("cluster-scoped objects to match the state before the tests", async () => {
            const after = await clusterScopedObjects();
            return after.length === before.length && after.every((name, i) => name === before[i]);
        }, 60_000).catch(() => undefined);
        expect(await clusterScopedObjects()).toEqual(before);
    }, 600_000);
});
