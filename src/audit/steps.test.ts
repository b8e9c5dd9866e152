import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { parseConfigText } from "../config/load.ts";
import type { Store } from "../engine/index.ts";
import { InputError } from "../errors.ts";
import { runLineageStep, type StepContext } from "./steps.ts";

function contextFor(directory: string, lineage: string): StepContext {
  const text = `targets:\n  - id: openai:x\n    identity: alibaba\nevaluations:\n${lineage}`;
  const { config } = parseConfigText(text, "distillscope.yaml");
  return {
    config,
    configDirectory: directory,
    store: {} as Store, // lineage reads the corpus only, never the store
    environment: {},
    log: () => {},
  };
}

test("the audit's lineage step reads a transcripts-JSONL corpus relative to the config", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-lineage-"));
  mkdirSync(join(directory, "answers"));
  const models = ["teacher", "other", "third", "fourth", "student"];
  for (const model of models) {
    const lines = Array.from({ length: 10 }, (_, index) =>
      JSON.stringify({ id: `p${index}`, sample: 0, model, response: `${model} answer ${index}` }),
    );
    writeFileSync(join(directory, "answers", `${model}.jsonl`), `${lines.join("\n")}\n`);
  }
  const lineage = "  lineage:\n    corpus: answers\n    format: jsonl\n    candidates: [teacher, other]\n";
  const result = await runLineageStep(contextFor(directory, lineage));
  assert.equal(result.kind, "lineage");
  assert.equal(result.label, "answers");
  assert.deepEqual(result.candidates, ["teacher", "other"]);
  assert.deepEqual((result.attributions as Array<{ model: string }>).map((entry) => entry.model).sort(), [
    "fourth",
    "student",
    "third",
  ]);
});

test("a lineage corpus that is missing is an InputError naming it", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-lineage-missing-"));
  const lineage = "  lineage:\n    corpus: nowhere\n    candidates: [a, b]\n";
  await assert.rejects(
    runLineageStep(contextFor(directory, lineage)),
    (error: Error) => error instanceof InputError && /nowhere: not found/.test(error.message),
  );
});
