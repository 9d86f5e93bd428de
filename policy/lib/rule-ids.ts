/**
 * Every rule id of the pack, in evaluation order. `policies.ts` is checked against this list by a
 * test; `exemption-annotations` uses it to reject exemptions naming unknown rules.
 */
export const RULE_IDS = [
    "required-labels",
    "required-annotations",
    "require-probes",
    "run-as-non-root",
    "no-privilege-escalation",
    "no-privileged",
    "drop-all-capabilities",
    "read-only-root-filesystem",
    "seccomp-runtime-default",
    "require-resources",
    "pinned-images",
    "no-host-namespaces-or-paths",
    "no-secret-literals-in-env",
    "restricted-service-types",
    "automount-service-account-token",
    "dapr-annotations",
    "kafka-topic-naming",
    "helm-release-inputs",
    "exemption-annotations",
    "pdb-for-replicated-workloads",
    "hpa-targets-existing-workload",
    "dapr-component-scopes",
    "dapr-subscription-topics",
] as const;

/** A rule id. */
export type RuleId = (typeof RULE_IDS)[number];
