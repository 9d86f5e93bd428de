/**
 * Reads Kubernetes objects from YAML/JSON files, folders and stdin for the standalone checker:
 * multi-document YAML (e.g. `helm template` output), `List` kinds flattened, documents that are
 * not Kubernetes objects (no apiVersion/kind) skipped with a warning.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { isRecord, KubernetesObject } from "./kube";

/** A parse or input error; the CLI exits with status 2. */
export class InputError extends Error {}

/** An object and where it came from (`file#<document index from 1>`). */
export interface LoadedObject {
    object: KubernetesObject;
    source: string;
}

const EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Lists the files to read for `path`: the file itself, or every *.yaml/*.yml/*.json below a folder (sorted). */
export function collectFiles(path: string): string[] {
    let stats;
    try {
        stats = statSync(path);
    } catch {
        throw new InputError(`cannot read ${path}: no such file or directory`);
    }
    if (stats.isFile()) {
        return [path];
    }
    const out: string[] = [];
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const child = join(path, entry.name);
        if (entry.isDirectory()) {
            out.push(...collectFiles(child));
        } else if (entry.isFile() && EXTENSIONS.has(extname(entry.name).toLowerCase())) {
            out.push(child);
        }
    }
    return out;
}

function flatten(value: unknown, source: string, out: LoadedObject[], warnings: string[]): void {
    if (!isRecord(value)) {
        warnings.push(`${source}: skipped, not a mapping`);
        return;
    }
    if (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
        value.items.forEach((item, i) => flatten(item, `${source}.items[${i}]`, out, warnings));
        return;
    }
    if (typeof value.apiVersion !== "string" || typeof value.kind !== "string") {
        warnings.push(`${source}: skipped, not a Kubernetes object (apiVersion or kind missing)`);
        return;
    }
    out.push({ object: value as KubernetesObject, source });
}

/** Parses multi-document YAML (JSON is YAML) into objects; throws {@link InputError} on syntax errors. */
export function parseDocuments(text: string, name: string, warnings: string[] = []): LoadedObject[] {
    const out: LoadedObject[] = [];
    const documents = parseAllDocuments(text);
    if (!Array.isArray(documents)) {
        return out;
    }
    documents.forEach((doc, i) => {
        if (doc.errors.length > 0) {
            const error = doc.errors[0];
            const line = error.linePos?.[0]?.line;
            throw new InputError(`${name}: YAML error in document ${i + 1}${line !== undefined ? ` at line ${line}` : ""}: ${error.message.split("\n")[0]}`);
        }
        let value: unknown;
        try {
            value = doc.toJS({ maxAliasCount: 100 });
        } catch (error) {
            throw new InputError(`${name}: YAML error in document ${i + 1}: ${(error as Error).message.split("\n")[0]}`);
        }
        if (value === null || value === undefined) {
            return;
        }
        flatten(value, `${name}#${i + 1}`, out, warnings);
    });
    return out;
}

/** Reads every object from `paths` (`-` is stdin text passed as `stdin`). */
export function loadObjects(paths: readonly string[], readStdin: () => string, warnings: string[] = []): LoadedObject[] {
    const out: LoadedObject[] = [];
    for (const path of paths) {
        if (path === "-") {
            out.push(...parseDocuments(readStdin(), "<stdin>", warnings));
            continue;
        }
        const files = collectFiles(path);
        if (files.length === 0) {
            warnings.push(`${path}: no *.yaml, *.yml or *.json files found`);
        }
        for (const file of files) {
            out.push(...parseDocuments(readFileSync(file, "utf8"), file, warnings));
        }
    }
    return out;
}
