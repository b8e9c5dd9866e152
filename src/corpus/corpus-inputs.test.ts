import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { detectCorpusFormat, loadCorpusInputs, promptKey } from "./corpus-inputs.ts";

const scratch = mkdtempSync(join(tmpdir(), "corpus-inputs-"));
let made = 0;

/** An AlpacaEval results folder: model -> [instruction, output] rows. */
function alpacaFolder(models: Record<string, Array<[string, string]>>): string {
  const directory = join(scratch, `results-${made++}`);
  for (const [model, rows] of Object.entries(models)) {
    mkdirSync(join(directory, model), { recursive: true });
    writeFileSync(
      join(directory, model, "model_outputs.json"),
      JSON.stringify(rows.map(([instruction, output]) => ({ instruction, output, generator: model }))),
    );
  }
  return directory;
}

/** A transcripts file as collect writes it: one line per prompt, the prompt in `messages`. */
function transcriptsFile(model: string, rows: Array<[string, string, string?]>): string {
  const file = join(scratch, `answers-${made++}.jsonl`);
  const lines = rows.map(([id, prompt, response]) =>
    JSON.stringify({ id, sample: 0, model, messages: [{ role: "user", content: prompt }], response }),
  );
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

test("the format is detected from what the input holds", () => {
  const results = alpacaFolder({ a: [["q", "x"]] });
  const file = transcriptsFile("m", [["1", "q", "x"]]);
  const folder = join(scratch, `transcripts-${made++}`);
  mkdirSync(folder);
  writeFileSync(join(folder, "m.jsonl"), "");
  assert.equal(detectCorpusFormat(results), "alpacaeval");
  assert.equal(detectCorpusFormat(file), "jsonl");
  assert.equal(detectCorpusFormat(folder), "jsonl");
  const empty = join(scratch, `empty-${made++}`);
  mkdirSync(empty);
  assert.throws(() => detectCorpusFormat(empty), /holds neither AlpacaEval model folders/);
  assert.throws(() => detectCorpusFormat(join(scratch, "missing")), /not found/);
  const json = join(scratch, "outputs.json");
  writeFileSync(json, "[]");
  assert.throws(() => detectCorpusFormat(json), /not a \.jsonl transcripts file/);
  writeFileSync(join(results, "stray.jsonl"), "");
  assert.throws(() => detectCorpusFormat(results), /both AlpacaEval model folders .* --format/);
});

test("several inputs align on the prompt text with whitespace normalised, and each is counted", () => {
  const results = alpacaFolder({
    a: [
      ["Say hi\n", "a hi"],
      ["List  three fruits", "a fruits"],
      ["only public", "a only"],
    ],
    b: [
      ["Say hi\n", "b hi"],
      ["List  three fruits", "b fruits"],
      ["only public", "b only"],
    ],
  });
  const mine = transcriptsFile("openai:mine", [
    ["0", "Say hi", "mine hi"],
    ["1", "List three\nfruits", "mine fruits"],
  ]);
  const { corpus, inputs } = loadCorpusInputs([{ path: results }, { path: mine }]);
  assert.deepEqual(corpus.models, ["a", "b", "openai:mine"]);
  assert.deepEqual(corpus.prompts, ["Say hi", "List three fruits"]);
  // The text shown is the first input's, as written.
  assert.deepEqual(corpus.promptTexts, ["Say hi\n", "List  three fruits"]);
  assert.deepEqual(corpus.answers[2], ["mine hi", "mine fruits"]);
  assert.equal(corpus.counts.droppedPrompts, 1);
  assert.deepEqual(inputs, [
    { path: results, format: "alpacaeval", models: ["a", "b"], prompts: 3 },
    { path: mine, format: "jsonl", models: ["openai:mine"], prompts: 2 },
  ]);
});

test("a model in two inputs is refused, naming both", () => {
  const results = alpacaFolder({ a: [["q", "x"]], b: [["q", "y"]] });
  const again = alpacaFolder({ a: [["q", "z"]] });
  assert.throws(
    () => loadCorpusInputs([{ path: results }, { path: again }]),
    (error: unknown) =>
      error instanceof InputError &&
      error.message ===
        `model "a" is in both ${results} and ${again}; each model must come from one input (remove it from one, or rename it)`,
  );
});

test("transcript lines without a prompt text cannot be matched with another input", () => {
  const results = alpacaFolder({ a: [["q", "x"]], b: [["q", "y"]] });
  const file = join(scratch, "bare.jsonl");
  writeFileSync(file, `${JSON.stringify({ id: "1", model: "m", response: "r" })}\n`);
  assert.throws(() => loadCorpusInputs([{ path: results }, { path: file }]), /carries no prompt text/);
  // Alone, the same file reads by id, as before.
  const other = join(scratch, "bare-folder");
  mkdirSync(other);
  writeFileSync(
    join(other, "two.jsonl"),
    `${JSON.stringify({ id: "1", model: "m", response: "r" })}\n${JSON.stringify({ id: "1", model: "n", response: "s" })}\n`,
  );
  assert.deepEqual(loadCorpusInputs([{ path: other }]).corpus.models, ["m", "n"]);
});

test("a single .jsonl file is an input of its own, read by id as a folder is", () => {
  const file = transcriptsFile("m", [
    ["1", "q1", "m1"],
    ["2", "q2", "m2"],
  ]);
  const more = join(scratch, "two-models.jsonl");
  writeFileSync(
    more,
    [
      ...["m", "n"].map((model) =>
        JSON.stringify({
          id: "1",
          model,
          messages: [{ role: "user", content: "q1" }],
          response: `${model}!`,
        }),
      ),
    ].join("\n"),
  );
  const { corpus, inputs } = loadCorpusInputs([{ path: more }]);
  assert.deepEqual(corpus.models, ["m", "n"]);
  assert.deepEqual(inputs, [{ path: more, format: "jsonl", models: ["m", "n"], prompts: 1 }]);
  // One model alone measures nothing: the error says lineage needs two.
  assert.throws(() => loadCorpusInputs([{ path: file }]), /lineage needs at least two models/);
});

test("promptKey collapses whitespace runs and trims", () => {
  assert.equal(promptKey("  a\n\tb  c \r\n"), "a b c");
});
