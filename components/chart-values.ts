import { z } from "zod";
import { TOPIC_NAME_PATTERN } from "./event-contract";

/**
 * The values of the local `charts/microservice` chart: the single source of truth.
 * `charts/microservice/values.schema.json` is generated from this schema
 * (`npm run generate:schema`), so Helm and the Pulumi program enforce the same contract.
 * Every object is strict: an unknown or misspelt key fails in zod and in Helm alike.
 * Cross-field rules (`superRefine`) only exist on the zod side; JSON Schema cannot express them.
 */

// Regular expressions are RE2-compatible (no look-around) because Helm compiles the generated
// JSON Schema patterns with Go's regexp package.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY =
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const IMAGE_REPOSITORY =
    /^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]+)?\/)?[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
/** OCI tag characters. "latest" is refused separately because RE2 has no negative look-ahead. */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^(sha256:[a-f0-9]{64})?$/;
const HTTP_PATH = /^\/[^\s]*$/;
const PERCENT = /^[0-9]{1,3}%$/;
const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

const port = (what: string) => z.int().min(1).max(65535).describe(what);
const quantity = (what: string) =>
    z.string().regex(QUANTITY, { message: "must be a Kubernetes quantity such as 500m, 1, 512Mi or 2Gi" }).describe(what);
const labelValue = (what: string) =>
    z
        .string()
        .min(1)
        .max(63)
        .regex(LABEL_VALUE, { message: "must be a Kubernetes label value (alphanumerics, '-', '_', '.')" })
        .describe(what);
const nonEmpty = (what: string) => z.string().min(1).describe(what);
const envName = z.string().regex(ENV_NAME, { message: "must be an environment variable name such as LOG_LEVEL" });
const labelMap = (what: string) =>
    z
        .record(z.string().regex(LABEL_KEY, { message: "must be a Kubernetes label key" }), z.string().max(63).regex(LABEL_VALUE))
        .default({})
        .describe(what);
const intOrPercent = (what: string) =>
    z.union([z.int().min(0).max(1_000_000), z.string().regex(PERCENT, { message: "must be a percentage such as 25%" })]).describe(what);

/** Parses a Kubernetes quantity into a number of base units, for request ≤ limit checks. */
function quantityValue(q: string): number {
    const match = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z]*)$/.exec(q);
    if (!match) {
        return Number.NaN;
    }
    const factors: Record<string, number> = {
        "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
        Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
    };
    return Number(match[1]) * (factors[match[2]] ?? Number.NaN);
}

const imageSchema = z
    .strictObject({
        repository: z
            .string()
            .min(1)
            .regex(IMAGE_REPOSITORY, { message: "must be an image repository without tag or digest, e.g. ghcr.io/acme/backend" })
            .describe("Image repository without tag or digest, e.g. ghcr.io/acme/backend."),
        tag: z
            .string()
            .regex(IMAGE_TAG, { message: "must be an OCI image tag such as 1.4.2" })
            .refine((tag) => tag !== "latest", { message: 'must be pinned: "latest" is a floating tag' })
            .meta({ not: { const: "latest" } })
            .describe('Pinned image tag (required, never "latest"); also the app.kubernetes.io/version label.'),
        digest: z
            .string()
            .regex(IMAGE_DIGEST, { message: 'must be "" or sha256:<64 hex digits>' })
            .default("")
            .describe('Optional image digest "sha256:<64 hex>"; when set the image is pulled as repository@digest.'),
        pullPolicy: z.enum(["Always", "IfNotPresent", "Never"]).default("IfNotPresent").describe("Image pull policy."),
    })
    .describe("Container image; the tag is mandatory and pinned.");

const probeTimingSchema = (what: string, d: { initialDelaySeconds: number; periodSeconds: number; timeoutSeconds: number }) =>
    z
        .strictObject({
            initialDelaySeconds: z.int().min(0).max(3600).default(d.initialDelaySeconds).describe("Seconds before the first probe."),
            periodSeconds: z.int().min(1).max(3600).default(d.periodSeconds).describe("Seconds between probes."),
            timeoutSeconds: z.int().min(1).max(3600).default(d.timeoutSeconds).describe("Seconds before a probe times out."),
            failureThreshold: z.int().min(1).max(100).default(3).describe("Consecutive failures before the probe fails."),
        })
        .prefault({})
        .describe(what);

const probesSchema = z
    .strictObject({
        type: z
            .enum(["http", "tcp"])
            .default("http")
            .describe('"http": GET probes.path on the named port; "tcp": TCP connect to the named port.'),
        path: z
            .string()
            .regex(HTTP_PATH, { message: "must be an HTTP path starting with /" })
            .default("/healthz")
            .describe("HTTP path of both probes when type is http."),
        readiness: probeTimingSchema("Readiness probe timings.", { initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3 }),
        liveness: probeTimingSchema("Liveness probe timings.", { initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 }),
    })
    .prefault({})
    .describe("Readiness and liveness probes (always both).");

const resourcesSchema = z
    .strictObject({
        requests: z
            .strictObject({
                cpu: quantity("CPU request.").default("100m"),
                memory: quantity("Memory request.").default("128Mi"),
            })
            .prefault({})
            .describe("Resource requests."),
        limits: z
            .strictObject({
                cpu: quantity("CPU limit.").default("500m"),
                memory: quantity("Memory limit.").default("512Mi"),
            })
            .prefault({})
            .describe("Resource limits."),
    })
    .superRefine((r, ctx) => {
        for (const kind of ["cpu", "memory"] as const) {
            if (quantityValue(r.requests[kind]) > quantityValue(r.limits[kind])) {
                ctx.addIssue({
                    code: "custom",
                    path: ["requests", kind],
                    message: `requests.${kind} ${r.requests[kind]} exceeds limits.${kind} ${r.limits[kind]}; lower the request or raise the limit`,
                });
            }
        }
    })
    .prefault({})
    .describe("Explicit container requests and limits (both mandatory).");

const podSecurityContextSchema = z
    .strictObject({
        runAsNonRoot: z.literal(true).default(true).describe("Always true: the pod never runs as root."),
        runAsUser: z.int().min(1).max(2147483647).default(1000).describe("Non-root UID (0 is refused)."),
        runAsGroup: z.int().min(1).max(2147483647).default(1000).describe("Non-root primary GID (0 is refused)."),
        fsGroup: z.int().min(1).max(2147483647).default(1000).describe("GID owning mounted volumes."),
        seccompProfile: z
            .strictObject({
                type: z.literal("RuntimeDefault").default("RuntimeDefault").describe("Always RuntimeDefault."),
            })
            .prefault({})
            .describe("Seccomp profile."),
    })
    .prefault({})
    .describe("Pod security context; the hardening fields are fixed (no escape hatch).");

const containerSecurityContextSchema = z
    .strictObject({
        readOnlyRootFilesystem: z
            .literal(true)
            .default(true)
            .describe("Always true; write to the /tmp emptyDir (tmpVolume) instead of the image filesystem."),
        allowPrivilegeEscalation: z.literal(false).default(false).describe("Always false."),
        privileged: z.literal(false).default(false).describe("Always false."),
        capabilities: z
            .strictObject({
                drop: z
                    .tuple([z.literal("ALL")])
                    .default(["ALL"])
                    .describe('Always ["ALL"]; adding capabilities is not supported.'),
            })
            .prefault({})
            .describe("Linux capabilities."),
    })
    .prefault({})
    .describe("Container security context; the hardening fields are fixed (no escape hatch).");

const secretSchema = z
    .strictObject({
        existingSecretName: z
            .union([z.literal(""), z.string().max(253).regex(DNS_SUBDOMAIN)])
            .default("")
            .describe("Existing Secret loaded with envFrom secretRef; empty for none."),
        create: z
            .boolean()
            .default(false)
            .describe("Render a Secret from stringData (for chart users outside the Pulumi program, which never passes plaintext)."),
        stringData: z
            .record(envName, z.string())
            .default({})
            .describe("Plaintext entries of the rendered Secret when create is true; loaded with envFrom."),
    })
    .superRefine((s, ctx) => {
        if (s.create && s.existingSecretName !== "") {
            ctx.addIssue({
                code: "custom",
                path: ["create"],
                message: `create and existingSecretName (${s.existingSecretName}) are mutually exclusive; set one of them`,
            });
        }
        if (!s.create && Object.keys(s.stringData).length > 0) {
            ctx.addIssue({ code: "custom", path: ["stringData"], message: "stringData is only used when create is true; set create: true or remove it" });
        }
    })
    .prefault({})
    .describe("Secret loaded into the container environment with envFrom.");

const serviceAccountSchema = z
    .strictObject({
        create: z.boolean().default(true).describe("Create a dedicated ServiceAccount."),
        name: z
            .union([z.literal(""), z.string().max(253).regex(DNS_SUBDOMAIN)])
            .default("")
            .describe('ServiceAccount name; "" means the fullname when create is true, else "default".'),
        automountServiceAccountToken: z
            .boolean()
            .default(false)
            .describe("Mount the API token into pods; off unless the app calls the Kubernetes API."),
    })
    .prefault({})
    .describe("ServiceAccount of the pods.");

const autoscalingSchema = z
    .strictObject({
        enabled: z.boolean().default(false).describe("Create a HorizontalPodAutoscaler (replicaCount is then ignored)."),
        minReplicas: z.int().min(1).max(1000).default(1).describe("Lower replica bound."),
        maxReplicas: z.int().min(1).max(1000).default(3).describe("Upper replica bound."),
        targetCPUUtilizationPercentage: z.int().min(1).max(100).default(70).describe("Average CPU utilisation target (% of request)."),
        targetMemoryUtilizationPercentage: z.int().min(1).max(100).default(80).describe("Average memory utilisation target (% of request)."),
    })
    .refine((a) => a.minReplicas <= a.maxReplicas, {
        path: ["minReplicas"],
        message: "minReplicas must not exceed maxReplicas",
    })
    .prefault({})
    .describe("HorizontalPodAutoscaler (autoscaling/v2) on CPU and memory.");

const networkPeerSchema = z
    .strictObject({
        podLabels: labelMap("Pods allowed in (matchLabels); {} with namespaceLabels set means every pod there."),
        namespaceLabels: labelMap("Namespaces allowed in (matchLabels); {} means the release namespace."),
    })
    .refine((p) => Object.keys(p.podLabels).length > 0 || Object.keys(p.namespaceLabels).length > 0, {
        message: "set podLabels and/or namespaceLabels; an empty peer would admit every pod of the namespace",
    })
    .describe("One allowed peer.");

const ingressSchema = z
    .strictObject({
        enabled: z.boolean().default(false).describe("Create an Ingress."),
        className: z.string().default("").describe('IngressClass name; "" uses the cluster default.'),
        host: z
            .union([z.literal(""), z.string().max(253).regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/)])
            .default("")
            .describe('Host name; "" matches every host.'),
        path: z.string().regex(HTTP_PATH, { message: "must be an HTTP path starting with /" }).default("/").describe("Path routed to the Service."),
        pathType: z.enum(["Prefix", "Exact", "ImplementationSpecific"]).default("Prefix").describe("Ingress path type."),
        tls: z
            .strictObject({
                enabled: z.boolean().default(false).describe("Terminate TLS for host."),
                secretName: z
                    .union([z.literal(""), z.string().max(253).regex(DNS_SUBDOMAIN)])
                    .default("")
                    .describe("TLS Secret name (required when tls.enabled)."),
            })
            .prefault({})
            .describe("TLS settings."),
    })
    .superRefine((i, ctx) => {
        if (i.tls.enabled && (i.host === "" || i.tls.secretName === "")) {
            ctx.addIssue({ code: "custom", path: ["tls"], message: "tls.enabled needs both host and tls.secretName" });
        }
    })
    .prefault({})
    .describe("Ingress to the Service's http port.");

const daprSubscriptionSchema = z
    .strictObject({
        pubsubName: z.string().min(1).max(253).regex(DNS_SUBDOMAIN).describe("Dapr pub/sub component name."),
        topic: z
            .string()
            .max(249)
            .regex(TOPIC_NAME_PATTERN, { message: "must follow app.domain.event-type.version, e.g. todo.tasks.created.v1" })
            .describe("Topic following app.domain.event-type.version (contracts/README.md)."),
        route: z.string().regex(HTTP_PATH, { message: "must be an HTTP path starting with /" }).describe("App route that receives the events (routes.default)."),
        deadLetterTopic: z.string().regex(KAFKA_TOPIC).optional().describe("Topic receiving events that failed delivery."),
    })
    .describe("Declarative Dapr subscription (dapr.io/v2alpha1), scoped to this app.");

const secretKeyRefSchema = z
    .strictObject({
        secretKeyRef: z
            .strictObject({
                name: z.string().min(1).describe("Secret name."),
                key: z.string().min(1).describe("Key in the Secret."),
            })
            .describe("Secret reference resolved by Dapr."),
    })
    .describe("Metadata value read from a Secret.");

const daprComponentSchema = z
    .strictObject({
        type: z.string().regex(/^[a-z0-9]+(\.[a-z0-9-]+)+$/, { message: "must be a Dapr component type such as pubsub.kafka" }).describe("Component type, e.g. pubsub.kafka."),
        version: z.string().regex(/^v[0-9]+(alpha[0-9]*|beta[0-9]*)?$/).describe("Component version, e.g. v1."),
        metadata: z
            .record(z.string().min(1), z.union([z.string(), secretKeyRefSchema]))
            .default({})
            .describe("Metadata: name -> plain string or { secretKeyRef: { name, key } }."),
    })
    .describe("Dapr component (dapr.io/v1alpha1), scoped to this app.");

const daprSchema = z
    .strictObject({
        enabled: z.boolean().default(false).describe("Inject the Dapr sidecar (pod annotations) and render subscriptions/components."),
        appId: z
            .union([z.literal(""), z.string().max(63).regex(DNS_LABEL)])
            .default("")
            .describe('Dapr app id; "" means the release fullname.'),
        appPort: z.int().min(0).max(65535).default(0).describe("Port the sidecar calls; 0 means containerPort."),
        appProtocol: z.enum(["http", "grpc", "https", "grpcs", "h2c"]).default("http").describe("Protocol between sidecar and app."),
        config: z
            .union([z.literal(""), z.string().max(253).regex(DNS_SUBDOMAIN)])
            .default("")
            .describe('Dapr Configuration resource name; "" for none.'),
        logLevel: z.enum(["debug", "info", "warn", "error"]).default("info").describe("Sidecar log level."),
        sidecar: z
            .strictObject({
                cpuRequest: quantity("Sidecar CPU request.").default("50m"),
                memoryRequest: quantity("Sidecar memory request.").default("64Mi"),
                cpuLimit: quantity("Sidecar CPU limit.").default("300m"),
                memoryLimit: quantity("Sidecar memory limit.").default("256Mi"),
            })
            .prefault({})
            .describe("Sidecar resources."),
        subscriptions: z
            .record(z.string().max(200).regex(DNS_SUBDOMAIN), daprSubscriptionSchema)
            .default({})
            .describe("Subscriptions by name (rendered as <fullname>-<name>)."),
        components: z
            .record(z.string().max(253).regex(DNS_SUBDOMAIN), daprComponentSchema)
            .default({})
            .describe("Components by Dapr component name (rendered unprefixed: apps refer to it by this name)."),
    })
    .superRefine((d, ctx) => {
        if (!d.enabled && (Object.keys(d.subscriptions).length > 0 || Object.keys(d.components).length > 0)) {
            ctx.addIssue({ code: "custom", path: ["enabled"], message: "subscriptions and components need dapr.enabled: true" });
        }
    })
    .prefault({})
    .describe("Dapr sidecar and app-scoped Dapr resources.");

const metadataSchema = z
    .strictObject({
        partOf: labelValue("Product the service belongs to (app.kubernetes.io/part-of)."),
        component: labelValue("Role of the service (app.kubernetes.io/component)."),
        environment: labelValue("Environment label, e.g. dev, staging, prod."),
        team: labelValue("Owning team label."),
        costCenter: labelValue("Cost centre label (cost-center)."),
        description: nonEmpty("What the service does (description annotation)."),
        owner: nonEmpty("Accountable owner (owner annotation)."),
        contact: nonEmpty("How to reach the owner (contact annotation)."),
        documentation: z.url().describe("Runbook or documentation URL (documentation annotation)."),
        incidentChannel: nonEmpty("Incident channel (incident-channel annotation)."),
    })
    .describe("Ownership metadata rendered as labels and annotations on every object.");

const tolerationSchema = z.strictObject({
    key: z.string().optional().describe("Taint key."),
    operator: z.enum(["Exists", "Equal"]).optional().describe("Match operator."),
    value: z.string().optional().describe("Taint value."),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional().describe("Taint effect."),
    tolerationSeconds: z.int().min(0).optional().describe("Seconds a NoExecute taint is tolerated."),
});

const labelSelectorSchema = z.strictObject({
    matchLabels: z.record(z.string().regex(LABEL_KEY), z.string().max(63).regex(LABEL_VALUE)).optional(),
    matchExpressions: z
        .array(
            z.strictObject({
                key: z.string().regex(LABEL_KEY),
                operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
                values: z.array(z.string()).optional(),
            }),
        )
        .optional(),
});

const topologySpreadConstraintSchema = z.strictObject({
    maxSkew: z.int().min(1).describe("Maximum skew between domains."),
    topologyKey: z.string().min(1).describe("Node label defining a domain."),
    whenUnsatisfiable: z.enum(["DoNotSchedule", "ScheduleAnyway"]).describe("What to do when the skew cannot be met."),
    labelSelector: labelSelectorSchema.optional().describe("Pods counted; defaults to this release's selector labels."),
    minDomains: z.int().min(1).optional(),
    nodeAffinityPolicy: z.enum(["Honor", "Ignore"]).optional(),
    nodeTaintsPolicy: z.enum(["Honor", "Ignore"]).optional(),
    matchLabelKeys: z.array(z.string()).optional(),
});

/** Opaque Kubernetes affinity blocks: passed through verbatim, validated by the API server. */
const opaqueObject = z.record(z.string(), z.unknown());

/**
 * The strict zod schema of the `charts/microservice` values. Parse with it before handing values
 * to Helm; `z.prettifyError` turns a failure into one line per bad path.
 * Only `image.repository`, `image.tag` and `metadata.*` have no default; everything else
 * defaults to the chart's `values.yaml` (a test keeps both in step).
 * @see charts/microservice/README.md
 */
export const microserviceValuesSchema = z
    .strictObject({
        nameOverride: z
            .union([z.literal(""), z.string().max(63).regex(DNS_LABEL)])
            .default("")
            .describe("Replaces the chart name in resource names."),
        fullnameOverride: z
            .union([z.literal(""), z.string().max(63).regex(DNS_LABEL)])
            .default("")
            .describe("Replaces the computed <release>-<name> fullname."),
        image: imageSchema,
        replicaCount: z.int().min(0).max(1000).default(1).describe("Replicas when autoscaling is disabled."),
        containerPort: port("Port the app listens on (container port named http).").default(8000),
        command: z.array(z.string()).default([]).describe("Overrides the image ENTRYPOINT; [] keeps it."),
        args: z.array(z.string()).default([]).describe("Overrides the image CMD; [] keeps it."),
        logLevel: z.enum(["debug", "info", "warn", "error"]).default("info").describe("App log level, exported as LOG_LEVEL."),
        env: z.record(envName, z.string()).default({}).describe("Plain, non-secret environment variables (NAME: value)."),
        config: z
            .record(envName, z.string())
            .default({})
            .describe("ConfigMap entries loaded with envFrom; changes roll the pods (checksum/config)."),
        secret: secretSchema,
        secretEnv: z
            .record(
                envName,
                z
                    .strictObject({
                        secretName: z.string().min(1).max(253).regex(DNS_SUBDOMAIN).describe("Secret name."),
                        key: z.string().min(1).max(253).regex(/^[-._a-zA-Z0-9]+$/).describe("Key in the Secret."),
                    })
                    .describe("Secret key reference."),
            )
            .default({})
            .describe("Environment variables read from Secret keys (NAME: { secretName, key })."),
        probes: probesSchema,
        resources: resourcesSchema,
        podSecurityContext: podSecurityContextSchema,
        containerSecurityContext: containerSecurityContextSchema,
        tmpVolume: z
            .strictObject({
                enabled: z.boolean().default(true).describe("Mount an emptyDir at /tmp (the only writable path)."),
                sizeLimit: quantity("emptyDir size limit.").default("64Mi"),
            })
            .prefault({})
            .describe("Writable scratch space at /tmp."),
        rollingUpdate: z
            .strictObject({
                maxSurge: intOrPercent("Extra pods during a rollout.").default(1),
                maxUnavailable: intOrPercent("Pods that may be unavailable during a rollout.").default(0),
            })
            .refine((r) => !(r.maxSurge === 0 || r.maxSurge === "0%") || !(r.maxUnavailable === 0 || r.maxUnavailable === "0%"), {
                path: ["maxSurge"],
                message: "maxSurge and maxUnavailable cannot both be 0",
            })
            .prefault({})
            .describe("RollingUpdate strategy."),
        service: z
            .strictObject({
                type: z.enum(["ClusterIP", "NodePort", "LoadBalancer"]).default("ClusterIP").describe("Service type."),
                port: port("Service port (targets the http container port).").default(80),
            })
            .prefault({})
            .describe("Service in front of the pods."),
        serviceAccount: serviceAccountSchema,
        autoscaling: autoscalingSchema,
        pdb: z
            .strictObject({
                create: z.boolean().default(true).describe("Create a PodDisruptionBudget."),
                minAvailable: intOrPercent("Pods that must stay available during voluntary disruptions.").default(1),
            })
            .prefault({})
            .describe("PodDisruptionBudget (policy/v1)."),
        networkPolicy: z
            .strictObject({
                enabled: z.boolean().default(true).describe("Create a NetworkPolicy restricting ingress to the pods."),
                allowFrom: z
                    .record(z.string().regex(DNS_LABEL), networkPeerSchema)
                    .default({})
                    .describe("Peers allowed to reach containerPort (and the Dapr sidecar port); {} denies all ingress."),
            })
            .prefault({})
            .describe("Ingress NetworkPolicy (egress is not restricted)."),
        ingress: ingressSchema,
        dapr: daprSchema,
        metadata: metadataSchema,
        podAnnotations: z.record(z.string().regex(LABEL_KEY), z.string()).default({}).describe("Extra pod annotations."),
        podLabels: labelMap("Extra pod labels (never used in selectors)."),
        nodeSelector: z.record(z.string().regex(LABEL_KEY), z.string().max(63).regex(LABEL_VALUE)).default({}).describe("Node selector."),
        tolerations: z.array(tolerationSchema).default([]).describe("Pod tolerations."),
        affinity: z
            .strictObject({
                nodeAffinity: opaqueObject.optional().describe("Kubernetes nodeAffinity, verbatim."),
                podAffinity: opaqueObject.optional().describe("Kubernetes podAffinity, verbatim."),
                podAntiAffinity: opaqueObject.optional().describe("Kubernetes podAntiAffinity, verbatim."),
            })
            .default({})
            .describe("Pod affinity."),
        topologySpreadConstraints: z
            .array(topologySpreadConstraintSchema)
            .default([])
            .describe("Topology spread constraints; labelSelector defaults to the selector labels."),
        terminationGracePeriodSeconds: z.int().min(0).max(3600).default(30).describe("Seconds allowed for graceful shutdown."),
    })
    .superRefine((v, ctx) => {
        // Duplicate env names make the later entry win silently; refuse them instead.
        const seen = new Map<string, string>([["LOG_LEVEL", "logLevel"]]);
        for (const [source, names] of [
            ["env", Object.keys(v.env)],
            ["secretEnv", Object.keys(v.secretEnv)],
        ] as const) {
            for (const name of names) {
                const first = seen.get(name);
                if (first !== undefined) {
                    ctx.addIssue({
                        code: "custom",
                        path: [source, name],
                        message: `environment variable ${name} is already set by ${first}; keep one of them`,
                    });
                }
                seen.set(name, source);
            }
        }
    })
    .describe("Values of the microservice chart (generated from components/chart-values.ts).");

/** The values a caller may pass: keys with a default are optional. */
export type MicroserviceValues = z.input<typeof microserviceValuesSchema>;

/** The values after parsing: every default filled in, exactly what the chart renders from. */
export type ResolvedMicroserviceValues = z.output<typeof microserviceValuesSchema>;

/**
 * The chart's `values.schema.json` text: JSON Schema draft-07 (what Helm 3 validates values with)
 * of the schema's input side, pretty-printed with a trailing newline. Used by
 * `scripts/generate-values-schema.ts` and by the drift test.
 *
 * Helm validates values.yaml merged with the overrides, and a `null` override deletes a key before
 * validation; so every key with a default (all present in values.yaml) is also `required`, else
 * `--set containerSecurityContext.readOnlyRootFilesystem=null` would slip through. Only
 * `.optional()` keys, and keys inside user-supplied map entries and list items, stay optional.
 * Object defaults are shown fully resolved rather than as `{}`.
 */
export function renderValuesJsonSchema(): string {
    const schema = z.toJSONSchema(microserviceValuesSchema, {
        io: "input",
        target: "draft-7",
        override: ({ zodSchema, jsonSchema, path }) => {
            const def = zodSchema._zod.def;
            // Only keys that values.yaml spells out; entries of user maps and lists keep zod's input rules.
            const inValuesYaml = path.every((segment, i) => i % 2 === 1 || segment === "properties");
            if (def.type === "object" && inValuesYaml) {
                const shape = (def as z.core.$ZodObjectDef).shape;
                jsonSchema.required = Object.keys(shape).filter((key) => shape[key]._zod.def.type !== "optional");
            } else if (def.type === "prefault") {
                jsonSchema.default = z.parse(zodSchema, undefined);
            }
        },
    });
    return `${JSON.stringify(schema, null, 2)}\n`;
}
