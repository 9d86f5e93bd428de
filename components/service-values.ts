import type { MicroserviceValues } from "./chart-values";
import type { ResolvedService, StackConfig } from "./config";
import { DAPR_CONFIGURATION, DAPR_PUBSUB } from "./dapr-manifests";
import { CONFIG_KEY_ANNOTATION } from "./labels";

/** The Secret holding a service's secret environment variables (never plaintext in values). */
export const serviceSecretName = (service: string) => `${service}-secrets`;

/**
 * Values of `charts/microservice` for one service: environment defaults already merged into
 * `service` by config parsing, secrets only as references. Pure; the chart schema validates it.
 */
export function renderServiceValues(service: ResolvedService, config: StackConfig): MicroserviceValues {
    const callers = config.services.filter((other) => other.dependsOn.includes(service.name)).map((other) => other.name);
    const allowFrom: Record<string, { podLabels?: Record<string, string>; namespaceLabels?: Record<string, string> }> = {};
    for (const caller of callers) {
        allowFrom[caller] = { podLabels: { "app.kubernetes.io/name": caller } };
    }
    if (service.ingressPath !== undefined) {
        allowFrom["ingress-controller"] = { namespaceLabels: { "kubernetes.io/metadata.name": config.ingress.controllerNamespace } };
    }
    const secretNames = Object.keys(service.secretEnv).sort();
    return {
        // The name label is what app ids, network policies and selectors match on: the service, not the chart.
        nameOverride: service.name,
        fullnameOverride: service.name,
        image: {
            repository: service.image.repository,
            tag: service.image.tag,
            digest: service.image.digest ?? "",
            pullPolicy: service.imagePullPolicy,
        },
        replicaCount: service.replicas,
        containerPort: service.port,
        logLevel: service.logLevel,
        env: service.env,
        secret: { existingSecretName: secretNames.length > 0 ? serviceSecretName(service.name) : "", create: false, stringData: {} },
        probes: {
            type: service.probe,
            path: service.healthPath,
            readiness: { initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
            liveness: { initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
        },
        resources: service.resources,
        autoscaling: service.autoscaling,
        pdb: { create: true, minAvailable: 1 },
        service: { type: "ClusterIP", port: 80 },
        networkPolicy: { enabled: true, allowFrom },
        ingress:
            service.ingressPath === undefined
                ? { enabled: false }
                : {
                      enabled: true,
                      className: config.ingress.className,
                      host: config.ingress.host,
                      path: service.ingressPath,
                      pathType: "Prefix",
                      tls: { enabled: config.ingress.tlsSecretName !== undefined, secretName: config.ingress.tlsSecretName ?? "" },
                  },
        dapr: {
            enabled: service.dapr,
            appId: service.dapr ? service.name : "",
            appPort: service.dapr ? service.port : 0,
            appProtocol: "http",
            config: service.dapr ? DAPR_CONFIGURATION : "",
            logLevel: config.dapr.logLevel === "debug" ? "debug" : "info",
            subscriptions: Object.fromEntries(
                service.subscribes.map(({ topic, route }) => [topic.replace(/\./g, "-"), { pubsubName: DAPR_PUBSUB, topic, route }]),
            ),
            components: {},
        },
        metadata: {
            partOf: service.metadata.partOf,
            component: service.metadata.component,
            environment: config.environment,
            team: service.metadata.team,
            costCenter: service.metadata.costCenter,
            description: service.metadata.description,
            owner: service.metadata.owner,
            contact: service.metadata.contact,
            documentation: service.metadata.documentation,
            incidentChannel: service.metadata.incidentChannel,
        },
        podAnnotations: { [CONFIG_KEY_ANNOTATION]: `services.${service.name}` },
    };
}
