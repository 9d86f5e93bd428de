/**
 * Configuration shared by every rule, and the conversion of zod schemas to the JSON Schema
 * CrossGuard's `configSchema` expects. The same zod schemas validate `--policy-pack-config` files
 * in the standalone checker, so the pack and the CLI cannot drift apart.
 */
import { z } from "zod";

/** Enforcement levels, as in `@pulumi/policy`. */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
/** One of {@link ENFORCEMENT_LEVELS}. */
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];
/** zod schema of an enforcement level. */
export const enforcementLevelSchema = z.enum(ENFORCEMENT_LEVELS);

/** The level a finding is finally reported at. */
export type ReportedLevel = "advisory" | "mandatory";

/** Properties every rule accepts in its configuration. */
export const commonConfigShape = {
    exemptNamespaces: z
        .array(z.string().min(1))
        .default([])
        .describe("Namespaces whose findings are reported as advisory 'exempted' notices instead of violations."),
    stackEnvironmentTag: z
        .string()
        .min(1)
        .default("environment")
        .describe("Name of the stack tag holding the environment (dev, staging, prod)."),
    mandatoryEnvironments: z
        .array(z.string().min(1))
        .default(["prod", "production"])
        .describe(
            "Environments in which findings keep the rule's enforcement level; everywhere else they are reported as advisory.",
        ),
};

/** Parsed common configuration. */
export interface CommonConfig {
    exemptNamespaces: string[];
    stackEnvironmentTag: string;
    mandatoryEnvironments: string[];
}

/** A parsed rule config seen generically: the common properties plus the rule's own. */
export type RuleConfig = CommonConfig & Record<string, unknown>;

/** Builds a rule's strict config schema: the common properties plus the rule's own. */
export function ruleConfigSchema<T extends z.ZodRawShape>(shape: T) {
    return z.strictObject({ ...commonConfigShape, ...shape });
}

/** The `configSchema` CrossGuard expects: JSON Schema `properties` (draft-07) of a zod object. */
export function toPolicyConfigSchema(schema: z.ZodObject): { properties: Record<string, Record<string, unknown>> } {
    const json = z.toJSONSchema(schema, { target: "draft-7", io: "input" }) as {
        properties?: Record<string, Record<string, unknown>>;
    };
    return { properties: json.properties ?? {} };
}

/**
 * Parses a rule's raw configuration (as returned by `args.getConfig()` or read from a config
 * file), filling defaults. Throws an error naming the rule, the field and the problem.
 */
export function parseRuleConfig<S extends z.ZodObject>(ruleId: string, schema: S, raw: unknown): z.output<S> {
    const result = schema.safeParse(raw ?? {});
    if (!result.success) {
        throw new Error(`Invalid configuration for policy "${ruleId}":\n${z.prettifyError(result.error)}`);
    }
    return result.data;
}

/** Reads the environment from stack tags (case-insensitive value, tag name from config). */
export function environmentFromTags(
    stackTags: ReadonlyMap<string, string> | Record<string, string> | undefined,
    tagName: string,
): string | undefined {
    if (!stackTags) {
        return undefined;
    }
    const value =
        stackTags instanceof Map || typeof (stackTags as ReadonlyMap<string, string>).get === "function"
            ? (stackTags as ReadonlyMap<string, string>).get(tagName)
            : (stackTags as Record<string, string>)[tagName];
    return value === undefined || value === "" ? undefined : value.toLowerCase();
}

/** True when findings in `environment` keep the rule's configured level. */
export function isMandatoryEnvironment(environment: string | undefined, config: CommonConfig): boolean {
    return environment !== undefined && config.mandatoryEnvironments.some((e) => e.toLowerCase() === environment);
}

/**
 * The level a finding is reported at:
 * - exempted findings are always advisory;
 * - outside the mandatory environments every finding is advisory (a downgrade, never an upgrade);
 * - inside them the configured level applies (`remediate` leftovers count as mandatory).
 */
export function reportedLevel(
    configured: Exclude<EnforcementLevel, "disabled">,
    environment: string | undefined,
    config: CommonConfig,
    exempted: boolean,
): ReportedLevel {
    if (exempted || !isMandatoryEnvironment(environment, config)) {
        return "advisory";
    }
    return configured === "advisory" ? "advisory" : "mandatory";
}
