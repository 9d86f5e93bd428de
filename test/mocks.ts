import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { readStackFile } from "../components/stack-file";

/** One resource the program registered, with the engine-level dependencies it declared. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    parent: string;
    custom: boolean;
    inputs: Record<string, unknown>;
    dependencies: string[];
}

/** Test-owned plaintext for secure keys (staging and prod commit none; dev's stay encrypted). */
export const TEST_SECRETS: Record<string, string> = {
    databaseUrl: "postgresql://todo:test-only@db:5432/todo",
    openaiApiKey: "sk-test-only",
};

/**
 * Runs `index.ts` under Pulumi mocks with the config of `Pulumi.<stack>.yaml` and records every
 * registration, including the dependency URNs the engine would get. Call once per test file:
 * the Pulumi runtime keeps process-wide state.
 */
export async function runProgram(stack: string, overrides: Record<string, unknown> = {}): Promise<{ resources: RecordedResource[]; outputs: Record<string, unknown>; program: Record<string, unknown> }> {
    const raw = readStackFile(path.join(__dirname, "..", `Pulumi.${stack}.yaml`), Object.keys(TEST_SECRETS));
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...raw.values, ...overrides })) {
        config[`todo-stack:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    for (const key of raw.secretKeys) {
        config[`todo-stack:${key}`] = TEST_SECRETS[key] ?? "test-only";
    }
    pulumi.runtime.setAllConfig(config, raw.secretKeys.map((key) => `todo-stack:${key}`));

    const resources: RecordedResource[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
            call: (args) => args.inputs,
        },
        "todo-stack",
        stack,
        false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: RegisterRequest, callback: Callback) => void };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (error, response) => {
            if (response !== undefined) {
                resources.push({
                    urn: response.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent(),
                    custom: req.getCustom(),
                    inputs: (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    dependencies: req.getDependenciesList(),
                });
            }
            callback(error, response);
        });

    // Loaded only now, so the program sees the mocks and config set above.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../index") as Record<string, unknown>;
    await settled(resources);
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(program)) {
        outputs[key] = pulumi.Output.isInstance(value) ? await promiseOf(value) : value;
    }
    return { resources, outputs, program };
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): unknown } | undefined;
    getDependenciesList(): string[];
}
type Callback = (error: unknown, response?: { getUrn(): string }) => void;

/** Resolves when no registration has arrived for a while (the program registers asynchronously). */
async function settled(resources: RecordedResource[]): Promise<void> {
    let count = -1;
    for (let i = 0; i < 100 && count !== resources.length; i++) {
        count = resources.length;
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Whether an Output is secret, without unwrapping it. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** The top-level component (`type::name`) a registered resource belongs to. */
export function topLevelOf(resources: RecordedResource[], urn: string): string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    let current = byUrn.get(urn);
    while (current !== undefined && byUrn.has(current.parent)) {
        current = byUrn.get(current.parent);
    }
    return current === undefined ? urn : `${current.type}::${current.name}`;
}
