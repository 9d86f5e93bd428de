/**
 * Runs every resource rule and every stack rule over plain Kubernetes objects, the way the pack
 * runs under `pulumi preview`: remediations first (rules at level `remediate`), then resource
 * rules per object, then stack rules over all objects; findings get their reported level from the
 * rule's configured level, the environment and exemptions.
 */
import { environmentFromTags, reportedLevel, type CommonConfig, type EnforcementLevel, type ReportedLevel, type RuleConfig } from "./config";
import { isUnknownValueError, KubernetesObject } from "./kube";
import { resolvePackConfig } from "./pack-config";
import { rules } from "../policies";
import { objectGroupKind, type AnyRule } from "./rule";
import { describeResource, exemptionOf, rebindSubject, subjectOf, type CheckContext, type Violation } from "./violation";

/** Options of {@link evaluateObjects}. */
export interface EvaluateOptions {
    /**
     * Pack configuration in the `--policy-pack-config` shape, validated with the policies' own
     * schemas (throws on unknown rules or properties).
     * @default {} - every rule at the pack default level (mandatory) with its default settings
     */
    config?: unknown;
    /**
     * The environment (dev, staging, prod...). Findings keep their configured level only when it is
     * one of the rule's `mandatoryEnvironments` (default prod, production); otherwise they are advisory.
     * @default - read from `stackTags` (tag named by each rule's `stackEnvironmentTag`, default `environment`)
     */
    environment?: string;
    /** Stack tags, as CrossGuard passes them. @default {} */
    stackTags?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
    /** Only run these rule ids. @default - every rule */
    rules?: readonly string[];
}

/** A finding with the level it is reported at. */
export interface EvaluatedViolation extends Violation {
    /** The level the finding is reported at (exempted, unknown and remediated records are advisory). */
    enforcementLevel: ReportedLevel;
    /** Set on records describing a change made by a rule at level `remediate`. */
    remediated?: true;
    /** Set when the rule could not run because a value is unknown (preview). */
    unknown?: true;
}

function contextOf(obj: KubernetesObject): CheckContext | undefined {
    return typeof obj.apiVersion === "string" && typeof obj.kind === "string"
        ? { apiVersion: obj.apiVersion, kind: obj.kind }
        : undefined;
}

function unknownRecord(rule: AnyRule, obj: KubernetesObject, error: Error & { props: PropertyKey[] }): EvaluatedViolation {
    const resource = describeResource(obj).id;
    return {
        rule: rule.id,
        resource,
        field: error.props.map(String).join("."),
        message: `can't run policy '${rule.id}' during preview: ${error.message}`,
        fix: "none needed; the rule runs once the value is known",
        enforcementLevel: "advisory",
        unknown: true,
    };
}

/**
 * Evaluates every rule of the pack over `objects` (plain Kubernetes objects; a Helm Release is
 * `{ apiVersion: "helm.sh/v3", kind: "Release", ...inputs }`, see `toKubernetesObject`).
 * Objects are not modified. Returns the findings in object order, then stack-rule order.
 */
export function evaluateObjects(objects: readonly KubernetesObject[], options: EvaluateOptions = {}): EvaluatedViolation[] {
    const pack = resolvePackConfig(options.config);
    const selected = rules.filter((rule) => options.rules === undefined || options.rules.includes(rule.id));
    const active = selected
        .map((rule) => ({ rule, level: pack.levelOf(rule), config: pack.configOf(rule) }))
        .filter((entry): entry is { rule: AnyRule; level: Exclude<EnforcementLevel, "disabled">; config: RuleConfig } => entry.level !== "disabled");
    const environmentFor = (config: { stackEnvironmentTag: string }) =>
        options.environment !== undefined ? options.environment.toLowerCase() : environmentFromTags(options.stackTags, config.stackEnvironmentTag);
    const record = (violation: Violation, level: Exclude<EnforcementLevel, "disabled">, config: CommonConfig, subject: KubernetesObject): EvaluatedViolation => {
        const evaluated: EvaluatedViolation = {
            ...violation,
            enforcementLevel: reportedLevel(level, environmentFor(config), config, violation.exempted !== undefined),
        };
        rebindSubject(evaluated, subject);
        return evaluated;
    };

    const out: EvaluatedViolation[] = [];
    // Remediations change a working copy; without them the objects are only read.
    const remediating = active.some((entry) => entry.level === "remediate");
    const evaluated = objects.map((original) => ({ original, working: remediating ? (structuredClone(original) as KubernetesObject) : original }));
    const originals = new Map<KubernetesObject, KubernetesObject>(evaluated.map((e) => [e.working, e.original]));

    for (const { original, working } of evaluated) {
        const ctx = contextOf(working);
        if (!ctx) {
            continue;
        }
        const key = objectGroupKind(working);
        // Remediations run first, as the engine does, and later rules see their result.
        for (const { rule, level, config } of active) {
            if (rule.scope !== "resource" || level !== "remediate" || !rule.remediate || !rule.appliesTo(key, config)) {
                continue;
            }
            if (exemptionOf(rule.id, working, config) !== undefined) {
                continue;
            }
            const resource = describeResource(working, ctx);
            for (const change of rule.remediate(working, config, ctx)) {
                const remediated: EvaluatedViolation = {
                    rule: rule.id,
                    resource: resource.id,
                    field: change.field,
                    message: `remediated: ${resource.id}: ${change.field}: ${change.description} (applied automatically by pulumi preview/up at level remediate).`,
                    fix: change.description,
                    ...(resource.configKey !== undefined ? { configKey: resource.configKey } : {}),
                    enforcementLevel: "advisory",
                    remediated: true,
                };
                rebindSubject(remediated, original);
                out.push(remediated);
            }
        }
        for (const { rule, level, config } of active) {
            if (rule.scope !== "resource" || !rule.appliesTo(key, config)) {
                continue;
            }
            try {
                for (const violation of rule.check(working, config, ctx)) {
                    out.push(record(violation, level, config, original));
                }
            } catch (error) {
                if (!isUnknownValueError(error)) {
                    throw error;
                }
                const unknown = unknownRecord(rule, original, error);
                rebindSubject(unknown, original);
                out.push(unknown);
            }
        }
    }

    const workingObjects = evaluated.map((e) => e.working).filter((o) => contextOf(o) !== undefined);
    for (const { rule, level, config } of active) {
        if (rule.scope !== "stack") {
            continue;
        }
        try {
            for (const violation of rule.check(workingObjects, config)) {
                const subject = subjectOf(violation) ?? {};
                out.push(record(violation, level, config, originals.get(subject) ?? subject));
            }
        } catch (error) {
            if (!isUnknownValueError(error)) {
                throw error;
            }
            out.push({ ...unknownRecord(rule, {}, error), resource: "(stack)" });
        }
    }
    return out;
}
