import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubernetesObject } from "../components/labels";
import { toolBin } from "./toolchain";

/** The toolchain's helm; tests fail (never skip) when it is missing. */
export function helmBinary(): string {
    const helm = process.env.HELM ?? path.join(toolBin("helm", "HELM_VERSION"), "helm");
    if (!fs.existsSync(helm)) {
        throw new Error(`helm not found at ${helm}: run scripts/toolchain.sh helm (or set HELM)`);
    }
    return helm;
}

/** `helm template` of a local chart with values, parsed into objects. */
export function helmTemplate(chart: string, release: string, namespace: string, values: unknown): KubernetesObject[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "todo-stack-values-"));
    try {
        const file = path.join(dir, "values.json");
        fs.writeFileSync(file, JSON.stringify(values));
        const text = execFileSync(helmBinary(), ["template", release, chart, "--namespace", namespace, "-f", file], { encoding: "utf8" });
        return parseAllDocuments(text)
            .map((doc) => doc.toJS() as KubernetesObject | null)
            .filter((o): o is KubernetesObject => o !== null);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
