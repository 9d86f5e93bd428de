/**
 * Writes charts/microservice/values.schema.json from the zod schema in components/chart-values.ts,
 * the single source of truth. Run `npm run generate:schema` after changing the schema; a test fails
 * when the committed file drifts.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { renderValuesJsonSchema } from "../components/chart-values";

const target = path.join(__dirname, "..", "charts", "microservice", "values.schema.json");
writeFileSync(target, renderValuesJsonSchema());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
