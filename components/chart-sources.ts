import * as path from "node:path";

/** The upstream charts the platform installs, pinned; official repositories are the default source. */
export const UPSTREAM_CHARTS = {
    dapr: { chart: "dapr", version: "1.18.3", repository: "https://dapr.github.io/helm-charts" },
    strimzi: { chart: "strimzi-kafka-operator", version: "1.2.0", repository: "https://strimzi.io/charts/" },
    redpanda: { chart: "redpanda", version: "26.2.2", repository: "https://charts.redpanda.com" },
} as const;
export type UpstreamChart = keyof typeof UPSTREAM_CHARTS;

/** Where `helm.v3.Release` finds a chart: a repository (`repositoryOpts.repo`) or a local path. */
export interface ResolvedChartSource {
    chart: string;
    version: string;
    /** Set for HTTP(S) repositories; OCI and local sources are carried in `chart`. */
    repository?: string;
    /** Human-readable origin, for logs and the README. */
    origin: string;
}

/** Chart source overrides from config: a mirror for every chart, or one repository per chart. */
export interface ChartOverrides {
    mirror?: string;
    dapr?: { repository: string };
    strimzi?: { repository: string };
    redpanda?: { repository: string };
}

/**
 * Resolves a chart's source. A per-chart repository wins over the mirror, which wins over the
 * official repository. A local directory is read as a Helm repository folder (`index.yaml` +
 * `<chart>-<version>.tgz`); relative paths resolve against the project root, not the CWD.
 */
export function resolveChartSource(name: UpstreamChart, overrides: ChartOverrides, projectRoot: string): ResolvedChartSource {
    const upstream = UPSTREAM_CHARTS[name];
    const source = overrides[name]?.repository ?? overrides.mirror ?? upstream.repository;
    if (/^https?:\/\//.test(source)) {
        return { chart: upstream.chart, version: upstream.version, repository: source, origin: source };
    }
    if (source.startsWith("oci://")) {
        const chart = `${source.replace(/\/+$/, "")}/${upstream.chart}`;
        return { chart, version: upstream.version, origin: chart };
    }
    const local = path.resolve(projectRoot, source);
    const chart = /\.tgz$/.test(local) ? local : path.join(local, `${upstream.chart}-${upstream.version}.tgz`);
    return { chart, version: upstream.version, origin: chart };
}
