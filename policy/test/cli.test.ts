import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = join(__dirname, "..", "bin", "todo-policy-check");
const FIXTURES = join(__dirname, "fixtures");

/** Runs the built checker as a child process, the way CI would. */
function check(args: string[], input?: string) {
    const result = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ruleIds = (stdout: string) => [...new Set((JSON.parse(stdout).violations as Array<{ rule: string }>).map((v) => v.rule))].sort();

describe("todo-policy-check", () => {
    it("exits 0 on the compliant fixtures", () => {
        const result = check([join(FIXTURES, "compliant")]);
        expect(result).toMatchObject({ status: 0, stderr: "" });
        expect(result.stdout).toContain("0 mandatory, 0 advisory finding(s).");
    });

    it("fails with exit 1 and lists the rule ids on the non-compliant fixtures", () => {
        const result = check(["--format", "json", join(FIXTURES, "noncompliant")]);
        expect(result.status).toBe(1);
        expect(ruleIds(result.stdout)).toEqual([
            "dapr-annotations",
            "dapr-component-scopes",
            "dapr-subscription-topics",
            "drop-all-capabilities",
            "exemption-annotations",
            "helm-release-inputs",
            "hpa-targets-existing-workload",
            "kafka-topic-naming",
            "no-host-namespaces-or-paths",
            "no-privileged",
            "no-secret-literals-in-env",
            "pdb-for-replicated-workloads",
            "pinned-images",
            "require-probes",
            "require-resources",
            "required-labels",
            "restricted-service-types",
            "run-as-non-root",
        ]);
        const json = JSON.parse(result.stdout);
        expect(json.summary).toEqual({ objects: 10, environment: "prod", mandatory: 20, advisory: 2 });
        expect(json.violations[0]).toMatchObject({ rule: "run-as-non-root", source: expect.stringMatching(/jobs-and-agents\.yaml#1$/) });
    });

    it("reads multi-document YAML from stdin", () => {
        const yaml = [
            "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: todo}\nspec: {type: NodePort}",
            "# empty document follows",
            "",
        ].join("\n---\n");
        const result = check(["--format", "json", "--config", join(FIXTURES, "pack-config.yaml"), "-"], yaml);
        expect(result.status).toBe(1);
        expect(JSON.parse(result.stdout).violations.map((v: { rule: string; source: string; enforcementLevel: string }) => [v.rule, v.enforcementLevel, v.source])).toEqual([
            ...Array(8).fill(["required-labels", "advisory", "<stdin>#1"]),
            ["restricted-service-types", "mandatory", "<stdin>#1"],
        ]);
    });

    it("flattens List kinds", () => {
        const list = JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Service", metadata: { name: "a" }, spec: { type: "LoadBalancer" } }] });
        const result = check(["--format", "json", "-"], list);
        expect(JSON.parse(result.stdout).violations.map((v: { source: string }) => v.source)).toContain("<stdin>#1.items[0]");
    });

    it("exits 0 in dev, where every finding is advisory", () => {
        const result = check(["--environment", "dev", join(FIXTURES, "noncompliant")]);
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/^ADVISORY  run-as-non-root  CronJob\/todo\/report container "report"/m);
        expect(result.stdout).toContain("10 object(s) checked: 0 mandatory, 22 advisory finding(s).");
    });

    it("fails with exit 2 on an unknown flag", () => {
        const result = check(["--strict", join(FIXTURES, "compliant")]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/Unknown option '--strict'/);
        expect(result.stderr).toContain("Usage: todo-policy-check");
    });

    it("fails with exit 2 on a bad format, a missing input or no input", () => {
        expect(check(["--format", "xml", FIXTURES]).status).toBe(2);
        expect(check([join(FIXTURES, "missing.yaml")])).toMatchObject({ status: 2, stderr: expect.stringContaining("no such file") });
        expect(check([]).status).toBe(2);
    });

    it("fails with exit 2 on invalid YAML, naming the document and line", () => {
        const result = check(["-"], "apiVersion: v1\nkind: Service\n---\nmetadata: [unclosed\n");
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/<stdin>: YAML error in document 2 at line \d+/);
    });

    it("fails with exit 2 on a config file the pack schema rejects", () => {
        const dir = mkdtempSync(join(tmpdir(), "todo-policy-"));
        const config = join(dir, "config.json");
        writeFileSync(config, JSON.stringify({ "required-labels": { labelz: ["team"] } }));
        const result = check(["--config", config, join(FIXTURES, "compliant")]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/Invalid policy pack configuration[\s\S]*labelz/);
    });

    it("warns about and skips documents that are not Kubernetes objects", () => {
        const result = check(["-"], "replicaCount: 2\n");
        expect(result.status).toBe(0);
        expect(result.stderr).toContain("warning: <stdin>#1: skipped, not a Kubernetes object");
    });

    it("prints help with exit 0", () => {
        expect(check(["--help"])).toMatchObject({ status: 0, stdout: expect.stringContaining("--environment") });
    });
});
