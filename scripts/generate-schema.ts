/**
 * Regenerates schema/distillscope.schema.json from the zod schema in src/config/schema.ts.
 * Usage: node scripts/generate-schema.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsonSchemaRelativePath, jsonSchemaText } from "../src/config/json-schema.ts";

const target = join(import.meta.dirname, "..", jsonSchemaRelativePath);
writeFileSync(target, jsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
