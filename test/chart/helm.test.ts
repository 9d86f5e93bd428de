import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { helmBinary } from "../helm";

/**
 * Renders charts/microservice with the real helm binary and asserts behaviour on the parsed objects.
 * helm is part of the pinned toolchain: when it is missing these tests fail, they never skip.
 */

const chartDir = path.join(__dirname, "..", "..", "charts", "microservice");
const ENVIRONMENTS = ["dev", "staging", "production"] as const;
type Env = (typeof ENVIRONMENTS)[number];
const RELEASE = "backend";
const NAMESPACE = "apps";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> }; spec: any; [key: string]: any };

function runHelm(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(helmBinary(), args, { encoding: "utf8" });
    if (result.error) {
        throw result.error;
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tmpDir: string;
let overrideCount = 0;
beforeAll(() => {
    tmpDir = mkdtempSync(path.join(os.tmpdir(), "microservice-chart-"));
});
afterAll(() => {
    rmSync(tmpDir, { recursive: true, force: true });
});

/** `helm template` arguments for one environment plus extra values (written to a file, so types survive). */
function templateArgs(env: Env, overrides: object, release: string, extra: string[]): string[] {
    const file = path.join(tmpDir, `overrides-${overrideCount++}.yaml`);
    // JSON is YAML too, and cannot be misread by Helm's YAML 1.1 parser (on/off/yes/no are booleans there).
    writeFileSync(file, JSON.stringify(overrides));
    return ["template", release, chartDir, "--namespace", NAMESPACE, "-f", path.join(chartDir, `values-${env}.yaml`), "-f", file, ...extra];
}

/** Renders the chart and returns its objects; throws with helm's stderr when rendering fails. */
function render(env: Env, overrides: object = {}, release = RELEASE, extra: string[] = []): K8sObject[] {
    const { status, stdout, stderr } = runHelm(templateArgs(env, overrides, release, extra));
    if (status !== 0) {
        throw new Error(`helm template failed: ${stderr}`);
    }
    return parseAllDocuments(stdout)
        .map((doc) => doc.toJS() as K8sObject | null)
        .filter((o): o is K8sObject => o !== null);
}

/** Renders expecting failure; returns helm's stderr. */
function renderError(env: Env, overrides: object, extra: string[] = []): string {
    const { status, stderr } = runHelm(templateArgs(env, overrides, RELEASE, extra));
    expect(status).not.toBe(0);
    return stderr;
}

const ofKind = (objects: K8sObject[], kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
function one(objects: K8sObject[], kind: string): K8sObject {
    const found = ofKind(objects, kind);
    expect(found).toHaveLength(1);
    return found[0];
}
const deployment = (objects: K8sObject[]) => one(objects, "Deployment");
const container = (objects: K8sObject[]) => deployment(objects).spec.template.spec.containers[0];

const SELECTOR = { "app.kubernetes.io/name": "microservice", "app.kubernetes.io/instance": RELEASE };
const ENVIRONMENT_LABEL: Record<Env, string> = { dev: "dev", staging: "staging", production: "prod" };
const expectedLabels = (env: Env) => ({
    ...SELECTOR,
    "app.kubernetes.io/version": "1.0.0",
    "app.kubernetes.io/component": "backend",
    "app.kubernetes.io/part-of": "todo",
    "app.kubernetes.io/managed-by": "Helm",
    "helm.sh/chart": "microservice-0.1.0",
    environment: ENVIRONMENT_LABEL[env],
    team: "platform",
    "cost-center": "cc-0000",
});
const ANNOTATION_KEYS = ["description", "owner", "contact", "documentation", "incident-channel"];

const DAPR_ON = { dapr: { enabled: true } };

describe("helm lint --strict", () => {
    it.each(ENVIRONMENTS)("passes with values-%s.yaml", (env) => {
        const { status, stdout, stderr } = runHelm(["lint", "--strict", chartDir, "-f", path.join(chartDir, `values-${env}.yaml`)]);
        expect({ status, output: status === 0 ? "" : stdout + stderr }).toEqual({ status: 0, output: "" });
    });
});

describe.each(ENVIRONMENTS)("helm template with values-%s.yaml", (env) => {
    let objects: K8sObject[];
    beforeAll(() => {
        objects = render(env);
    });

    it("renders the standard objects and nothing optional", () => {
        const kinds = objects.map((o) => o.kind).sort();
        const hpa = env === "dev" ? [] : ["HorizontalPodAutoscaler"];
        expect(kinds).toEqual(["Deployment", ...hpa, "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount"].sort());
    });

    it("puts all ten labels and five ownership annotations on every object and on the pod template", () => {
        const pod = deployment(objects).spec.template.metadata;
        for (const meta of [...objects.map((o) => o.metadata), pod]) {
            expect(meta.labels).toEqual(expect.objectContaining(expectedLabels(env)));
            expect(Object.keys(meta.annotations)).toEqual(expect.arrayContaining(ANNOTATION_KEYS));
            for (const key of ANNOTATION_KEYS) {
                expect(meta.annotations[key]).toMatch(/\S/);
            }
        }
    });

    it("selects pods by name and instance only", () => {
        expect(deployment(objects).spec.selector).toEqual({ matchLabels: SELECTOR });
        expect(one(objects, "Service").spec.selector).toEqual(SELECTOR);
        expect(one(objects, "PodDisruptionBudget").spec.selector).toEqual({ matchLabels: SELECTOR });
        expect(one(objects, "NetworkPolicy").spec.podSelector).toEqual({ matchLabels: SELECTOR });
    });

    it("probes readiness and liveness over HTTP on the named port with the standard timings", () => {
        const c = container(objects);
        expect(c.ports).toEqual([{ name: "http", containerPort: 8000, protocol: "TCP" }]);
        expect(c.readinessProbe).toEqual({
            httpGet: { path: "/healthz", port: "http" },
            initialDelaySeconds: 10,
            periodSeconds: 5,
            timeoutSeconds: 3,
            failureThreshold: 3,
        });
        expect(c.livenessProbe).toEqual({
            httpGet: { path: "/healthz", port: "http" },
            initialDelaySeconds: 30,
            periodSeconds: 10,
            timeoutSeconds: 5,
            failureThreshold: 3,
        });
    });

    it("hardens the pod and the container", () => {
        const pod = deployment(objects).spec.template.spec;
        expect(pod.securityContext).toEqual({
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(container(objects).securityContext).toEqual({
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: ["ALL"] },
        });
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(pod.serviceAccountName).toBe("backend-microservice");
        expect(one(objects, "ServiceAccount").automountServiceAccountToken).toBe(false);
    });

    it("sets the environment's requests and limits", () => {
        const limits: Record<Env, object> = {
            dev: { cpu: "500m", memory: "512Mi" },
            staging: { cpu: "1000m", memory: "1Gi" },
            production: { cpu: "2000m", memory: "2Gi" },
        };
        expect(container(objects).resources.limits).toEqual(limits[env]);
        expect(container(objects).resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    });

    it("rolls out one extra pod at a time without losing capacity", () => {
        expect(deployment(objects).spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    });

    it("mounts a size-limited emptyDir at /tmp, the only writable path", () => {
        const pod = deployment(objects).spec.template.spec;
        expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
        expect(container(objects).volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    });

    it("annotates the pod template with checksum/config", () => {
        expect(deployment(objects).spec.template.metadata.annotations["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
    });

    it("autoscales on CPU 70% and memory 80% exactly when autoscaling is enabled", () => {
        const hpas = ofKind(objects, "HorizontalPodAutoscaler");
        if (env === "dev") {
            expect(hpas).toEqual([]);
            expect(deployment(objects).spec.replicas).toBe(1);
            return;
        }
        expect(hpas).toHaveLength(1);
        expect(deployment(objects).spec).not.toHaveProperty("replicas");
        const spec = hpas[0].spec;
        expect(spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "backend-microservice" });
        expect(spec.minReplicas).toBe(env === "production" ? 3 : 2);
        expect(spec.metrics).toEqual([
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
            { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
        ]);
    });

    it("keeps at least one pod available during voluntary disruptions", () => {
        expect(one(objects, "PodDisruptionBudget").spec.minAvailable).toBe(1);
    });

    it("adds no Dapr annotations while Dapr is disabled", () => {
        const annotations = Object.keys(deployment(objects).spec.template.metadata.annotations);
        expect(annotations.filter((a) => a.startsWith("dapr.io/"))).toEqual([]);
    });

    it("exposes a ClusterIP Service on port 80 targeting the named port", () => {
        const service = one(objects, "Service");
        expect(service.spec.type).toBe("ClusterIP");
        expect(service.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    });

    it("denies all ingress traffic until peers are allowed", () => {
        const policy = one(objects, "NetworkPolicy");
        expect(policy.spec.policyTypes).toEqual(["Ingress"]);
        expect(policy.spec.ingress).toEqual([]);
    });

    it("exports LOG_LEVEL and pulls the pinned image with the environment's pull policy", () => {
        const c = container(objects);
        expect(c.env).toEqual([{ name: "LOG_LEVEL", value: env === "dev" ? "debug" : "info" }]);
        expect(c.image).toBe("ghcr.io/acme/backend:1.0.0");
        expect(c.imagePullPolicy).toBe(env === "production" ? "Always" : "IfNotPresent");
    });
});

describe("helm template features", () => {
    it("injects the Dapr sidecar through annotations when dapr.enabled, with app-port defaulting to containerPort", () => {
        const annotations = deployment(render("dev", DAPR_ON)).spec.template.metadata.annotations;
        const dapr = Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith("dapr.io/")));
        expect(dapr).toEqual({
            "dapr.io/enabled": "true",
            "dapr.io/app-id": "backend-microservice",
            "dapr.io/app-port": "8000",
            "dapr.io/app-protocol": "http",
            "dapr.io/log-level": "info",
            "dapr.io/sidecar-cpu-request": "50m",
            "dapr.io/sidecar-memory-request": "64Mi",
            "dapr.io/sidecar-cpu-limit": "300m",
            "dapr.io/sidecar-memory-limit": "256Mi",
        });
    });

    it("uses an explicit Dapr app id, app port and configuration when given", () => {
        const annotations = deployment(render("dev", { dapr: { enabled: true, appId: "backend", appPort: 9000, config: "tracing" } })).spec.template.metadata.annotations;
        expect(annotations).toMatchObject({ "dapr.io/app-id": "backend", "dapr.io/app-port": "9000", "dapr.io/config": "tracing" });
    });

    it("renders each subscription as a dapr.io/v2alpha1 Subscription scoped to the app id", () => {
        const objects = render("dev", {
            dapr: {
                enabled: true,
                appId: "recurring-task-service",
                subscriptions: {
                    "task-completed": {
                        pubsubName: "pubsub",
                        topic: "todo.tasks.completed.v1",
                        route: "/events/task-completed",
                        deadLetterTopic: "todo.tasks.completed.v1.dlq",
                    },
                },
            },
        });
        const subscription = one(objects, "Subscription");
        expect(subscription.apiVersion).toBe("dapr.io/v2alpha1");
        expect(subscription.metadata.name).toBe("backend-microservice-task-completed");
        expect(subscription.spec).toEqual({
            pubsubname: "pubsub",
            topic: "todo.tasks.completed.v1",
            routes: { default: "/events/task-completed" },
            deadLetterTopic: "todo.tasks.completed.v1.dlq",
        });
        expect(subscription.scopes).toEqual(["recurring-task-service"]);
        expect(subscription.metadata.labels).toMatchObject(expectedLabels("dev"));
    });

    it("renders each component as a dapr.io/v1alpha1 Component scoped to the app id, with secret references", () => {
        const objects = render("dev", {
            dapr: {
                enabled: true,
                components: {
                    statestore: {
                        type: "state.postgresql",
                        version: "v1",
                        metadata: { connectionString: { secretKeyRef: { name: "db", key: "url" } }, tableName: "state" },
                    },
                },
            },
        });
        const component = one(objects, "Component");
        expect(component.apiVersion).toBe("dapr.io/v1alpha1");
        expect(component.metadata.name).toBe("statestore");
        expect(component.spec).toEqual({
            type: "state.postgresql",
            version: "v1",
            metadata: [
                { name: "connectionString", secretKeyRef: { name: "db", key: "url" } },
                { name: "tableName", value: "state" },
            ],
        });
        expect(component.scopes).toEqual(["backend-microservice"]);
    });

    it("renders no Dapr objects when Dapr is disabled, and fails when some are declared", () => {
        expect(ofKind(render("dev"), "Subscription")).toEqual([]);
        const subscriptions = { x: { pubsubName: "pubsub", topic: "todo.tasks.created.v1", route: "/x" } };
        expect(renderError("dev", { dapr: { subscriptions } })).toMatch(/dapr\.subscriptions and dapr\.components need dapr\.enabled: true/);
    });

    it("probes with TCP connects on the named port when probes.type is tcp", () => {
        const c = container(render("dev", { probes: { type: "tcp" } }));
        expect(c.readinessProbe.tcpSocket).toEqual({ port: "http" });
        expect(c.livenessProbe.tcpSocket).toEqual({ port: "http" });
        expect(c.readinessProbe).not.toHaveProperty("httpGet");
        expect(c.livenessProbe).not.toHaveProperty("httpGet");
    });

    it("renders an Ingress to the named Service port only when enabled", () => {
        expect(ofKind(render("dev"), "Ingress")).toEqual([]);
        const ingress = one(
            render("dev", { ingress: { enabled: true, className: "nginx", host: "todo.example.com", path: "/api", tls: { enabled: true, secretName: "todo-tls" } } }),
            "Ingress",
        );
        expect(ingress.spec).toEqual({
            ingressClassName: "nginx",
            tls: [{ hosts: ["todo.example.com"], secretName: "todo-tls" }],
            rules: [
                {
                    host: "todo.example.com",
                    http: { paths: [{ path: "/api", pathType: "Prefix", backend: { service: { name: "backend-microservice", port: { name: "http" } } } }] },
                },
            ],
        });
    });

    it("loads config through a ConfigMap with envFrom and rolls the pods when it changes", () => {
        const first = render("dev", { config: { FEATURE_X: "on" } });
        const second = render("dev", { config: { FEATURE_X: "off" } });
        expect(one(first, "ConfigMap").data).toEqual({ FEATURE_X: "on" });
        expect(container(first).envFrom).toEqual([{ configMapRef: { name: "backend-microservice" } }]);
        const checksum = (objects: K8sObject[]) => deployment(objects).spec.template.metadata.annotations["checksum/config"];
        expect(checksum(first)).not.toBe(checksum(second));
        expect(ofKind(render("dev"), "ConfigMap")).toEqual([]);
    });

    it("reads secretEnv from Secret keys and an existing Secret with envFrom", () => {
        const c = container(render("dev", { env: { PORT: "8000" }, secretEnv: { DATABASE_URL: { secretName: "backend-db", key: "url" } }, secret: { existingSecretName: "backend-env" } }));
        expect(c.env).toEqual([
            { name: "LOG_LEVEL", value: "debug" },
            { name: "PORT", value: "8000" },
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "backend-db", key: "url" } } },
        ]);
        expect(c.envFrom).toEqual([{ secretRef: { name: "backend-env" } }]);
    });

    it("renders a Secret from stringData only when secret.create is set", () => {
        const objects = render("dev", { secret: { create: true, stringData: { API_TOKEN: "t0k3n" } } });
        expect(one(objects, "Secret").stringData).toEqual({ API_TOKEN: "t0k3n" });
        expect(container(objects).envFrom).toEqual([{ secretRef: { name: "backend-microservice" } }]);
        expect(deployment(objects).spec.template.metadata.annotations["checksum/secret"]).toMatch(/^[0-9a-f]{64}$/);
        expect(ofKind(render("dev"), "Secret")).toEqual([]);
    });

    it("pulls by digest when image.digest is set", () => {
        const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
        expect(container(render("dev", { image: { digest } })).image).toBe(`ghcr.io/acme/backend@${digest}`);
    });

    it("sanitises the image tag into a valid version label", () => {
        const labels = deployment(render("dev", { image: { tag: "_2.0.0-rc.1-" } })).metadata.labels;
        expect(labels["app.kubernetes.io/version"]).toBe("2.0.0-rc.1");
    });

    it("names objects <release>-<chart>, without repeating a release name that contains the chart name, and honours fullnameOverride", () => {
        expect(deployment(render("dev")).metadata.name).toBe("backend-microservice");
        expect(deployment(render("dev", {}, "microservice")).metadata.name).toBe("microservice");
        expect(deployment(render("dev", {}, "todo-microservice-a")).metadata.name).toBe("todo-microservice-a");
        expect(deployment(render("dev", { fullnameOverride: "backend" })).metadata.name).toBe("backend");
        // 53 (the longest release name) + "-" + 9 characters of the name: the cut lands after a dash.
        const name = deployment(render("dev", { nameOverride: "svcname1-x" }, "a".repeat(53))).metadata.name;
        expect(name).toBe(`${"a".repeat(53)}-svcname1`);
    });

    it("admits ingress only from the allowed peers, on the app port and the Dapr sidecar port", () => {
        const policy = one(
            render("dev", {
                dapr: { enabled: true },
                networkPolicy: {
                    allowFrom: {
                        frontend: { podLabels: { "app.kubernetes.io/name": "frontend" } },
                        ingress: { namespaceLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } },
                    },
                },
            }),
            "NetworkPolicy",
        );
        expect(policy.spec.ingress).toEqual([
            {
                from: [
                    { podSelector: { matchLabels: { "app.kubernetes.io/name": "frontend" } } },
                    { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
                ],
                ports: [
                    { port: "http", protocol: "TCP" },
                    { port: 50002, protocol: "TCP" },
                ],
            },
        ]);
    });

    it("uses the default ServiceAccount and creates none when serviceAccount.create is false", () => {
        const objects = render("dev", { serviceAccount: { create: false } });
        expect(ofKind(objects, "ServiceAccount")).toEqual([]);
        expect(deployment(objects).spec.template.spec.serviceAccountName).toBe("default");
    });

    it("keeps standard labels when podLabels try to override them, and adds the others to the pod only", () => {
        const objects = render("dev", { podLabels: { "app.kubernetes.io/name": "other", tier: "api" } });
        expect(deployment(objects).spec.template.metadata.labels).toMatchObject({ "app.kubernetes.io/name": "microservice", tier: "api" });
        expect(deployment(objects).metadata.labels).not.toHaveProperty("tier");
    });

    it("fills in the selector labels of a topology spread constraint without one", () => {
        const constraint = { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" };
        const spec = deployment(render("dev", { topologySpreadConstraints: [constraint] })).spec.template.spec;
        expect(spec.topologySpreadConstraints).toEqual([{ ...constraint, labelSelector: { matchLabels: SELECTOR } }]);
    });
});

describe("helm schema validation", () => {
    it("rejects the floating tag latest", () => {
        expect(renderError("dev", { image: { tag: "latest" } })).toMatch(/\/image\/tag/);
    });

    it("rejects an unknown key", () => {
        expect(renderError("dev", { image: { name: "x" } })).toMatch(/additional properties 'name' not allowed/);
    });

    it("rejects root UID 0", () => {
        expect(renderError("dev", { podSecurityContext: { runAsUser: 0 } })).toMatch(/\/podSecurityContext\/runAsUser/);
    });

    it("rejects a null override that would delete a secure default", () => {
        const stderr = renderError("dev", {}, ["--set", "containerSecurityContext.readOnlyRootFilesystem=null"]);
        expect(stderr).toMatch(/readOnlyRootFilesystem/);
    });

    it("rejects secret.create together with secret.existingSecretName through the template guard", () => {
        expect(renderError("dev", { secret: { create: true, existingSecretName: "x" } })).toMatch(/mutually exclusive/);
    });
});
