import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackConfig } from "../components/config";
import { readStackFile } from "../components/stack-file";

const corpus = path.join(__dirname, "fixtures", "bad-configs");
const cases = fs
    .readdirSync(corpus)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => {
        const expected = /^# expect: (.+)$/m.exec(fs.readFileSync(path.join(corpus, file), "utf8"))?.[1];
        return { file, expected };
    });

describe("the corpus of bad stack configs", () => {
    it("has an expected key path for every fixture", () => {
        expect(cases.length).toBeGreaterThanOrEqual(15);
        expect(cases.filter((c) => c.expected === undefined)).toEqual([]);
    });

    it.each(cases)("rejects $file naming the stack file, $expected and a fix", ({ file, expected }) => {
        const parse = () => parseStackConfig(readStackFile(path.join(corpus, file)), file);
        expect(parse).toThrow("nothing was deployed");
        const message = (() => {
            try {
                parse();
                return "";
            } catch (error) {
                return (error as Error).message;
            }
        })();
        const line = message.split("\n").find((l) => l.includes(`${file}: todo-stack:${expected}:`));
        expect(line).toBeDefined();
        expect(line).toMatch(/Fix:|must be one of|unknown/);
    });
});
