/**
 * The JSON Schema of distillscope.yaml, generated from the zod schema so the two never drift.
 * The committed copy is schema/distillscope.schema.json (regenerate: node scripts/generate-schema.ts).
 */
import { z } from "zod";
import { configSchema } from "./schema.ts";

/** Where the committed schema lives, relative to the package root. */
export const jsonSchemaRelativePath = "schema/distillscope.schema.json";

/** The JSON Schema object (input side: fields with defaults are optional). */
export function generateJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input" }) as Record<string, unknown>;
  return { ...schema, title: "distillscope.yaml" };
}

/** The schema as the exact text committed to the repository. */
export function jsonSchemaText(): string {
  return `${JSON.stringify(generateJsonSchema(), null, 2)}\n`;
}
