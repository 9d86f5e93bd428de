/**
 * Pods must not share the node's namespaces or filesystem: no hostNetwork, hostPID, hostIPC,
 * hostPath volumes or hostPort.
 *
 * @severity high
 * @topics security, pod-security-standards
 * @link https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { ruleConfigSchema } from "../lib/config";
import { toResourcePolicy } from "../lib/crossguard";
import { POD_BEARING_REASON } from "../lib/helpers";
import { asArray, asRecord, asString, groupKind } from "../lib/kube";
import { containerLabel, containersOf, podTemplateOf, POD_BEARING_KINDS } from "../lib/pod-spec";
import { defineResourceRule } from "../lib/rule";
import { makeViolation, type Violation } from "../lib/violation";

/** The pure rule. */
export const noHostNamespacesOrPathsRule = defineResourceRule({
    scope: "resource",
    id: "no-host-namespaces-or-paths",
    description: "Pods use no host namespaces (hostNetwork, hostPID, hostIPC), no hostPath volumes and no hostPort.",
    severity: "high",
    topics: ["security", "pod-security-standards"],
    remediationSteps:
        "Remove hostNetwork/hostPID/hostIPC, replace hostPath volumes with emptyDir, ConfigMap, Secret or PVC volumes, and expose ports through a Service instead of hostPort.",
    url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    config: ruleConfigSchema({
        allowedHostPaths: z
            .array(z.string().startsWith("/"))
            .default([])
            .describe("hostPath paths (exact or as a directory prefix) that are allowed."),
    }),
    appliesTo: (key) => POD_BEARING_KINDS.includes(key),
    notApplicableReason: POD_BEARING_REASON,
    check(obj, config, ctx) {
        const template = podTemplateOf(obj, groupKind(ctx.apiVersion, ctx.kind));
        const spec = template?.spec;
        if (!template || !spec) {
            return [];
        }
        const out: Violation[] = [];
        const namespaces = { hostNetwork: "network", hostPID: "process ID", hostIPC: "IPC" } as const;
        for (const key of ["hostNetwork", "hostPID", "hostIPC"] as const) {
            if (spec[key] === true) {
                out.push(
                    makeViolation(this.id, obj, config, {
                        field: `${template.specPath}.${key}`,
                        problem: `${key} is true (the pod shares the node's ${namespaces[key]} namespace)`,
                        fix: `remove ${key} or set it to false`,
                    }, ctx),
                );
            }
        }
        const volumes = asArray(spec.volumes);
        for (let i = 0; i < volumes.length; i++) {
            const volume = asRecord(volumes[i]);
            const hostPath = asRecord(volume?.hostPath);
            if (!hostPath) {
                continue;
            }
            const path = asString(hostPath.path) ?? "";
            const allowed = config.allowedHostPaths.some((p) => path === p || path.startsWith(p.endsWith("/") ? p : `${p}/`));
            if (!allowed) {
                out.push(
                    makeViolation(this.id, obj, config, {
                        field: `${template.specPath}.volumes[${i}].hostPath`,
                        problem: `volume "${asString(volume?.name) ?? i}" mounts the host path ${path || "(empty)"}`,
                        fix: "use an emptyDir, ConfigMap, Secret or PersistentVolumeClaim volume instead of hostPath",
                    }, ctx),
                );
            }
        }
        for (const ref of containersOf(template, ["containers", "initContainers"])) {
            const ports = asArray(ref.container.ports);
            for (let i = 0; i < ports.length; i++) {
                const hostPort = asRecord(ports[i])?.hostPort;
                if (typeof hostPort === "number" && hostPort !== 0) {
                    out.push(
                        makeViolation(this.id, obj, config, {
                            container: ref.name,
                            containerLabel: containerLabel(ref),
                            field: `${ref.path}.ports[${i}].hostPort`,
                            problem: `binds host port ${hostPort}`,
                            fix: "remove hostPort and expose the port through a Service",
                        }, ctx),
                    );
                }
            }
        }
        return out;
    },
});

/** CrossGuard policy for {@link noHostNamespacesOrPathsRule}. */
export const noHostNamespacesOrPaths = (level: EnforcementLevel = "mandatory"): ResourceValidationPolicy =>
    toResourcePolicy(noHostNamespacesOrPathsRule, level);
