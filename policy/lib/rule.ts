/**
 * Rule definitions: pure functions over plain Kubernetes objects plus the metadata CrossGuard
 * needs. `policies/*.ts` define one rule each; `lib/crossguard.ts` adapts a rule to a
 * `ResourceValidationPolicy` / `StackValidationPolicy`, and `lib/evaluate.ts` runs the same rule
 * over plain objects for the standalone checker and the root tests.
 */
import type { z } from "zod";
import type { CommonConfig } from "./config";
import { groupKind, KubernetesObject } from "./kube";
import type { CheckContext, Violation } from "./violation";

/** Policy severity, as in `@pulumi/policy` 1.20+. */
export type Severity = "low" | "medium" | "high" | "critical";

/** Metadata shared by resource and stack rules. */
export interface RuleMeta {
    /** Stable kebab-case id (the CrossGuard policy name). */
    id: string;
    /** One sentence. */
    description: string;
    severity: Severity;
    /** Topics (CrossGuard `tags`). */
    topics: string[];
    /** What to change when the rule fires. */
    remediationSteps: string;
    /** Further reading. */
    url?: string;
}

/** A change made by a remediation. */
export interface RemediationChange {
    /** Dotted field path. */
    field: string;
    /** What was set, as a sentence. */
    description: string;
}

/** A rule that looks at one object at a time. */
export interface ResourceRule<S extends z.ZodObject = z.ZodObject> extends RuleMeta {
    scope: "resource";
    /** Strict zod schema of the rule's configuration (common properties included). */
    config: S;
    /** True when the rule applies to objects of `group/Kind` `key` under `config`. */
    appliesTo(groupKindKey: string, config: z.output<S>): boolean;
    /** Why the rule does not apply (reported through `args.notApplicable`). */
    notApplicableReason: string;
    /** Returns every finding for `obj`; never throws except for unknown preview values. */
    check(obj: KubernetesObject, config: z.output<S>, ctx: CheckContext): Violation[];
    /**
     * Safe, deterministic fixes applied in place when the level is `remediate`. Only fills absent
     * values; never weakens anything. Returns the changes made.
     */
    remediate?(obj: KubernetesObject, config: z.output<S>, ctx: CheckContext): RemediationChange[];
}

/** A rule that looks at every object of the stack together. */
export interface StackRule<S extends z.ZodObject = z.ZodObject> extends RuleMeta {
    scope: "stack";
    config: S;
    /** Returns every finding for the stack; violations name the object they are about. */
    check(objects: KubernetesObject[], config: z.output<S>): Violation[];
}

/** Any rule. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = ResourceRule<any> | StackRule<any>;

/** Identity helper keeping the schema's type for `check`/`remediate`. */
export function defineResourceRule<S extends z.ZodObject>(rule: ResourceRule<S>): ResourceRule<S> {
    return rule;
}

/** Identity helper keeping the schema's type for `check`. */
export function defineStackRule<S extends z.ZodObject>(rule: StackRule<S>): StackRule<S> {
    return rule;
}

/** `group/Kind` of an object using its own apiVersion/kind. */
export function objectGroupKind(obj: KubernetesObject): string {
    return groupKind(typeof obj.apiVersion === "string" ? obj.apiVersion : "", typeof obj.kind === "string" ? obj.kind : "");
}

/** The common part of a parsed rule config. */
export type WithCommon<T> = T & CommonConfig;
