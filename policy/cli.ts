/**
 * `todo-policy-check`: runs the pack's rules over plain Kubernetes YAML/JSON.
 *
 *   todo-policy-check [--format text|json] [--config pack-config.json|yaml] [--environment prod] <file|folder|->...
 *
 * Exit status: 0 when no finding is mandatory, 1 when at least one is, 2 on usage, parse or
 * configuration errors. Without --environment the checker assumes prod (the strictest).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { evaluateObjects, type EvaluatedViolation } from "./lib/evaluate";
import { InputError, loadObjects } from "./lib/load";
import { resolvePackConfig } from "./lib/pack-config";
import { subjectOf } from "./lib/violation";
import type { KubernetesObject } from "./lib/kube";

/** Usage text. */
export const USAGE = `Usage: todo-policy-check [options] <file|folder|->...

Checks Kubernetes YAML/JSON (multi-document, List kinds flattened; folders are searched
recursively for *.yaml, *.yml, *.json; "-" reads stdin) with the todo-stack policy pack rules.

Options:
  --format text|json       output format (default: text)
  --config <file>          pack configuration (JSON or YAML), same shape as --policy-pack-config
  --environment <name>     environment the findings are judged for (default: prod)
  -h, --help               show this help

Exit status: 0 no mandatory finding, 1 mandatory findings, 2 usage/parse/config error.
Example: helm template todo charts/microservice | todo-policy-check --environment prod -
`;

/** Streams the CLI writes to (injectable for tests). */
export interface Io {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
    readStdin: () => string;
}

const defaultIo: Io = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readFileSync(0, "utf8"),
};

function formatText(records: Array<EvaluatedViolation & { source?: string }>, objects: number): string {
    const lines = records.map(
        (r) => `${r.enforcementLevel.toUpperCase().padEnd(9)} ${r.rule}  ${r.message}${r.source ? `  [${r.source}]` : ""}`,
    );
    const mandatory = records.filter((r) => r.enforcementLevel === "mandatory").length;
    lines.push(`${objects} object(s) checked: ${mandatory} mandatory, ${records.length - mandatory} advisory finding(s).`);
    return lines.join("\n") + "\n";
}

/** Runs the checker with `argv` (without node and script) and returns the exit status. */
export function main(argv: readonly string[], io: Io = defaultIo): number {
    let values: { format?: string; config?: string; environment?: string; help?: boolean };
    let positionals: string[];
    try {
        ({ values, positionals } = parseArgs({
            args: [...argv],
            options: {
                format: { type: "string" },
                config: { type: "string" },
                environment: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            allowPositionals: true,
            strict: true,
        }));
    } catch (error) {
        io.stderr(`todo-policy-check: ${(error as Error).message}\n\n${USAGE}`);
        return 2;
    }
    if (values.help) {
        io.stdout(USAGE);
        return 0;
    }
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") {
        io.stderr(`todo-policy-check: --format must be text or json, got "${format}"\n`);
        return 2;
    }
    const environment = values.environment ?? "prod";
    if (!/^[A-Za-z0-9_-]+$/.test(environment)) {
        io.stderr(`todo-policy-check: --environment must be a name such as dev, staging or prod, got "${environment}"\n`);
        return 2;
    }
    if (positionals.length === 0) {
        io.stderr(`todo-policy-check: no input given\n\n${USAGE}`);
        return 2;
    }
    try {
        let config: unknown = {};
        if (values.config !== undefined) {
            let text: string;
            try {
                text = readFileSync(values.config, "utf8");
            } catch {
                throw new InputError(`cannot read config file ${values.config}`);
            }
            try {
                config = parseYaml(text) ?? {};
            } catch (error) {
                throw new InputError(`config file ${values.config} is not valid JSON/YAML: ${(error as Error).message.split("\n")[0]}`);
            }
            try {
                resolvePackConfig(config);
            } catch (error) {
                throw new InputError(`${values.config}: ${(error as Error).message}`);
            }
        }
        const warnings: string[] = [];
        const loaded = loadObjects(positionals, io.readStdin, warnings);
        for (const warning of warnings) {
            io.stderr(`warning: ${warning}\n`);
        }
        const sources = new Map<KubernetesObject, string>(loaded.map((l) => [l.object, l.source]));
        const records = evaluateObjects(
            loaded.map((l) => l.object),
            { config, environment },
        ).map((record) => {
            const subject = subjectOf(record);
            const source = subject ? sources.get(subject) : undefined;
            return source !== undefined ? { ...record, source } : record;
        });
        const mandatory = records.filter((r) => r.enforcementLevel === "mandatory").length;
        if (format === "json") {
            const summary = { objects: loaded.length, environment, mandatory, advisory: records.length - mandatory };
            io.stdout(JSON.stringify({ summary, violations: records }, null, 2) + "\n");
        } else {
            io.stdout(formatText(records, loaded.length));
        }
        return mandatory > 0 ? 1 : 0;
    } catch (error) {
        if (error instanceof InputError) {
            io.stderr(`todo-policy-check: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
