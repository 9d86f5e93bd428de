/**
 * A local fake of the CrossGuard args (the upstream unit-test helpers lack `notApplicable` and
 * `stackTags`). Props are wrapped in `unknownCheckingProxy` as during preview, and the runner
 * mimics the SDK: unknown values become an advisory preview notice, `notApplicable` is recorded,
 * violations are collected (never thrown on the first).
 */
import * as policySdk from "@pulumi/policy";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

// 1.21.0 exports these at runtime, but its typings strip them (they are marked @internal).
const sdk = policySdk as unknown as typeof policySdk & {
    unknownCheckingProxy<T extends object>(props: T): T;
    UnknownValueError: new (...args: never[]) => Error;
};

/** The SDK's sentinel for an unknown string during preview. */
export const UNKNOWN = (require("@pulumi/policy/proxy") as { unknownStringValue: string }).unknownStringValue;

/** The Pulumi type token of a resource class (`Deployment.__pulumiType`). */
export const tokenOf = (cls: object): string => (cls as { __pulumiType: string }).__pulumiType;

/** Options of a fake policy run. */
export interface RunOptions {
    config?: Record<string, unknown>;
    stackTags?: Record<string, string>;
    name?: string;
}

/** What a run collected. */
export interface RunResult {
    violations: Array<{ level: string; message: string; urn?: string }>;
    notApplicable?: string;
    previewNotices: string[];
}

class NotApplicable extends Error {}

function fakeArgs(type: string, props: Record<string, unknown>, options: RunOptions) {
    return {
        type,
        name: options.name ?? "logical-name",
        urn: `urn:pulumi:test::todo::${type}::${options.name ?? "logical-name"}`,
        props: sdk.unknownCheckingProxy(props),
        stackTags: new Map(Object.entries(options.stackTags ?? { environment: "prod" })),
        getConfig: () => options.config ?? {},
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

function collector(description: string, level: string, out: RunResult["violations"]) {
    return (report: string | { message: string; enforcementLevel?: string; urn?: string }, urn?: string) =>
        typeof report === "string"
            ? out.push({ level, message: `${description}\n${report}`, ...(urn ? { urn } : {}) })
            : out.push({ level: report.enforcementLevel ?? level, message: report.message, ...(report.urn ? { urn: report.urn } : {}) });
}

async function guarded(result: RunResult, run: () => unknown): Promise<RunResult> {
    try {
        await run();
    } catch (error) {
        if (error instanceof sdk.UnknownValueError) {
            result.previewNotices.push(`can't run policy during preview: ${(error as Error).message}`);
        } else if (error instanceof NotApplicable) {
            result.notApplicable = error.message;
        } else {
            throw error;
        }
    }
    return result;
}

/** Runs a resource policy's validation(s) on one resource, as the analyzer would. */
export async function runResourcePolicy(policy: ResourceValidationPolicy, type: string, props: object, options: RunOptions = {}): Promise<RunResult> {
    const result: RunResult = { violations: [], previewNotices: [] };
    const validations = [policy.validateResource ?? []].flat();
    return guarded(result, async () => {
        for (const validate of validations) {
            const args = fakeArgs(type, props as Record<string, unknown>, options) as unknown as ResourceValidationArgs;
            await validate(args, collector(policy.description, policy.enforcementLevel ?? "advisory", result.violations) as never);
        }
    });
}

/** Runs a resource policy's remediation; returns the new props (or undefined). */
export async function runRemediation(policy: ResourceValidationPolicy, type: string, props: object, options: RunOptions = {}): Promise<unknown> {
    const args = fakeArgs(type, structuredClone(props) as Record<string, unknown>, options) as unknown as ResourceValidationArgs;
    const out = await policy.remediateResource!(args);
    return out === undefined ? undefined : JSON.parse(JSON.stringify(out));
}

/** Runs a stack policy over `[type, props]` resources. */
export async function runStackPolicy(policy: StackValidationPolicy, resources: Array<[string, object]>, options: RunOptions = {}): Promise<RunResult> {
    const result: RunResult = { violations: [], previewNotices: [] };
    const policyResources = resources.map(([type, props], i) => ({
        type,
        name: `r${i}`,
        urn: `urn:pulumi:test::todo::${type}::r${i}`,
        props: sdk.unknownCheckingProxy(props as Record<string, unknown>),
    })) as unknown as PolicyResource[];
    return guarded(result, () =>
        policy.validateStack(
            { resources: policyResources, stackTags: new Map(Object.entries(options.stackTags ?? { environment: "prod" })), getConfig: () => options.config ?? {}, notApplicable: () => undefined as never } as never,
            collector(policy.description, policy.enforcementLevel ?? "advisory", result.violations) as never,
        ),
    );
}

const CONTAINER = /^(?:container|init container(?: \(native sidecar\))?|ephemeral container) "([^"]+)"$/;

/**
 * Compact, exact form of each violation for assertions: `"<level> <resource> <container|-> <field>"`,
 * prefixed with `exempted ` for exempted findings.
 */
export function findings(result: RunResult): string[] {
    return result.violations.map(({ level, message }) => {
        const body = message.split("\n").slice(1).join("\n");
        const exempted = body.startsWith("exempted: ");
        const text = exempted ? body.slice(body.indexOf(" — ") + 3) : body;
        const match = /^(\S+?)( [a-z ()]+"[^"]+")?: (\S+): /.exec(text);
        if (!match) {
            throw new Error(`unexpected message shape: ${message}`);
        }
        const container = match[2] ? CONTAINER.exec(match[2].trim())?.[1] : undefined;
        return `${exempted ? "exempted " : ""}${level} ${match[1]} ${container ?? "-"} ${match[3]}`;
    });
}
