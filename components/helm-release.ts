import * as k8s from "@pulumi/kubernetes";
import type { ResolvedChartSource } from "./chart-sources";

/**
 * Release arguments shared by the platform charts: pinned version, explicit name and namespace,
 * atomic upgrades that roll back on failure, and Helm waiting for readiness.
 */
export function platformReleaseArgs(
    release: { name: string; namespace: k8s.helm.v3.ReleaseArgs["namespace"]; chart: ResolvedChartSource; values: Record<string, unknown>; timeoutSec?: number },
): k8s.helm.v3.ReleaseArgs {
    return {
        name: release.name,
        namespace: release.namespace,
        chart: release.chart.chart,
        version: release.chart.version,
        repositoryOpts: release.chart.repository === undefined ? undefined : { repo: release.chart.repository },
        values: release.values,
        atomic: true,
        cleanupOnFail: true,
        skipAwait: false,
        timeout: release.timeoutSec ?? 600,
        dependencyUpdate: false,
    };
}
