import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { alpacaEvalOutputFiles, loadAlpacaEvalCorpus } from "./alpacaeval.ts";
import { loadTranscriptsCorpus } from "./transcripts-corpus.ts";

function alpacaFolder(models: Record<string, unknown>): string {
  const directory = mkdtempSync(join(tmpdir(), "alpaca-"));
  for (const [model, content] of Object.entries(models)) {
    mkdirSync(join(directory, model));
    if (content !== undefined)
      writeFileSync(
        join(directory, model, "model_outputs.json"),
        typeof content === "string" ? content : JSON.stringify(content),
      );
  }
  return directory;
}
const row = (instruction: string, output: string) => ({ instruction, output, dataset: "x", generator: "g" });

test("aligns models on their shared instructions and counts dropped prompts and empty answers", () => {
  const directory = alpacaFolder({
    a: [row("one", "first"), row("two", "second"), row("three", "x")],
    b: [row("two", ""), row("one", "uno")],
  });
  const corpus = loadAlpacaEvalCorpus(directory);
  assert.deepEqual(corpus.models, ["a", "b"]);
  assert.deepEqual(corpus.prompts, ["one", "two"]);
  assert.deepEqual(corpus.answers, [
    ["first", "second"],
    ["uno", ""],
  ]);
  assert.equal(corpus.counts.droppedPrompts, 1);
  assert.equal(corpus.counts.missingAnswers, 1);
});

test("bad AlpacaEval input gives one InputError line naming the problem", () => {
  assert.throws(
    () => loadAlpacaEvalCorpus(alpacaFolder({ a: [row("x", "y")], b: undefined })),
    (error: Error) => error instanceof InputError && /b[/\\]model_outputs\.json: missing/.test(error.message),
  );
  assert.throws(
    () => loadAlpacaEvalCorpus(alpacaFolder({ a: [row("x", "y")], b: "[{" })),
    (error: Error) =>
      error instanceof InputError && /malformed JSON/.test(error.message) && !error.message.includes("\n"),
  );
  assert.throws(
    () => loadAlpacaEvalCorpus(alpacaFolder({ a: [row("x", "y")], b: [row("z", "y")] })),
    /share no prompt/,
  );
  assert.throws(() => loadAlpacaEvalCorpus(alpacaFolder({ a: [row("x", "y")] })), /at least two models/);
  assert.throws(() => loadAlpacaEvalCorpus("/nonexistent/folder"), InputError);
});

test("transcripts corpus groups by model, aligns by id, and reports malformed lines with file:line", () => {
  const directory = mkdtempSync(join(tmpdir(), "transcripts-"));
  const line = (model: string, id: string, response: string, sample = 0) =>
    JSON.stringify({ id, sample, model, messages: [], response });
  writeFileSync(
    join(directory, "a.jsonl"),
    [line("m1", "p1", "hello"), line("m1", "p2", "bye"), line("m1", "p1", "other", 1)].join("\n"),
  );
  writeFileSync(join(directory, "b.jsonl"), [line("m2", "p1", "hi"), line("m2", "p3", "z")].join("\n"));
  const corpus = loadTranscriptsCorpus(directory);
  assert.deepEqual(corpus.models, ["m1", "m2"]);
  assert.deepEqual(corpus.answers, [["hello"], ["hi"]]);
  assert.equal(corpus.counts.droppedPrompts, 2);
  writeFileSync(join(directory, "c.jsonl"), `${line("m3", "p1", "ok")}\n{oops\n`);
  assert.throws(
    () => loadTranscriptsCorpus(directory),
    (error: Error) => error instanceof InputError && /c\.jsonl:2: malformed JSON/.test(error.message),
  );
});

test("a folder with no model folder says so, and points a transcripts folder to --format jsonl", () => {
  const transcripts = mkdtempSync(join(tmpdir(), "alpaca-wrong-format-"));
  writeFileSync(join(transcripts, "a.jsonl"), `${JSON.stringify({ id: "p1", model: "m", response: "r" })}\n`);
  assert.throws(
    () => loadAlpacaEvalCorpus(transcripts),
    (error: Error) =>
      error instanceof InputError &&
      error.message.endsWith(
        "holds no model folder (<model>/model_outputs.json); it holds 1 .jsonl file(s): read it with --format jsonl (loadTranscriptsCorpus)",
      ),
  );
  assert.throws(
    () => loadAlpacaEvalCorpus(mkdtempSync(join(tmpdir(), "alpaca-empty-"))),
    /holds no model folder \(<model>\/model_outputs\.json\); give an AlpacaEval results\/ folder/,
  );
});

test("alpacaEvalOutputFiles lists the model files the loader reads: folders only, hidden ones skipped", () => {
  const directory = alpacaFolder({ b: [row("x", "y")], a: [row("x", "z")], ".ipynb_checkpoints": undefined });
  writeFileSync(join(directory, "README.md"), "not a model");
  assert.deepEqual(alpacaEvalOutputFiles(directory), [
    join(directory, "a", "model_outputs.json"),
    join(directory, "b", "model_outputs.json"),
  ]);
  assert.deepEqual(alpacaEvalOutputFiles(join(directory, "no-such-folder")), []);
});
