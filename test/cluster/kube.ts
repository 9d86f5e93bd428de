import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseStackConfig, type StackConfig } from "../../components/config";
import { readStackFile } from "../../components/stack-file";
import { REPO_ROOT, toolBin } from "../toolchain";

/**
 * Runs the toolchain's kubectl and helm against the local kwok cluster (scripts/cluster.sh).
 * The suites in test/cluster are started by scripts/test-cluster.sh, which sets KUBECONFIG and
 * serves the chart mirror; without them they fail with instructions, never skip.
 */

export { REPO_ROOT, TOOLCHAIN_HOME, VERSIONS } from "../toolchain";

/** Toolchain bin directories, first on PATH: a foreign kubectl (e.g. /usr/bin/kubectl) never wins. */
export const TOOLCHAIN_BINS = [
    toolBin("kubernetes", "KUBERNETES_VERSION"),
    toolBin("helm", "HELM_VERSION"),
];

/** The chart mirror served by scripts/chart-mirror.sh. */
export const MIRROR_URL = process.env.TODO_STACK_MIRROR_URL ?? `http://127.0.0.1:${process.env.TODO_STACK_MIRROR_PORT ?? "8879"}`;

export interface RunResult {
    code: number;
    stdout: string;
    stderr: string;
}

export interface RunOptions {
    /** Written to stdin. */
    input?: string;
    /** Killed after this long (the result then has code 124). */
    timeoutMs?: number;
}

const HOW_TO_RUN = "The test/cluster suites run against the local kwok cluster: run `bash scripts/test-cluster.sh`. " +
    "Unit runs exclude them: `npx jest --testPathIgnorePatterns /test/cluster/`.";

function kubeconfig(): string {
    const file = process.env.KUBECONFIG;
    if (file === undefined || file === "") {
        throw new Error(`KUBECONFIG is not set. ${HOW_TO_RUN}`);
    }
    if (!fs.existsSync(file)) {
        throw new Error(`KUBECONFIG=${file} does not exist (is the cluster created?). ${HOW_TO_RUN}`);
    }
    return file;
}

/** Runs a toolchain binary with KUBECONFIG and the toolchain PATH; never throws on a non-zero exit. */
export function run(binary: "kubectl" | "helm", args: string[], options: RunOptions = {}): Promise<RunResult> {
    const env = { ...process.env, KUBECONFIG: kubeconfig(), PATH: [...TOOLCHAIN_BINS, process.env.PATH ?? ""].join(path.delimiter) };
    const executable = path.join(binary === "kubectl" ? TOOLCHAIN_BINS[0] : TOOLCHAIN_BINS[1], binary);
    if (!fs.existsSync(executable)) {
        return Promise.reject(new Error(`${executable} is missing: run scripts/toolchain.sh ${binary === "kubectl" ? "cluster" : "helm"}`));
    }
    return new Promise((resolve, reject) => {
        const child = spawn(executable, args, { env, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
        }, options.timeoutMs ?? 120_000);
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", (error) => {
            clearTimeout(timer);
            reject(error);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code: timedOut ? 124 : (code ?? 1), stdout, stderr: timedOut ? `${stderr}\n(killed after ${options.timeoutMs ?? 120_000} ms)` : stderr });
        });
        // A command that exits without reading its input must not crash the test run (EPIPE).
        child.stdin.on("error", () => undefined);
        child.stdin.end(options.input ?? "");
    });
}

/** Runs and fails with the command and its stderr unless it exits 0; returns stdout. */
export async function ok(binary: "kubectl" | "helm", args: string[], options: RunOptions = {}): Promise<string> {
    const result = await run(binary, args, options);
    if (result.code !== 0) {
        throw new Error(`${binary} ${args.join(" ")} exited ${result.code}:\n${result.stderr || result.stdout}`);
    }
    return result.stdout;
}

export const kubectl = (args: string[], options?: RunOptions) => ok("kubectl", args, options);
export const helm = (args: string[], options?: RunOptions) => ok("helm", args, options);

/** kubectl JSON output, parsed. */
export async function kubectlJson<T>(args: string[]): Promise<T> {
    return JSON.parse(await kubectl([...args, "-o", "json"])) as T;
}

/** Objects as one kubectl input document (a v1 List). */
export const asList = (objects: readonly object[]) => JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });

/**
 * `kubectl apply --dry-run=server` with strict field validation: the real API server runs
 * defaulting, schema and CRD validation and admission, and stores nothing.
 */
export function applyDryRun(input: string, namespace?: string): Promise<RunResult> {
    const args = ["apply", "--dry-run=server", "--validate=strict", "-f", "-"];
    return run("kubectl", namespace === undefined ? args : [...args, "--namespace", namespace], { input, timeoutMs: 120_000 });
}

/**
 * Fails with instructions unless KUBECONFIG points at the local kwok cluster: loopback API
 * server, /readyz ok, only kwok's fake nodes. The suites install charts and delete CRDs, so they
 * must never run against a real cluster.
 */
export async function requireLocalCluster(): Promise<void> {
    const file = kubeconfig();
    const server = (await kubectl(["config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"])).trim();
    if (!/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(server)) {
        throw new Error(`KUBECONFIG=${file} points at ${server}, not a loopback API server; these suites only run on the local kwok cluster. ${HOW_TO_RUN}`);
    }
    const ready = await run("kubectl", ["get", "--raw", "/readyz"], { timeoutMs: 15_000 });
    if (ready.code !== 0 || ready.stdout.trim() !== "ok") {
        throw new Error(`the cluster at ${server} is not ready (${(ready.stderr || ready.stdout).trim()}); start it with scripts/cluster.sh start. ${HOW_TO_RUN}`);
    }
    const nodes = await kubectlJson<{ items: { metadata: { name: string; annotations?: Record<string, string> } }[] }>(["get", "nodes"]);
    const real = nodes.items.filter((node) => node.metadata.annotations?.["kwok.x-k8s.io/node"] !== "fake").map((node) => node.metadata.name);
    if (real.length > 0) {
        throw new Error(`the cluster at ${server} has nodes not simulated by kwok (${real.join(", ")}); refusing to run. ${HOW_TO_RUN}`);
    }
}

/** A short id that makes this run's namespaces unique. */
export const runId = () => `${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 6)}`;

export const STACKS = ["dev", "staging", "prod"] as const;
export type StackName = (typeof STACKS)[number];

/**
 * A committed stack's config, parsed like the program does. Staging and prod commit no secrets,
 * so the test supplies their secret key names (values are never read: objects carry placeholders).
 */
export function stackConfig(stack: StackName, overrides: Record<string, unknown> = {}): StackConfig {
    const file = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
    const raw = readStackFile(file, stack === "dev" ? [] : ["databaseUrl", "openaiApiKey"]);
    return parseStackConfig({ ...raw, values: { ...raw.values, ...overrides } }, `Pulumi.${stack}.yaml`);
}

/** Writes values to a temporary file for `helm -f`, and removes it afterwards. */
export async function withValuesFile<T>(values: unknown, use: (file: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "todo-stack-cluster-"));
    try {
        const file = path.join(dir, "values.json");
        fs.writeFileSync(file, JSON.stringify(values));
        return await use(file);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Polls until `check` returns true, or fails after `timeoutMs` with `what`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await check()) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Deletes namespaces (if present) and waits until they are gone. */
export async function deleteNamespaces(names: readonly string[], timeoutMs = 180_000): Promise<void> {
    if (names.length === 0) {
        return;
    }
    await kubectl(["delete", "namespace", ...names, "--ignore-not-found", "--wait=false"]);
    await waitFor(
        `namespaces ${names.join(", ")} to be deleted`,
        async () => (await kubectl(["get", "namespaces", ...names, "--ignore-not-found", "-o", "name"])).trim() === "",
        timeoutMs,
    );
}
