/**
 * Prints the release graph of a stack as Mermaid (`npm run graph -- [stack]`, default dev):
 * the same pure function `index.ts` orders resources with.
 */
import * as path from "node:path";
import { parseStackConfig, stackFileOf } from "../components/config";
import { toMermaid } from "../components/release-graph";
import { readStackFile } from "../components/stack-file";
import { stackGraph } from "../components/stack-graph";

const stack = process.argv[2] ?? "dev";
// Secret values play no part in the graph; staging and prod commit none, so assume they are set.
const raw = readStackFile(path.join(__dirname, "..", stackFileOf(stack)), ["databaseUrl", "openaiApiKey"]);
process.stdout.write(toMermaid(stackGraph(parseStackConfig(raw, stackFileOf(stack)))));
