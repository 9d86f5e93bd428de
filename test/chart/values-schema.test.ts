import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";
import { microserviceValuesSchema, renderValuesJsonSchema } from "../../components/chart-values";

const chartDir = path.join(__dirname, "..", "..", "charts", "microservice");
const ENVIRONMENTS = ["dev", "staging", "production"] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const readText = (file: string): string => readFileSync(path.join(chartDir, file), "utf8");
const readValues = (file: string): JsonObject => parseYaml(readText(file)) as JsonObject;

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Merges like Helm: maps merge key by key, everything else (lists included) is replaced. */
function helmMerge(base: JsonObject, override: JsonObject): JsonObject {
    const out: JsonObject = { ...base };
    for (const [key, value] of Object.entries(override)) {
        const current = out[key];
        out[key] = isObject(current) && isObject(value) ? helmMerge(current, value) : value;
    }
    return out;
}

/** Dotted paths of the leaves of a values tree (empty maps and lists are leaves). */
function leafPaths(tree: JsonObject, prefix = ""): string[] {
    return Object.entries(tree).flatMap(([key, value]) =>
        isObject(value) && Object.keys(value).length > 0 ? leafPaths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
    );
}

const paramPaths = (text: string): string[] => [...text.matchAll(/^\s*## @param (\S+) /gm)].map((m) => m[1]);

/** A fresh copy of values.yaml with `mutate` applied, for one-mutation-per-test cases. */
function valuesWith(mutate: (v: any) => void): JsonObject {
    const v = structuredClone(readValues("values.yaml"));
    mutate(v);
    return v;
}

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validateJsonSchema = ajv.compile(JSON.parse(readText("values.schema.json")));

const zodAccepts = (v: unknown) => microserviceValuesSchema.safeParse(v).success;
const jsonSchemaAccepts = (v: unknown) => validateJsonSchema(v) === true;
const zodIssues = (v: unknown) => microserviceValuesSchema.safeParse(v).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];

describe("values.schema.json", () => {
    it("is exactly what components/chart-values.ts generates", () => {
        const committed = readText("values.schema.json");
        const generated = renderValuesJsonSchema();
        if (committed !== generated) {
            throw new Error("charts/microservice/values.schema.json is stale: run npm run generate:schema and commit the result");
        }
    });

    it("declares JSON Schema draft-07, the draft Helm 3 validates values with", () => {
        expect(JSON.parse(readText("values.schema.json")).$schema).toBe("http://json-schema.org/draft-07/schema#");
    });

    it("closes every object it declares with additionalProperties false", () => {
        const open: string[] = [];
        const walk = (node: Json, at: string): void => {
            if (Array.isArray(node)) {
                node.forEach((n, i) => walk(n, `${at}/${i}`));
            } else if (isObject(node)) {
                if (node.type === "object" && node.properties !== undefined && node.additionalProperties !== false) {
                    open.push(at);
                }
                for (const [k, v] of Object.entries(node)) {
                    if (k !== "default" && k !== "examples") {
                        walk(v, `${at}/${k}`);
                    }
                }
            }
        };
        walk(JSON.parse(readText("values.schema.json")) as Json, "#");
        expect(open).toEqual([]);
    });

    it("uses only regular expressions without look-around, because Helm compiles them with Go's RE2", () => {
        const patterns = [...readText("values.schema.json").matchAll(/"pattern": "([^"]*)"/g)].map((m) => m[1]);
        expect(patterns.length).toBeGreaterThan(0);
        expect(patterns.filter((p) => /\(\?[=!<]/.test(p))).toEqual([]);
    });
});

describe("values files", () => {
    it("values.yaml is accepted by the zod schema and by the JSON schema", () => {
        const values = readValues("values.yaml");
        expect(zodIssues(values)).toEqual([]);
        expect(jsonSchemaAccepts(values)).toBe(true);
    });

    it.each(ENVIRONMENTS)("values.yaml merged with values-%s.yaml is accepted by the zod schema and by the JSON schema", (env) => {
        const merged = helmMerge(readValues("values.yaml"), readValues(`values-${env}.yaml`));
        expect(zodIssues(merged)).toEqual([]);
        validateJsonSchema(merged);
        expect(validateJsonSchema.errors ?? []).toEqual([]);
    });

    it("values.yaml holds exactly the zod defaults once the required keys are given", () => {
        const values = readValues("values.yaml");
        const image = values.image as JsonObject;
        const minimal = { image: { repository: image.repository, tag: image.tag }, metadata: values.metadata };
        expect(microserviceValuesSchema.parse(minimal)).toEqual(values);
        expect(microserviceValuesSchema.parse(values)).toEqual(values);
    });

    it.each(["values.yaml", ...ENVIRONMENTS.map((e) => `values-${e}.yaml`)])(
        "%s documents every value with a ## @param line",
        (file) => {
            expect(paramPaths(readText(file)).sort()).toEqual(leafPaths(readValues(file)).sort());
        },
    );

    it("README.md lists every value of values.yaml in its values table", () => {
        const readme = readText("README.md");
        const missing = paramPaths(readText("values.yaml")).filter((p) => !readme.includes(`| \`${p}\``));
        expect(missing).toEqual([]);
    });

    it("the environment files follow the environment profile (replicas, log level, pull policy, HPA, limits)", () => {
        const merged = Object.fromEntries(
            ENVIRONMENTS.map((env) => [env, microserviceValuesSchema.parse(helmMerge(readValues("values.yaml"), readValues(`values-${env}.yaml`)))]),
        );
        expect(merged.dev).toMatchObject({
            replicaCount: 1,
            logLevel: "debug",
            image: { pullPolicy: "IfNotPresent" },
            autoscaling: { enabled: false },
            resources: { limits: { cpu: "500m", memory: "512Mi" } },
        });
        expect(merged.staging).toMatchObject({
            replicaCount: 2,
            logLevel: "info",
            autoscaling: { enabled: true, targetCPUUtilizationPercentage: 70, targetMemoryUtilizationPercentage: 80 },
            resources: { limits: { cpu: "1000m", memory: "1Gi" } },
        });
        expect(merged.production).toMatchObject({
            logLevel: "info",
            image: { pullPolicy: "Always" },
            autoscaling: { enabled: true, targetCPUUtilizationPercentage: 70, targetMemoryUtilizationPercentage: 80 },
            resources: { limits: { cpu: "2000m", memory: "2Gi" } },
        });
        expect(merged.production.replicaCount).toBeGreaterThanOrEqual(3);
        expect(merged.production.autoscaling.minReplicas).toBeGreaterThanOrEqual(3);
    });
});

describe("the values schema", () => {
    // Each case is one mutation of values.yaml that both schemas must refuse.
    const rejectedByBoth: [string, (v: any) => void, RegExp][] = [
        ["an unknown top-level key", (v) => (v.replicas = 2), /replicas/],
        ["an unknown nested key", (v) => (v.probes.readiness.initialDelay = 5), /initialDelay/],
        ["a missing image tag", (v) => delete v.image.tag, /image\.tag/],
        ["the floating tag latest", (v) => (v.image.tag = "latest"), /image\.tag: must be pinned/],
        ["a tag with a slash", (v) => (v.image.tag = "feature/x"), /image\.tag/],
        ["a repository that carries a tag", (v) => (v.image.repository = "ghcr.io/acme/backend:1.0.0"), /image\.repository/],
        ["a malformed digest", (v) => (v.image.digest = "sha256:abc"), /image\.digest/],
        ["root UID 0", (v) => (v.podSecurityContext.runAsUser = 0), /podSecurityContext\.runAsUser/],
        ["runAsNonRoot false", (v) => (v.podSecurityContext.runAsNonRoot = false), /runAsNonRoot/],
        ["readOnlyRootFilesystem false (there is no escape hatch; use tmpVolume)", (v) => (v.containerSecurityContext.readOnlyRootFilesystem = false), /readOnlyRootFilesystem/],
        ["allowPrivilegeEscalation true", (v) => (v.containerSecurityContext.allowPrivilegeEscalation = true), /allowPrivilegeEscalation/],
        ["privileged true", (v) => (v.containerSecurityContext.privileged = true), /privileged/],
        ["added capabilities", (v) => (v.containerSecurityContext.capabilities.add = ["NET_ADMIN"]), /capabilities/],
        ["a capability drop list other than ALL", (v) => (v.containerSecurityContext.capabilities.drop = ["NET_RAW"]), /drop/],
        ["an unknown probe type", (v) => (v.probes.type = "exec"), /probes\.type/],
        ["a probe path without a leading slash", (v) => (v.probes.path = "healthz"), /probes\.path/],
        ["a null resource limit", (v) => (v.resources.limits.memory = null), /resources\.limits\.memory/],
        ["a malformed quantity", (v) => (v.resources.requests.cpu = "lots"), /resources\.requests\.cpu/],
        ["an unknown Service type", (v) => (v.service.type = "ExternalName"), /service\.type/],
        ["an env name that is not a variable name", (v) => (v.env["BAD-NAME"] = "x"), /env/],
        ["a non-string env value", (v) => (v.env.PORT = 8000), /env\.PORT/],
        ["a Subscription topic that breaks the topic naming rule", (v) => {
            v.dapr.enabled = true;
            v.dapr.subscriptions.done = { pubsubName: "pubsub", topic: "task-events", route: "/events" };
        }, /dapr\.subscriptions\.done\.topic/],
        ["a missing ownership annotation", (v) => delete v.metadata.owner, /metadata\.owner/],
        ["a documentation link that is not a URL", (v) => (v.metadata.documentation = "see wiki"), /metadata\.documentation/],
        ["an environment label with spaces", (v) => (v.metadata.environment = "pre prod"), /metadata\.environment/],
    ];

    it.each(rejectedByBoth)("rejects %s in zod and in the JSON schema", (_what, mutate, issue) => {
        const values = valuesWith(mutate);
        expect(zodIssues(values).join("\n")).toMatch(issue);
        expect(jsonSchemaAccepts(values)).toBe(false);
    });

    // Cross-field rules JSON Schema cannot express: zod refuses them, the templates `fail` on most.
    const rejectedByZod: [string, (v: any) => void, RegExp][] = [
        ["env repeating a secretEnv name", (v) => {
            v.env.DATABASE_URL = "x";
            v.secretEnv.DATABASE_URL = { secretName: "db", key: "url" };
        }, /secretEnv\.DATABASE_URL: environment variable DATABASE_URL is already set by env/],
        ["env overriding LOG_LEVEL", (v) => (v.env.LOG_LEVEL = "trace"), /env\.LOG_LEVEL: .*already set by logLevel/],
        ["secret.create together with secret.existingSecretName", (v) => {
            v.secret.create = true;
            v.secret.existingSecretName = "app-env";
        }, /secret\.create: create and existingSecretName \(app-env\) are mutually exclusive/],
        ["secret.stringData without secret.create", (v) => (v.secret.stringData = { TOKEN: "x" }), /secret\.stringData/],
        ["a request above its limit", (v) => (v.resources.requests.memory = "1Gi"), /resources\.requests\.memory: requests\.memory 1Gi exceeds limits\.memory 512Mi/],
        ["autoscaling.minReplicas above maxReplicas", (v) => (v.autoscaling.minReplicas = 5), /autoscaling\.minReplicas/],
        ["maxSurge and maxUnavailable both 0", (v) => (v.rollingUpdate.maxSurge = 0), /rollingUpdate\.maxSurge/],
        ["TLS without a host", (v) => {
            v.ingress.enabled = true;
            v.ingress.tls = { enabled: true, secretName: "tls" };
        }, /ingress\.tls: tls\.enabled needs both host and tls\.secretName/],
        ["a network peer without any labels", (v) => (v.networkPolicy.allowFrom.everyone = { podLabels: {}, namespaceLabels: {} }), /networkPolicy\.allowFrom\.everyone/],
        ["Dapr subscriptions while Dapr is disabled", (v) => {
            v.dapr.subscriptions.done = { pubsubName: "pubsub", topic: "todo.tasks.completed.v1", route: "/events" };
        }, /dapr\.enabled: subscriptions and components need dapr\.enabled: true/],
    ];

    it.each(rejectedByZod)("rejects %s with a message naming the key", (_what, mutate, issue) => {
        expect(zodIssues(valuesWith(mutate)).join("\n")).toMatch(issue);
    });

    it.each([
        ["resources.limits.memory", (v: any) => delete v.resources.limits.memory],
        ["containerSecurityContext.readOnlyRootFilesystem", (v: any) => delete v.containerSecurityContext.readOnlyRootFilesystem],
        ["probes.readiness", (v: any) => delete v.probes.readiness],
        ["env", (v: any) => delete v.env],
    ])("rejects values without %s in the JSON schema, so a Helm null override cannot delete a default", (_key, mutate) => {
        expect(jsonSchemaAccepts(valuesWith(mutate))).toBe(false);
    });

    it("accepts a digest, which is then used instead of the tag", () => {
        const values = valuesWith((v) => (v.image.digest = `sha256:${"a".repeat(64)}`));
        expect(zodAccepts(values)).toBe(true);
        expect(jsonSchemaAccepts(values)).toBe(true);
    });

    it("accepts percentages for rollout and disruption budgets", () => {
        const values = valuesWith((v) => {
            v.rollingUpdate = { maxSurge: "25%", maxUnavailable: "0%" };
            v.pdb.minAvailable = "50%";
        });
        expect(zodIssues(values)).toEqual([]);
        expect(jsonSchemaAccepts(values)).toBe(true);
    });

    it("accepts a full Dapr setup with subscriptions and secret-backed component metadata", () => {
        const values = valuesWith((v) => {
            v.dapr.enabled = true;
            v.dapr.subscriptions["todo.tasks.completed.v1"] = {
                pubsubName: "pubsub",
                topic: "todo.tasks.completed.v1",
                route: "/events/task-completed",
                deadLetterTopic: "todo.tasks.completed.v1.dlq",
            };
            v.dapr.components.pubsub = {
                type: "pubsub.kafka",
                version: "v1",
                metadata: { brokers: "kafka:9092", saslPassword: { secretKeyRef: { name: "kafka", key: "password" } } },
            };
        });
        expect(zodIssues(values)).toEqual([]);
        expect(jsonSchemaAccepts(values)).toBe(true);
    });

    it("accepts the minimal input a caller must give: image repository and tag plus the ownership metadata", () => {
        const values = readValues("values.yaml");
        expect(zodAccepts({ image: { repository: "ghcr.io/acme/ai-agent", tag: "2.3.1" }, metadata: values.metadata })).toBe(true);
    });
});
