/**
 * The pack's policies and the pure rules behind them, in one place.
 *
 * `policies` is what `index.ts` hands to `new PolicyPack`; `rules` is what `lib/evaluate.ts` (the
 * standalone checker and the root tests) runs over plain objects. Both follow `RULE_IDS` order.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import type { AnyRule } from "./lib/rule";
import { automountServiceAccountToken, automountServiceAccountTokenRule } from "./policies/automount-service-account-token";
import { daprAnnotations, daprAnnotationsRule } from "./policies/dapr-annotations";
import { daprComponentScopes, daprComponentScopesRule } from "./policies/dapr-component-scopes";
import { daprSubscriptionTopics, daprSubscriptionTopicsRule } from "./policies/dapr-subscription-topics";
import { dropAllCapabilities, dropAllCapabilitiesRule } from "./policies/drop-all-capabilities";
import { exemptionAnnotations, exemptionAnnotationsRule } from "./policies/exemption-annotations";
import { helmReleaseInputs, helmReleaseInputsRule } from "./policies/helm-release-inputs";
import { hpaTargetsExistingWorkload, hpaTargetsExistingWorkloadRule } from "./policies/hpa-targets-existing-workload";
import { kafkaTopicNaming, kafkaTopicNamingRule } from "./policies/kafka-topic-naming";
import { noHostNamespacesOrPaths, noHostNamespacesOrPathsRule } from "./policies/no-host-namespaces-or-paths";
import { noPrivilegeEscalation, noPrivilegeEscalationRule } from "./policies/no-privilege-escalation";
import { noPrivileged, noPrivilegedRule } from "./policies/no-privileged";
import { noSecretLiteralsInEnv, noSecretLiteralsInEnvRule } from "./policies/no-secret-literals-in-env";
import { pdbForReplicatedWorkloads, pdbForReplicatedWorkloadsRule } from "./policies/pdb-for-replicated-workloads";
import { pinnedImages, pinnedImagesRule } from "./policies/pinned-images";
import { readOnlyRootFilesystem, readOnlyRootFilesystemRule } from "./policies/read-only-root-filesystem";
import { requireProbes, requireProbesRule } from "./policies/require-probes";
import { requireResources, requireResourcesRule } from "./policies/require-resources";
import { requiredAnnotations, requiredAnnotationsRule } from "./policies/required-annotations";
import { requiredLabels, requiredLabelsRule } from "./policies/required-labels";
import { restrictedServiceTypes, restrictedServiceTypesRule } from "./policies/restricted-service-types";
import { runAsNonRoot, runAsNonRootRule } from "./policies/run-as-non-root";
import { seccompRuntimeDefault, seccompRuntimeDefaultRule } from "./policies/seccomp-runtime-default";

/**
 * Default level of every policy. Findings keep it only in the `mandatoryEnvironments` (prod,
 * production); elsewhere they are reported as advisory (see lib/crossguard.ts).
 */
export const enforcementLevel: EnforcementLevel = "mandatory";

/** The pure rules, in evaluation order. */
export const rules: readonly AnyRule[] = [
    requiredLabelsRule,
    requiredAnnotationsRule,
    requireProbesRule,
    runAsNonRootRule,
    noPrivilegeEscalationRule,
    noPrivilegedRule,
    dropAllCapabilitiesRule,
    readOnlyRootFilesystemRule,
    seccompRuntimeDefaultRule,
    requireResourcesRule,
    pinnedImagesRule,
    noHostNamespacesOrPathsRule,
    noSecretLiteralsInEnvRule,
    restrictedServiceTypesRule,
    automountServiceAccountTokenRule,
    daprAnnotationsRule,
    kafkaTopicNamingRule,
    helmReleaseInputsRule,
    exemptionAnnotationsRule,
    pdbForReplicatedWorkloadsRule,
    hpaTargetsExistingWorkloadRule,
    daprComponentScopesRule,
    daprSubscriptionTopicsRule,
];

/** The CrossGuard policies of the pack. */
export const policies: Policies = [
    requiredLabels(enforcementLevel),
    requiredAnnotations(enforcementLevel),
    requireProbes(enforcementLevel),
    runAsNonRoot(enforcementLevel),
    noPrivilegeEscalation(enforcementLevel),
    noPrivileged(enforcementLevel),
    dropAllCapabilities(enforcementLevel),
    readOnlyRootFilesystem(enforcementLevel),
    seccompRuntimeDefault(enforcementLevel),
    requireResources(enforcementLevel),
    pinnedImages(enforcementLevel),
    noHostNamespacesOrPaths(enforcementLevel),
    noSecretLiteralsInEnv(enforcementLevel),
    restrictedServiceTypes(enforcementLevel),
    automountServiceAccountToken(enforcementLevel),
    daprAnnotations(enforcementLevel),
    kafkaTopicNaming(enforcementLevel),
    helmReleaseInputs(enforcementLevel),
    exemptionAnnotations(enforcementLevel),
    pdbForReplicatedWorkloads(enforcementLevel),
    hpaTargetsExistingWorkload(enforcementLevel),
    daprComponentScopes(enforcementLevel),
    daprSubscriptionTopics(enforcementLevel),
];
