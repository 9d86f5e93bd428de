import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where the project's toolchain lives, for tests: the same rules as scripts/lib.sh. */

export const REPO_ROOT = path.resolve(__dirname, "..");

/** Pinned versions, read from the one place that pins them. */
export const VERSIONS: Readonly<Record<string, string>> = Object.fromEntries(
    fs
        .readFileSync(path.join(REPO_ROOT, "toolchain", "versions.env"), "utf8")
        .split("\n")
        .map((line) => /^([A-Z_]+)=(\S+)/.exec(line.trim()))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => [match[1], match[2]]),
);

export function version(name: string): string {
    const value = VERSIONS[name];
    if (value === undefined) {
        throw new Error(`toolchain/versions.env does not pin ${name}`);
    }
    return value;
}

export const TOOLCHAIN_HOME =
    process.env.TODO_STACK_TOOLCHAIN_HOME ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "todo-stack-toolchain");

/** The bin folder of one pinned tool, e.g. `toolBin("helm", "HELM_VERSION")`. */
export const toolBin = (tool: string, versionKey: string) => path.join(TOOLCHAIN_HOME, tool, version(versionKey), "bin");
