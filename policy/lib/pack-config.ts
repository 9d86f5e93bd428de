/**
 * The pack configuration file (`--policy-pack-config` for `pulumi preview`, `--config` for the
 * standalone checker): `{ "<rule>": "<level>" | { "enforcementLevel"?: "<level>", ...properties }, "all"?: "<level>" }`.
 * Validated with the same strict zod schemas the policies parse their config with.
 */
import { z } from "zod";
import { rules, enforcementLevel as packDefaultLevel } from "../policies";
import { enforcementLevelSchema, parseRuleConfig, type EnforcementLevel, type RuleConfig } from "./config";
import type { AnyRule } from "./rule";

/** Raw pack configuration, as written in the JSON/YAML file. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** zod schema of a pack configuration file. */
export const packConfigSchema = z.strictObject({
    all: enforcementLevelSchema.optional(),
    ...Object.fromEntries(
        rules.map((rule) => [
            rule.id,
            z.union([enforcementLevelSchema, rule.config.extend({ enforcementLevel: enforcementLevelSchema.optional() })]).optional(),
        ]),
    ),
});

/** A validated pack configuration: each rule's level and parsed config. */
export interface ResolvedPackConfig {
    levelOf(rule: AnyRule): EnforcementLevel;
    configOf(rule: AnyRule): RuleConfig;
}

/** Validates a raw pack configuration; throws an error naming the offending key. */
export function resolvePackConfig(raw: unknown): ResolvedPackConfig {
    const result = packConfigSchema.safeParse(raw ?? {});
    if (!result.success) {
        throw new Error(`Invalid policy pack configuration:\n${z.prettifyError(result.error)}`);
    }
    const config = (raw ?? {}) as PackConfig;
    return {
        levelOf(rule) {
            const entry = config[rule.id];
            const own = typeof entry === "string" ? entry : entry?.enforcementLevel;
            return own ?? (config.all as EnforcementLevel | undefined) ?? packDefaultLevel;
        },
        configOf(rule) {
            const entry = config[rule.id];
            const { enforcementLevel: _ignored, ...properties } = typeof entry === "object" && entry !== null ? entry : {};
            return parseRuleConfig(rule.id, rule.config, properties) as RuleConfig;
        },
    };
}
