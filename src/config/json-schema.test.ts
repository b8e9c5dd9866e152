import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { jsonSchemaRelativePath, jsonSchemaText } from "./json-schema.ts";

test("the committed JSON Schema equals the one generated from the zod schema", () => {
  const committed = readFileSync(join(import.meta.dirname, "..", "..", jsonSchemaRelativePath), "utf8");
  assert.equal(
    committed,
    jsonSchemaText(),
    "schema/distillscope.schema.json is stale: run node scripts/generate-schema.ts",
  );
});

test("the JSON Schema describes the config's keys and forbids unknown ones", () => {
  const schema = JSON.parse(jsonSchemaText()) as {
    properties: Record<string, { properties?: Record<string, unknown> }>;
    additionalProperties: boolean;
    required: string[];
  };
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ["targets", "evaluations"]);
  assert.ok(schema.properties.engine?.properties?.["timeout-ms"]);
  assert.ok(schema.properties["fail-on"]);
});
