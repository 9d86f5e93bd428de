import { describe, expect, it } from "@jest/globals";
import { dropAllCapabilities } from "../policies/drop-all-capabilities";
import { noPrivilegeEscalation } from "../policies/no-privilege-escalation";
import { noPrivileged } from "../policies/no-privileged";
import { readOnlyRootFilesystem } from "../policies/read-only-root-filesystem";
import { runAsNonRoot } from "../policies/run-as-non-root";
import { seccompRuntimeDefault } from "../policies/seccomp-runtime-default";
import { container, others, SPEC_PATH, specOf, WORKLOAD_KINDS, workloads } from "./fixtures";
import { findings, runRemediation, runResourcePolicy, UNKNOWN } from "./harness";

const D = workloads.Deployment;
const C0 = "spec.template.spec.containers[0]";

describe("container security policies", () => {
    const all = [runAsNonRoot, noPrivilegeEscalation, noPrivileged, dropAllCapabilities, readOnlyRootFilesystem, seccompRuntimeDefault];

    describe.each(WORKLOAD_KINDS)("on a compliant %s", (kind) => {
        it.each(all.map((p) => [p("mandatory").name, p] as const))("%s reports nothing", async (_name, factory) => {
            const result = await runResourcePolicy(factory("mandatory"), workloads[kind].type, workloads[kind].make());
            expect(result).toEqual({ violations: [], previewNotices: [] });
        });
    });

    it.each(all.map((p) => [p("mandatory").name, p] as const))("%s is not applicable to a Service", async (_name, factory) => {
        const result = await runResourcePolicy(factory("mandatory"), others.Service.type, others.Service.make());
        expect(result.notApplicable).toMatch(/pod-bearing kinds/);
        expect(result.violations).toEqual([]);
    });

    it.each(all.map((p) => [p("mandatory").name, p] as const))("%s is safe on a pod template without a spec", async (_name, factory) => {
        const obj = D.make();
        delete obj.spec.template.spec;
        const result = await runResourcePolicy(factory("mandatory"), D.type, obj);
        expect(result).toEqual({ violations: [], previewNotices: [] });
    });
});

describe("run-as-non-root", () => {
    const policy = runAsNonRoot("mandatory");

    it.each(WORKLOAD_KINDS)("flags a %s whose pod and container leave the user unset", async (kind) => {
        const obj = workloads[kind].make();
        delete specOf(obj).securityContext.runAsNonRoot;
        delete specOf(obj).securityContext.runAsUser;
        const result = await runResourcePolicy(policy, workloads[kind].type, obj);
        expect(findings(result)).toEqual([`mandatory ${kind}/todo/backend app ${SPEC_PATH[kind]}.containers[0].securityContext.runAsNonRoot`]);
    });

    it("passes runAsNonRoot: false when a non-zero runAsUser is inherited from the pod", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext.runAsNonRoot = false;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([]);
    });

    it("passes when only a non-zero runAsUser is inherited from the pod", async () => {
        const obj = D.make();
        delete obj.spec.template.spec.securityContext.runAsNonRoot;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([]);
    });

    it("flags a container overriding the pod with runAsNonRoot: false", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext.runAsNonRoot = false;
        delete obj.spec.template.spec.securityContext.runAsUser;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.securityContext.runAsNonRoot`]);
    });

    it("flags a container overriding the pod with runAsUser: 0", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext.runAsUser = 0;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.securityContext.runAsUser`]);
    });

    it("flags an inherited pod-level runAsUser: 0 on the pod's field", async () => {
        const obj = D.make();
        obj.spec.template.spec.securityContext.runAsUser = 0;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend app spec.template.spec.securityContext.runAsUser",
        ]);
    });

    it("flags init and ephemeral containers that run as root", async () => {
        const obj = D.make();
        obj.spec.template.spec.initContainers = [{ ...container("migrate"), securityContext: { ...container().securityContext, runAsUser: 0 } }];
        obj.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "busybox:1.36", securityContext: { runAsUser: 0 } }];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend migrate spec.template.spec.initContainers[0].securityContext.runAsUser",
            "mandatory Deployment/todo/backend debug spec.template.spec.ephemeralContainers[0].securityContext.runAsUser",
        ]);
    });

    it("names the init container in the message", async () => {
        const obj = D.make();
        obj.spec.template.spec.initContainers = [{ ...container("migrate"), securityContext: { runAsUser: 0 } }];
        const [violation] = (await runResourcePolicy(policy, D.type, obj)).violations;
        expect(violation.message).toContain('Deployment/todo/backend init container "migrate": spec.template.spec.initContainers[0].securityContext.runAsUser: runAsUser is 0 (root)');
        expect(violation.message).toContain("Fix: set a non-zero runAsUser");
    });

    it("does not report an unknown runAsUser during preview", async () => {
        const obj = D.make();
        obj.spec.template.spec.securityContext.runAsUser = UNKNOWN;
        const result = await runResourcePolicy(policy, D.type, obj);
        expect(result.violations).toEqual([]);
        expect(result.previewNotices).toEqual([expect.stringContaining("can't be known during preview")]);
    });
});

describe("no-privilege-escalation", () => {
    const policy = noPrivilegeEscalation("mandatory");

    it.each(WORKLOAD_KINDS)("flags a %s container without allowPrivilegeEscalation", async (kind) => {
        const obj = workloads[kind].make();
        delete specOf(obj).containers[0].securityContext.allowPrivilegeEscalation;
        expect(findings(await runResourcePolicy(policy, workloads[kind].type, obj))).toEqual([
            `mandatory ${kind}/todo/backend app ${SPEC_PATH[kind]}.containers[0].securityContext.allowPrivilegeEscalation`,
        ]);
    });

    it("flags allowPrivilegeEscalation: true on an init container", async () => {
        const obj = D.make();
        obj.spec.template.spec.initContainers = [{ ...container("migrate"), securityContext: { ...container().securityContext, allowPrivilegeEscalation: true } }];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend migrate spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation",
        ]);
    });

    it("ignores a pod-level value, which Kubernetes does not have", async () => {
        const obj = D.make();
        delete obj.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation;
        obj.spec.template.spec.securityContext.allowPrivilegeEscalation = false;
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toHaveLength(1);
    });

    it("remediates by setting false where absent", async () => {
        const obj = D.make();
        delete obj.spec.template.spec.containers[0].securityContext;
        const fixed = (await runRemediation(policy, D.type, obj)) as any;
        expect(fixed.spec.template.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false });
    });

    it("does not remediate a privileged container, which Kubernetes would reject", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext = { privileged: true };
        expect(await runRemediation(policy, D.type, obj)).toBeUndefined();
    });

    it("does not remediate an explicit true", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
        expect(await runRemediation(policy, D.type, obj)).toBeUndefined();
    });
});

describe("no-privileged", () => {
    const policy = noPrivileged("mandatory");

    it.each(WORKLOAD_KINDS)("flags a privileged %s container", async (kind) => {
        const obj = workloads[kind].make();
        specOf(obj).containers[0].securityContext.privileged = true;
        expect(findings(await runResourcePolicy(policy, workloads[kind].type, obj))).toEqual([
            `mandatory ${kind}/todo/backend app ${SPEC_PATH[kind]}.containers[0].securityContext.privileged`,
        ]);
    });

    it("flags a privileged ephemeral container", async () => {
        const obj = D.make();
        obj.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "busybox:1.36", securityContext: { privileged: true } }];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend debug spec.template.spec.ephemeralContainers[0].securityContext.privileged",
        ]);
    });

    it("passes privileged: false and an absent securityContext", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext.privileged = false;
        obj.spec.template.spec.containers.push({ name: "plain", image: "busybox:1.36" });
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([]);
    });
});

describe("drop-all-capabilities", () => {
    const policy = dropAllCapabilities("mandatory");

    it.each(WORKLOAD_KINDS)("flags a %s container that does not drop ALL", async (kind) => {
        const obj = workloads[kind].make();
        specOf(obj).containers[0].securityContext.capabilities.drop = ["NET_RAW"];
        expect(findings(await runResourcePolicy(policy, workloads[kind].type, obj))).toEqual([
            `mandatory ${kind}/todo/backend app ${SPEC_PATH[kind]}.containers[0].securityContext.capabilities.drop`,
        ]);
    });

    it("flags each dangerous added capability, with or without the CAP_ prefix", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext.capabilities.add = ["CAP_SYS_ADMIN", "NET_BIND_SERVICE", "net_raw"];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            `mandatory Deployment/todo/backend app ${C0}.securityContext.capabilities.add`,
            `mandatory Deployment/todo/backend app ${C0}.securityContext.capabilities.add`,
        ]);
    });

    it("accepts a dangerous capability listed in allowedCapabilities", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext.capabilities.add = ["NET_ADMIN"];
        const result = await runResourcePolicy(policy, D.type, obj, { config: { allowedCapabilities: ["NET_ADMIN"] } });
        expect(findings(result)).toEqual([]);
    });

    it("flags an init container without capabilities", async () => {
        const obj = D.make();
        obj.spec.template.spec.initContainers = [{ ...container("migrate"), securityContext: { allowPrivilegeEscalation: false } }];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend migrate spec.template.spec.initContainers[0].securityContext.capabilities.drop",
        ]);
    });

    it("fails loudly on a misspelt config property", async () => {
        await expect(runResourcePolicy(policy, D.type, D.make(), { config: { allowedCapabilitys: ["NET_ADMIN"] } })).rejects.toThrow(
            /Invalid configuration for policy "drop-all-capabilities"[\s\S]*allowedCapabilitys/,
        );
    });
});

describe("read-only-root-filesystem", () => {
    const policy = readOnlyRootFilesystem("mandatory");

    it.each(WORKLOAD_KINDS)("flags a %s container with a writable root filesystem", async (kind) => {
        const obj = workloads[kind].make();
        specOf(obj).containers[0].securityContext.readOnlyRootFilesystem = false;
        expect(findings(await runResourcePolicy(policy, workloads[kind].type, obj))).toEqual([
            `mandatory ${kind}/todo/backend app ${SPEC_PATH[kind]}.containers[0].securityContext.readOnlyRootFilesystem`,
        ]);
    });

    it("checks init containers too, unlike the upstream pack", async () => {
        const obj = D.make();
        obj.spec.template.spec.initContainers = [{ ...container("migrate"), securityContext: { allowPrivilegeEscalation: false } }];
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend migrate spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem",
        ]);
    });
});

describe("seccomp-runtime-default", () => {
    const policy = seccompRuntimeDefault("mandatory");

    it.each(WORKLOAD_KINDS)("flags a %s with no profile anywhere", async (kind) => {
        const obj = workloads[kind].make();
        delete specOf(obj).securityContext.seccompProfile;
        expect(findings(await runResourcePolicy(policy, workloads[kind].type, obj))).toEqual([
            `mandatory ${kind}/todo/backend app ${SPEC_PATH[kind]}.containers[0].securityContext.seccompProfile.type`,
        ]);
    });

    it("lets the container's profile win over the pod's", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext.seccompProfile = { type: "Unconfined" };
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([`mandatory Deployment/todo/backend app ${C0}.securityContext.seccompProfile.type`]);
    });

    it("accepts a container RuntimeDefault under an Unconfined pod", async () => {
        const obj = D.make();
        obj.spec.template.spec.securityContext.seccompProfile = { type: "Unconfined" };
        obj.spec.template.spec.containers[0].securityContext.seccompProfile = { type: "RuntimeDefault" };
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([]);
    });

    it("flags an inherited Unconfined profile on the pod's field", async () => {
        const obj = D.make();
        obj.spec.template.spec.securityContext.seccompProfile = { type: "Unconfined" };
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([
            "mandatory Deployment/todo/backend app spec.template.spec.securityContext.seccompProfile.type",
        ]);
    });

    it("rejects Localhost when configured to allow RuntimeDefault only", async () => {
        const obj = D.make();
        obj.spec.template.spec.securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/app.json" };
        expect(findings(await runResourcePolicy(policy, D.type, obj))).toEqual([]);
        expect(findings(await runResourcePolicy(policy, D.type, obj, { config: { allowedProfiles: ["RuntimeDefault"] } }))).toHaveLength(1);
    });

    it("remediates a missing pod profile with RuntimeDefault", async () => {
        const obj = D.make();
        delete obj.spec.template.spec.securityContext.seccompProfile;
        const fixed = (await runRemediation(policy, D.type, obj)) as any;
        expect(fixed.spec.template.spec.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
        expect(findings(await runResourcePolicy(policy, D.type, fixed))).toEqual([]);
    });

    it("does not remediate an explicit Unconfined container profile", async () => {
        const obj = D.make();
        obj.spec.template.spec.containers[0].securityContext.seccompProfile = { type: "Unconfined" };
        expect(await runRemediation(policy, D.type, obj)).toBeUndefined();
    });
});
