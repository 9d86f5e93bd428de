import { describe, expect, it } from "@jest/globals";
import { automountServiceAccountToken } from "../policies/automount-service-account-token";
import { noHostNamespacesOrPaths } from "../policies/no-host-namespaces-or-paths";
import { noSecretLiteralsInEnv } from "../policies/no-secret-literals-in-env";
import { parseImage, pinnedImages } from "../policies/pinned-images";
import { requireProbes } from "../policies/require-probes";
import { requireResources } from "../policies/require-resources";
import { restrictedServiceTypes } from "../policies/restricted-service-types";
import { container, others, SPEC_PATH, specOf, WORKLOAD_KINDS, workloads } from "./fixtures";
import { findings, runResourcePolicy, UNKNOWN } from "./harness";

const D = workloads.Deployment;
const C0 = "spec.template.spec.containers[0]";
const clean = { violations: [], previewNotices: [] };

describe("require-probes", () => {
    const policy = requireProbes("mandatory");
    const longRunning = WORKLOAD_KINDS.filter((k) => k !== "Job" && k !== "CronJob");

    it.each(longRunning)("passes a compliant %s", async (kind) => {
        expect(await runResourcePolicy(policy, workloads[kind].type, workloads[kind].make())).toEqual(clean);
    });

    it.each(["Job", "CronJob"] as const)("is not applicable to a %s, which runs to completion", async (kind) => {
        const obj = workloads[kind].make();
        delete specOf(obj).containers[0].livenessProbe;
        expect((await runResourcePolicy(policy, workloads[kind].type, obj)).notApplicable).toMatch(/run to completion/);
    });

    it.each(longRunning)("flags a %s container without a readiness probe", async (kind) => {
        const obj = workloads[kind].make();
        delete specOf(obj).containers[0].readinessProbe;
        expect(findings(await runResourcePolicy(policy, workloads[kind].type, obj))).toEqual([`mandatory ${kind}/todo/backend app ${SPEC_PATH[kind]}.containers[0].readinessProbe`]);
    });

    it("flags a missing liveness probe", async () => {
        const obj = D.make();
        delete obj.spec.template.spec.containers[0].livenessProbe;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.livenessProbe`]);
    });

    it("flags a liveness timeout that is not above the readiness timeout", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].livenessProbe.timeoutSeconds = 1;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.livenessProbe.timeoutSeconds`]);
    });

    it("flags absent timeouts on both probes, which both default to 1", async () => {
        const obj = D.make();
        delete obj.spec.template.spec.containers[0].livenessProbe.timeoutSeconds;
        delete obj.spec.template.spec.containers[0].readinessProbe.timeoutSeconds;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.livenessProbe.timeoutSeconds`]);
    });

    it("accepts tcpSocket and grpc handlers", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].readinessProbe = { tcpSocket: { port: 8080 } };
        obj.spec.template.spec.containers[0].livenessProbe = { grpc: { port: 8080 }, timeoutSeconds: 2 };
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([]);
    });

    it("flags an exec handler unless configured", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].livenessProbe = { exec: { command: ["/healthcheck"] }, timeoutSeconds: 3 };
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.livenessProbe.exec`]);
        const configured = await runResourcePolicy(policy, D.type, obj, { config: { acceptedHandlers: ["httpGet", "exec"] } });
        expect(findings(configured)).toEqual([]);
    });

    it("flags a probe without a handler", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].readinessProbe = { periodSeconds: 5 };
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.readinessProbe`]);
    });

    it("ignores ordinary init containers but checks native sidecars", async () => {
        const obj = D.make();
        obj.spec.template.spec.initContainers = [
            { name: "migrate", image: "x:1" },
            { name: "proxy", image: "y:1", restartPolicy: "Always" },
        ];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend proxy spec.template.spec.initContainers[1].readinessProbe",
            "mandatory Deployment/todo/backend proxy spec.template.spec.initContainers[1].livenessProbe",
        ]);
    });

    it("skips a bare Pod with restartPolicy Never", async () => {
        const obj = workloads.Pod.make();
        obj.spec.restartPolicy = "Never";
        delete obj.spec.containers[0].readinessProbe;
        expect(findings(await runResourcePolicy(policy, workloads.Pod.type, obj))).toEqual([]);
    });
});

describe("require-resources", () => {
    const policy = requireResources("mandatory");

    it.each(WORKLOAD_KINDS)("passes a compliant %s", async (kind) => {
        expect(await runResourcePolicy(policy, workloads[kind].type, workloads[kind].make())).toEqual(clean);
    });

    it.each(["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"])("flags a missing %s", async (entry) => {
        const obj = D.make();
        const [section, resource] = entry.split(".");
        delete obj.spec.template.spec.containers[0].resources[section][resource];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.resources.${entry}`]);
    });

    it("flags an init container without resources, but not an ephemeral one", async () => {
        const obj = D.make();
        obj.spec.template.spec.initContainers = [{ name: "migrate", image: "x:1", resources: { requests: { cpu: "10m", memory: "16Mi" } } }];
        obj.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "busybox:1.36" }];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend migrate spec.template.spec.initContainers[0].resources.limits.cpu",
            "mandatory Deployment/todo/backend migrate spec.template.spec.initContainers[0].resources.limits.memory",
        ]);
    });

    it("allows CPU bursting when limits.cpu is not required", async () => {
        const obj = D.make();
        delete obj.spec.template.spec.containers[0].resources.limits.cpu;
        const result = await runResourcePolicy(policy, D.type, obj, { config: { require: ["requests.cpu", "requests.memory", "limits.memory"] } });
        expect(findings(result)).toEqual([]);
    });

    it("treats an unknown quantity during preview as present", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].resources.limits.memory = UNKNOWN;
        expect(await runResourcePolicy(policy, D.type, obj)).toEqual(clean);
    });
});

describe("pinned-images", () => {
    const policy = pinnedImages("mandatory");

    it.each([
        ["nginx", {}],
        ["nginx:1.27", { tag: "1.27" }],
        ["registry:5000/team/app", {}],
        ["registry:5000/team/app:2.0.1", { tag: "2.0.1" }],
        ["app@sha256:abc", { digest: "sha256:abc" }],
        ["app:1.0@sha256:abc", { tag: "1.0", digest: "sha256:abc" }],
    ])("parses %s", (image, expected) => {
        expect(parseImage(image)).toEqual(expected);
    });

    it.each(WORKLOAD_KINDS)("passes a compliant %s", async (kind) => {
        expect(await runResourcePolicy(policy, workloads[kind].type, workloads[kind].make())).toEqual(clean);
    });

    it.each(["nginx", "nginx:latest", "registry:5000/team/app", "ghcr.io/x/app:LATEST"])("flags the unpinned image %s", async (image) => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].image = image;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.image`]);
    });

    it("accepts a digest even with latest", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].image = "nginx:latest@sha256:0123";
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([]);
    });

    it("flags a tag without digest when requireDigest is set", async () => {
        const result = await runResourcePolicy(policy, D.type, D.make(), { config: { requireDigest: true } });
        expect(findings(result)).toEqual([`mandatory Deployment/todo/backend app ${C0}.image`]);
    });

    it("checks init and ephemeral containers", async () => {
        const obj = D.make();
        obj.spec.template.spec.initContainers = [{ name: "migrate", image: "migrate" }];
        obj.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "busybox:latest" }];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend migrate spec.template.spec.initContainers[0].image",
            "mandatory Deployment/todo/backend debug spec.template.spec.ephemeralContainers[0].image",
        ]);
    });

    it("does not report an image that is unknown during preview", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].image = UNKNOWN;
        const result = await runResourcePolicy(policy, D.type, obj);
        expect(result.violations).toEqual([]);
        expect(result.previewNotices).toHaveLength(1);
    });
});

describe("no-host-namespaces-or-paths", () => {
    const policy = noHostNamespacesOrPaths("mandatory");

    it.each(WORKLOAD_KINDS)("passes a compliant %s", async (kind) => {
        expect(await runResourcePolicy(policy, workloads[kind].type, workloads[kind].make())).toEqual(clean);
    });

    it.each(["hostNetwork", "hostPID", "hostIPC"])("flags %s on every kind's pod spec", async (key) => {
        for (const kind of WORKLOAD_KINDS) {
            const obj = workloads[kind].make();
            specOf(obj)[key] = true;
            expect(findings(await runResourcePolicy(policy, workloads[kind].type, obj))).toEqual([`mandatory ${kind}/todo/backend - ${SPEC_PATH[kind]}.${key}`]);
        }
    });

    it("flags a hostPath volume unless its path is allowed", async () => {
        const obj = D.make();
        obj.spec.template.spec.volumes = [{ name: "logs", hostPath: { path: "/var/log/app" } }, { name: "tmp", emptyDir: {} }];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual(["mandatory Deployment/todo/backend - spec.template.spec.volumes[0].hostPath"]);
        expect(findings(await runResourcePolicy(policy, D.type, obj, { config: { allowedHostPaths: ["/var/log"] } }))).toEqual([]);
        expect(findings(await runResourcePolicy(policy, D.type, obj, { config: { allowedHostPaths: ["/var/lo"] } }))).toHaveLength(1);
    });

    it("flags a hostPort on a container", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].ports[0].hostPort = 8080;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.ports[0].hostPort`]);
    });

    it("accepts hostNetwork: false", async () => {
        const obj = D.make();
        obj.spec.template.spec.hostNetwork = false;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([]);
    });
});

describe("no-secret-literals-in-env", () => {
    const policy = noSecretLiteralsInEnv("mandatory");
    const withEnv = (env: Array<Record<string, unknown>>) => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].env = env;
        return obj;
    };

    it.each(WORKLOAD_KINDS)("passes a compliant %s", async (kind) => {
        expect(await runResourcePolicy(policy, workloads[kind].type, workloads[kind].make())).toEqual(clean);
    });

    it.each(["DB_PASSWORD", "jwtSecret", "GITHUB_TOKEN", "stripe-api-key", "TLS_PRIVATE_KEY", "aws_credentials"])("flags the literal %s", async (name) => {
        const result = await runResourcePolicy(policy, D.type, withEnv([{ name, value: "hunter2" }]));
        expect(findings(result)).toEqual([`mandatory Deployment/todo/backend app ${C0}.env[0].value`]);
    });

    it("never repeats the secret value in the message", async () => {
        const [violation] = (await runResourcePolicy(policy, D.type, withEnv([{ name: "DB_PASSWORD", value: "hunter2" }]))).violations;
        expect(violation.message).not.toContain("hunter2");
        expect(violation.message).toContain("secretKeyRef");
    });

    it("flags a URL with inline credentials whatever the name", async () => {
        const result = await runResourcePolicy(policy, D.type, withEnv([{ name: "DATABASE_URL", value: "postgres://todo:hunter2@db:5432/todo" }]));
        expect(findings(result)).toEqual([`mandatory Deployment/todo/backend app ${C0}.env[0].value`]);
    });

    it.each([
        [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }],
        [{ name: "DATABASE_URL", value: "postgres://todo:$(DB_PASSWORD)@db:5432/todo" }],
        [{ name: "API_TOKEN_FILE", value: "/var/run/secrets/token" }],
        [{ name: "TOKEN_ISSUER_URL", value: "https://auth.example.com/token" }],
        [{ name: "ENABLE_TOKEN_AUTH", value: "true" }],
        [{ name: "DB_PASSWORD", value: "" }],
    ])("accepts %j", async (entry) => {
        expect(findings(await runResourcePolicy(policy, D.type, withEnv([entry])))).toEqual([]);
    });

    it("honours allowedNames and custom name patterns", async () => {
        const obj = withEnv([{ name: "SESSION_SALT", value: "x" }, { name: "PUBLIC_TOKEN", value: "pk_123" }]);
        const result = await runResourcePolicy(policy, D.type, obj, { config: { namePatterns: ["SALT", "TOKEN"], allowedNames: ["public_token"] } });
        expect(findings(result)).toEqual([`mandatory Deployment/todo/backend app ${C0}.env[0].value`]);
    });

    it("checks init containers", async () => {
        const obj = D.make();
        obj.spec.template.spec.initContainers = [{ ...container("migrate"), env: [{ name: "PGPASSWORD", value: "x" }] }];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual(["mandatory Deployment/todo/backend migrate spec.template.spec.initContainers[0].env[0].value"]);
    });

    it("flags ConfigMap entries with secret-looking keys or credential URLs", async () => {
        const obj = others.ConfigMap.make();
        obj.data["spring.datasource.password"] = "hunter2";
        obj.data["application.yaml"] = "kafka:\n  url: https://svc:hunter2@kafka:9093\n";
        expect(findings(await runResourcePolicy(policy, others.ConfigMap.type, obj))).toEqual([
            'mandatory ConfigMap/todo/backend-config - data["spring.datasource.password"]',
            'mandatory ConfigMap/todo/backend-config - data["application.yaml"]',
        ]);
    });

    it("is not applicable to ConfigMaps when checkConfigMaps is off", async () => {
        const result = await runResourcePolicy(policy, others.ConfigMap.type, others.ConfigMap.make(), { config: { checkConfigMaps: false } });
        expect(result.notApplicable).toBeDefined();
    });

    it("does not report an env value that is unknown during preview", async () => {
        const result = await runResourcePolicy(policy, D.type, withEnv([{ name: "DB_PASSWORD", value: UNKNOWN }]));
        expect(result.violations).toEqual([]);
        expect(result.previewNotices).toHaveLength(1);
    });
});

describe("restricted-service-types", () => {
    const policy = restrictedServiceTypes("mandatory");
    const S = others.Service;

    it("passes a ClusterIP Service and one without a type", async () => {
        expect(await runResourcePolicy(policy, S.type, S.make())).toEqual(clean);
        const untyped = S.make();
        delete untyped.spec.type;
        expect(await runResourcePolicy(policy, S.type, untyped)).toEqual(clean);
    });

    it.each(["LoadBalancer", "NodePort", "ExternalName"])("flags a %s Service", async (type) => {
        const obj = S.make();
        obj.spec.type = type;
        expect(findings(await runResourcePolicy(policy, S.type, obj))).toEqual(["mandatory Service/todo/backend - spec.type"]);
    });

    it("allows a type per namespace", async () => {
        const obj = S.make();
        obj.spec.type = "LoadBalancer";
        expect(findings(await runResourcePolicy(policy, S.type, obj, { config: { namespaceAllowances: { todo: ["LoadBalancer"] } } }))).toEqual([]);
        expect(findings(await runResourcePolicy(policy, S.type, obj, { config: { namespaceAllowances: { other: ["LoadBalancer"] } } }))).toHaveLength(1);
    });

    it("is not applicable to a Deployment", async () => {
        expect((await runResourcePolicy(policy, D.type, D.make())).notApplicable).toMatch(/Services/);
    });

    it("fails on an unknown Service type in config", async () => {
        await expect(runResourcePolicy(policy, S.type, S.make(), { config: { allowedTypes: ["Public"] } })).rejects.toThrow(/allowedTypes/);
    });
});

describe("automount-service-account-token", () => {
    const policy = automountServiceAccountToken("mandatory");

    it.each(WORKLOAD_KINDS)("flags a %s that mounts the token by default", async (kind) => {
        const obj = workloads[kind].make();
        delete specOf(obj).automountServiceAccountToken;
        expect(findings(await runResourcePolicy(policy, workloads[kind].type, obj))).toEqual([`mandatory ${kind}/todo/backend - ${SPEC_PATH[kind]}.automountServiceAccountToken`]);
    });

    it("allows a configured service account", async () => {
        const obj = D.make();
        obj.spec.template.spec.automountServiceAccountToken = true;
        obj.spec.template.spec.serviceAccountName = "operator";
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toHaveLength(1);
        expect(findings(await runResourcePolicy(policy, D.type, obj, { config: { allowedServiceAccounts: ["operator"] } }))).toEqual([]);
    });
});
