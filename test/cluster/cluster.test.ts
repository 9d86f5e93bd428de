import { beforeAll, describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { kubectl, kubectlJson, requireLocalCluster, VERSIONS } from "./kube";

interface Node {
    metadata: { name: string; annotations?: Record<string, string> };
    status: { conditions: { type: string; status: string }[] };
}

/** "0100007F:7FFF" (from /proc/net/tcp) -> "127.0.0.1:32767"; IPv6 addresses stay hex. */
function decodeAddress(hex: string): string {
    const [address, port] = hex.split(":");
    const host = address.length === 8 ? address.match(/../g)!.reverse().map((byte) => parseInt(byte, 16)).join(".") : address;
    return `${host}:${parseInt(port, 16)}`;
}

const IPV6_LOOPBACK = "00000000000000000000000001000000";

/** Listening TCP sockets of the cluster's processes (kwok's binary runtime writes their pid files). */
function listeningAddresses(clusterDir: string): Map<string, string[]> {
    const listening = new Map<string, string>(); // socket inode -> local address
    for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
        for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
            const fields = line.trim().split(/\s+/);
            if (fields.length > 9 && fields[3] === "0A") {
                listening.set(fields[9], decodeAddress(fields[1]));
            }
        }
    }
    const byComponent = new Map<string, string[]>();
    const pidDir = path.join(clusterDir, "pids");
    for (const file of fs.readdirSync(pidDir).filter((f) => f.endsWith(".pid"))) {
        const pid = fs.readFileSync(path.join(pidDir, file), "utf8").trim();
        const addresses = fs
            .readdirSync(`/proc/${pid}/fd`)
            .map((fd) => /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: "utf8" }))?.[1])
            .flatMap((inode) => (inode !== undefined && listening.has(inode) ? [listening.get(inode)!] : []));
        byComponent.set(file.replace(/\.pid$/, ""), addresses.sort());
    }
    return byComponent;
}

describe("the local cluster", () => {
    beforeAll(requireLocalCluster, 30_000);

    it(`serves Kubernetes v${VERSIONS.KUBERNETES_VERSION} on loopback with 3 ready nodes`, async () => {
        const version = await kubectlJson<{ serverVersion: { gitVersion: string } }>(["version"]);
        expect(version.serverVersion.gitVersion).toBe(`v${VERSIONS.KUBERNETES_VERSION}`);

        const server = (await kubectl(["config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"])).trim();
        expect(server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        // Every component (etcd, apiserver, controller-manager, scheduler, kwok) listens on loopback only.
        const components = listeningAddresses(path.dirname(process.env.KUBECONFIG!));
        expect([...components.keys()].sort()).toEqual(["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok-controller"]);
        expect(components.get("kube-apiserver")).toContain(new URL(server).host);
        for (const [component, addresses] of components) {
            const exposed = addresses.filter((address) => !address.startsWith("127.0.0.1:") && !address.startsWith(`${IPV6_LOOPBACK}:`));
            expect({ component, exposed }).toEqual({ component, exposed: [] });
        }

        const nodes = await kubectlJson<{ items: Node[] }>(["get", "nodes"]);
        expect(nodes.items).toHaveLength(3);
        for (const node of nodes.items) {
            expect(node.metadata.annotations?.["kwok.x-k8s.io/node"]).toBe("fake");
            expect(node.status.conditions.find((condition) => condition.type === "Ready")?.status).toBe("True");
        }
    }, 60_000);
});
