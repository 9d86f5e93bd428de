/**
 * Adapts pure rules to CrossGuard policies.
 *
 * Per-environment enforcement: `@pulumi/policy` 1.21 fixes each policy's level before a
 * validation runs (pack config → policy default → pack default) and exposes stack tags only
 * inside validations, so a pack-wide level cannot be computed from tags. Instead every finding is
 * reported through the SDK's object form of `reportViolation` (`{ message, enforcementLevel }`,
 * pulumi/pulumi-policy#424, present in 1.21.0 but not yet in its typings): outside the rule's
 * `mandatoryEnvironments` findings are downgraded to `advisory`; inside them the plain string
 * form is used, so the level resolved by the SDK (including `--policy-pack-config` overrides)
 * applies unchanged. Exempted findings are always advisory.
 */
import type {
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import {
    environmentFromTags,
    isMandatoryEnvironment,
    parseRuleConfig,
    toPolicyConfigSchema,
    type CommonConfig,
    type RuleConfig,
} from "./config";
import { groupKind, KubernetesObject, parsePulumiType } from "./kube";
import type { ResourceRule, StackRule } from "./rule";
import { exemptionOf, subjectOf, type CheckContext, type Violation } from "./violation";

/** The object form of `reportViolation` accepted by `@pulumi/policy` 1.21.0 at runtime. */
interface ViolationReport {
    message: string;
    urn?: string;
    enforcementLevel?: "advisory" | "mandatory";
}

/** Reports `violation`, downgrading it to advisory when exempted or outside mandatory environments. */
export function reportFinding(
    reportViolation: ReportViolation,
    description: string,
    violation: Violation,
    environment: string | undefined,
    config: CommonConfig,
    urn?: string,
): void {
    if (violation.exempted === undefined && isMandatoryEnvironment(environment, config)) {
        reportViolation(violation.message, urn);
        return;
    }
    // The string form prefixes the description; the object form does not, so add it for uniform output.
    const report: ViolationReport = { message: `${description}\n${violation.message}`, enforcementLevel: "advisory" };
    if (urn !== undefined) {
        report.urn = urn;
    }
    (reportViolation as unknown as (report: ViolationReport) => void)(report);
}

function metaFields(rule: ResourceRule | StackRule, level: EnforcementLevel) {
    return {
        name: rule.id,
        description: rule.description,
        enforcementLevel: level,
        severity: rule.severity,
        tags: rule.topics,
        remediationSteps: rule.remediationSteps,
        ...(rule.url !== undefined ? { url: rule.url } : {}),
        configSchema: toPolicyConfigSchema(rule.config),
    };
}

function identify(args: Pick<ResourceValidationArgs, "type" | "name">): CheckContext | undefined {
    const parsed = parsePulumiType(args.type);
    return parsed ? { ...parsed, fallbackName: args.name } : undefined;
}

/** Wraps a resource rule as a CrossGuard `ResourceValidationPolicy` at `level`. */
export function toResourcePolicy(rule: ResourceRule, level: EnforcementLevel): ResourceValidationPolicy {
    const applicable = (args: ResourceValidationArgs) => {
        const config = parseRuleConfig(rule.id, rule.config, args.getConfig()) as RuleConfig;
        const ctx = identify(args);
        if (!ctx || !rule.appliesTo(groupKind(ctx.apiVersion, ctx.kind), config)) {
            args.notApplicable(rule.notApplicableReason);
        }
        return { config, ctx: ctx! };
    };
    const policy: ResourceValidationPolicy = {
        ...metaFields(rule, level),
        validateResource: (args, reportViolation) => {
            const { config, ctx } = applicable(args);
            const violations = rule.check(args.props as KubernetesObject, config, ctx);
            const environment = environmentFromTags(args.stackTags, config.stackEnvironmentTag);
            for (const violation of violations) {
                reportFinding(reportViolation, rule.description, violation, environment, config);
            }
        },
    };
    if (rule.remediate) {
        const remediate = rule.remediate.bind(rule);
        policy.remediateResource = (args) => {
            const { config, ctx } = applicable(args);
            const obj = args.props as KubernetesObject;
            if (exemptionOf(rule.id, obj, config) !== undefined) {
                return undefined;
            }
            // Remediations mutate the (secret-preserving) props in place; the SDK serialises them.
            return remediate(obj, config, ctx).length > 0 ? args.props : undefined;
        };
    }
    return policy;
}

/** Wraps a stack rule as a CrossGuard `StackValidationPolicy` at `level`. */
export function toStackPolicy(rule: StackRule, level: EnforcementLevel): StackValidationPolicy {
    return {
        ...metaFields(rule, level),
        validateStack: (args, reportViolation) => {
            const config = parseRuleConfig(rule.id, rule.config, args.getConfig()) as RuleConfig;
            const objects: KubernetesObject[] = [];
            const urns = new Map<KubernetesObject, string>();
            for (const resource of args.resources) {
                if (!parsePulumiType(resource.type)) {
                    continue;
                }
                const obj = resource.props as KubernetesObject;
                objects.push(obj);
                urns.set(obj, resource.urn);
            }
            const environment = environmentFromTags(args.stackTags, config.stackEnvironmentTag);
            for (const violation of rule.check(objects, config)) {
                const subject = subjectOf(violation);
                reportFinding(reportViolation, rule.description, violation, environment, config, subject ? urns.get(subject) : undefined);
            }
        },
    };
}
