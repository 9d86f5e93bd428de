import * as fs from "node:fs";
import { parse } from "yaml";
import { PROJECT, RawStackConfig } from "./config";

/**
 * Reads a committed `Pulumi.<stack>.yaml` the way the Pulumi runtime would hand it to
 * `loadConfig()`: values under the project namespace, `secure:` entries as secret key names.
 * Used by tests, `npm run graph` and the real-API tests, which have no Pulumi engine.
 * `extraSecretKeys` stands in for secrets a test owns (staging and prod commit none).
 */
export function readStackFile(file: string, extraSecretKeys: string[] = []): RawStackConfig {
    return stackConfigFromYaml(fs.readFileSync(file, "utf8"), extraSecretKeys);
}

export function stackConfigFromYaml(text: string, extraSecretKeys: string[] = []): RawStackConfig {
    const document = (parse(text) ?? {}) as { config?: Record<string, unknown> };
    const values: Record<string, unknown> = {};
    const secretKeys = new Set(extraSecretKeys);
    for (const [fullKey, value] of Object.entries(document.config ?? {})) {
        const [namespace, key] = fullKey.includes(":") ? fullKey.split(":", 2) : [PROJECT, fullKey];
        if (namespace !== PROJECT) {
            continue;
        }
        if (isSecureValue(value)) {
            secretKeys.add(key);
        } else {
            values[key] = value;
        }
    }
    return { values, secretKeys: [...secretKeys].sort() };
}

function isSecureValue(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}
