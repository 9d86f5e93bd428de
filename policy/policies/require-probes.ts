/**
 * Long-running containers need a readiness and a liveness probe, each with an accepted handler,
 * and the liveness timeout must exceed the readiness timeout.
 *
 * Applies to `containers` and native sidecars (init containers with `restartPolicy: Always`) of
 * long-running kinds; Jobs, CronJobs and Pods with restartPolicy Never/OnFailure run to
 * completion and are not applicable. Accepted handlers default to httpGet, tcpSocket and grpc;
 * exec probes fork a process per period and are rejected unless configured. Absent
 * `timeoutSeconds` counts as 1, Kubernetes' default.
 *
 * @severity medium
 * @topics reliability
 * @link https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { checkContainers } from "../lib/helpers";
import { asRecord } from "../lib/kube";
import { POD_BEARING_KINDS, RUN_TO_COMPLETION_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";
import type { FindingParts } from "../lib/violation";

const HANDLERS = ["httpGet", "tcpSocket", "grpc", "exec"] as const;

/** The pure rule. */
export const requireProbesRule = defineResourceRule({
    scope: "resource",
    id: "require-probes",
    description: "Every long-running container has readiness and liveness probes (HTTP, TCP or gRPC) with a liveness timeout above the readiness timeout.",
    severity: "medium",
    topics: ["reliability"],
    remediationSteps:
        "Add readinessProbe and livenessProbe (httpGet, tcpSocket or grpc) to every container and native sidecar; " +
        "set livenessProbe.timeoutSeconds higher than readinessProbe.timeoutSeconds so a slow app is taken out of rotation before it is restarted.",
    url: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
    config: ruleConfigSchema({
        acceptedHandlers: z
            .array(z.enum(HANDLERS))
            .min(1)
            .default(["httpGet", "tcpSocket", "grpc"])
            .describe("Probe handlers accepted."),
        requireLivenessTimeoutAboveReadiness: z
            .boolean()
            .default(true)
            .describe("Require livenessProbe.timeoutSeconds > readinessProbe.timeoutSeconds (absent = 1)."),
    }),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key) && !RUN_TO_COMPLETION_KINDS.includes(key),
    notApplicableReason: "applies only to long-running pod-bearing kinds (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet); Jobs and CronJobs run to completion",
    check(obj, config, ctx) {
        if (ctx.kind === "Pod") {
            const restartPolicy = asRecord(obj.spec)?.restartPolicy;
            if (restartPolicy === "Never" || restartPolicy === "OnFailure") {
                return [];
            }
        }
        return checkContainers(this.id, obj, config, ctx, ["containers", "initContainers"], (ref) => {
            if (ref.list === "initContainers" && !ref.isNativeSidecar) {
                return [];
            }
            const out: Array<Omit<FindingParts, "container" | "containerLabel">> = [];
            const probes: Record<string, Record<string, unknown> | undefined> = {};
            for (const probe of ["readinessProbe", "livenessProbe"] as const) {
                const value = asRecord(ref.container[probe]);
                probes[probe] = value;
                const field = `${ref.path}.${probe}`;
                if (!value) {
                    out.push({ field, problem: `${probe} is not set`, fix: `add a ${probe} (${config.acceptedHandlers.join(", ")})` });
                    continue;
                }
                const handler = HANDLERS.find((h) => value[h] !== undefined);
                if (handler === undefined) {
                    out.push({ field, problem: `${probe} has no handler`, fix: `give the ${probe} one of ${config.acceptedHandlers.join(", ")}` });
                } else if (!(config.acceptedHandlers as string[]).includes(handler)) {
                    out.push({
                        field: `${field}.${handler}`,
                        problem: `${probe} uses a ${handler} handler, which is not accepted`,
                        fix: `use one of ${config.acceptedHandlers.join(", ")}`,
                    });
                }
            }
            const readiness = probes.readinessProbe;
            const liveness = probes.livenessProbe;
            if (config.requireLivenessTimeoutAboveReadiness && readiness && liveness) {
                const readinessTimeout = typeof readiness.timeoutSeconds === "number" ? readiness.timeoutSeconds : 1;
                const livenessTimeout = typeof liveness.timeoutSeconds === "number" ? liveness.timeoutSeconds : 1;
                if (livenessTimeout <= readinessTimeout) {
                    out.push({
                        field: `${ref.path}.livenessProbe.timeoutSeconds`,
                        problem: `liveness timeoutSeconds (${livenessTimeout}) is not greater than readiness timeoutSeconds (${readinessTimeout})`,
                        fix: `set livenessProbe.timeoutSeconds to at least ${readinessTimeout + 1}`,
                    });
                }
            }
            return out;
        });
    },
});

/** CrossGuard policy for {@link requireProbesRule}. */
export const requireProbes = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(requireProbesRule, level);
