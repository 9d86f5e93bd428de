/**
 * Drives the real pack through the analyzer gRPC protocol, the way the Pulumi CLI does under
 * `pulumi preview --policy-pack` (the CLI itself cannot be obtained here): the pack is started with
 * @pulumi/pulumi's `run-policy-pack` (index.ts compiled by ts-node with the pack's tsconfig),
 * and this test plays the engine: GetAnalyzerInfo, Configure, ConfigureStack (stack tags),
 * Analyze, AnalyzeStack and Remediate.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { RULE_IDS } from "../lib/rule-ids";
import { others, workloads } from "./fixtures";
import { UNKNOWN } from "./harness";

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const ROOT = join(__dirname, "..");
const LEVEL = ["advisory", "mandatory", "disabled", "remediate"];

let pack: ChildProcess;
let client: any;

const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));

function options() {
    const opts = new pb.AnalyzerResourceOptions();
    opts.setProtect(false);
    return opts;
}

async function configure(config: Record<string, { level?: string; properties?: Record<string, unknown> }>) {
    const request = new pb.ConfigureAnalyzerRequest();
    for (const [name, { level, properties }] of Object.entries(config)) {
        const policyConfig = new pb.PolicyConfig();
        policyConfig.setEnforcementlevel(pb.EnforcementLevel[(level ?? "mandatory").toUpperCase()]);
        policyConfig.setProperties(Struct.fromJavaScript(properties ?? {}));
        request.getPolicyconfigMap().set(name, policyConfig);
    }
    await call("configure", request);
}

async function tags(tagMap: Record<string, string>) {
    const request = new pb.AnalyzerStackConfigureRequest();
    request.setStack("dev");
    request.setProject("todo");
    for (const [k, v] of Object.entries(tagMap)) {
        request.getTagsMap().set(k, v);
    }
    await call("configureStack", request);
}

async function analyze(type: string, props: object, name = "backend") {
    const request = new pb.AnalyzeRequest();
    request.setType(type);
    request.setName(name);
    request.setUrn(`urn:pulumi:dev::todo::${type}::${name}`);
    request.setProperties(Struct.fromJavaScript(props));
    request.setOptions(options());
    const response: any = await call("analyze", request);
    return response.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), level: LEVEL[d.getEnforcementlevel()], message: d.getMessage() }));
}

const rootDeployment = () => {
    const obj = workloads.Deployment.make();
    obj.spec.template.spec.securityContext = { seccompProfile: { type: "RuntimeDefault" } };
    return obj;
};

beforeAll(async () => {
    pack = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:0", "."], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    pack.stderr!.on("data", (chunk) => (stderr += chunk));
    const port = await new Promise<string>((resolve, reject) => {
        pack.stdout!.once("data", (chunk) => resolve(String(chunk).trim()));
        pack.once("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
    });
    client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 180_000);

afterAll(() => {
    client?.close();
    pack?.kill();
});

describe("the pack behind the analyzer protocol", () => {
    it("serves every policy with its name, level and config schema", async () => {
        const info: any = await call("getAnalyzerInfo", new Empty());
        expect(info.getName()).toBe("todo-stack-kubernetes");
        const policies = info.getPoliciesList();
        expect(policies.map((p: any) => p.getName())).toEqual([...RULE_IDS]);
        expect(new Set(policies.map((p: any) => LEVEL[p.getEnforcementlevel()]))).toEqual(new Set(["mandatory"]));
        expect(policies[0].getConfigschema().getProperties().toJavaScript().labels.default).toContain("cost-center");
    });

    it("reports a root container as advisory in a dev stack", async () => {
        await configure({});
        await tags({ environment: "dev" });
        const diagnostics = await analyze(workloads.Deployment.type, rootDeployment());
        expect(diagnostics).toEqual([
            { policy: "run-as-non-root", level: "advisory", message: expect.stringMatching(/^Every container runs as a non-root user.*\nDeployment\/todo\/backend container "app": /) },
        ]);
    });

    it("reports the same container as mandatory in a prod stack", async () => {
        await configure({});
        await tags({ environment: "prod" });
        expect(await analyze(workloads.Deployment.type, rootDeployment())).toEqual([{ policy: "run-as-non-root", level: "mandatory", message: expect.any(String) }]);
    });

    it("honours a configured level and configured properties", async () => {
        await configure({ "run-as-non-root": { level: "advisory" }, "required-labels": { properties: { labels: ["owner"], checkPodTemplate: false } } });
        await tags({ environment: "prod" });
        const diagnostics = await analyze(workloads.Deployment.type, rootDeployment());
        expect(diagnostics.map((d: any) => [d.policy, d.level])).toEqual([
            ["required-labels", "mandatory"],
            ["run-as-non-root", "advisory"],
        ]);
    });

    it("turns an unknown preview value into an advisory notice, not a violation", async () => {
        await configure({});
        await tags({ environment: "prod" });
        const obj = workloads.Deployment.make();
        obj.spec.template.spec.containers[0].image = UNKNOWN;
        expect(await analyze(workloads.Deployment.type, obj)).toEqual([
            { policy: "pinned-images", level: "advisory", message: expect.stringContaining("can't run policy 'pinned-images'") },
        ]);
    });

    it("checks Helm Release inputs", async () => {
        await configure({});
        await tags({ environment: "prod" });
        const release = { ...others.Release.make(), version: "^1.18" };
        expect((await analyze(others.Release.type, release, "dapr")).map((d: any) => d.policy)).toEqual(["helm-release-inputs"]);
    });

    it("attaches stack findings to the workload's URN", async () => {
        await configure({});
        await tags({ environment: "prod" });
        const resource = new pb.AnalyzerResource();
        resource.setType(workloads.Deployment.type);
        resource.setName("backend");
        resource.setUrn("urn:pulumi:dev::todo::kubernetes:apps/v1:Deployment::backend");
        resource.setProperties(Struct.fromJavaScript(workloads.Deployment.make()));
        resource.setOptions(options());
        const request = new pb.AnalyzeStackRequest();
        request.setResourcesList([resource]);
        const response: any = await call("analyzeStack", request);
        const diagnostics = response.getDiagnosticsList().map((d: any) => [d.getPolicyname(), LEVEL[d.getEnforcementlevel()], d.getUrn()]);
        expect(diagnostics).toEqual([["pdb-for-replicated-workloads", "mandatory", "urn:pulumi:dev::todo::kubernetes:apps/v1:Deployment::backend"]]);
    });

    it("remediates a missing seccomp profile when the level is remediate", async () => {
        await configure({ "seccomp-runtime-default": { level: "remediate" } });
        const obj = workloads.Deployment.make();
        delete obj.spec.template.spec.securityContext.seccompProfile;
        const request = new pb.AnalyzeRequest();
        request.setType(workloads.Deployment.type);
        request.setName("backend");
        request.setUrn("urn:pulumi:dev::todo::kubernetes:apps/v1:Deployment::backend");
        request.setProperties(Struct.fromJavaScript(obj));
        request.setOptions(options());
        const response: any = await call("remediate", request);
        const [remediation] = response.getRemediationsList();
        expect(remediation.getPolicyname()).toBe("seccomp-runtime-default");
        expect(remediation.getProperties().toJavaScript().spec.template.spec.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    });
});
