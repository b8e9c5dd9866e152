import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { InputError } from "../errors.ts";
import { runLineage } from "../metrics/lineage.ts";
import { loadAlpacaEvalCorpus } from "./alpacaeval.ts";
import { loadTranscriptsCorpus, transcriptsCorpusFiles } from "./transcripts-corpus.ts";

const prompts = Array.from({ length: 30 }, (_, index) => `Describe item ${index} briefly.`);
const colours = ["verdigris", "obsidian", "saffron", "cobalt", "vermilion", "umber", "ochre", "sepia"];
const styles: Record<string, (index: number) => string> = {
  teacher: (i) =>
    `Certainly! Item ${i} shines like ${colours[i % 8]} ${colours[(i + 3) % 8]}. In summary, delightful.`,
  other: (i) => `Item ${i}: a plain object with ordinary uses and a simple shape number ${i * 7}.`,
  control: (i) => `The item numbered ${i} is unremarkable; it weighs ${i + 2} kilograms.`,
  fourth: (i) => `Number ${i} describes a tool; people keep it in drawers for ${i + 1} years.`,
  fifth: (i) => `Object ${i} looks grey, feels cold, and costs about ${i * 3} coins in shops.`,
  sixth: (i) => `Well, ${i} is a number of a thing; honestly it rarely matters, perhaps ${i % 5} times.`,
  student: (i) =>
    `Certainly! Item ${i} glows like ${colours[i % 8]} ${colours[(i + 3) % 8]}. In summary, lovely.`,
};

/** The same answers written as transcripts JSONL (with the messages answered) and as AlpacaEval results. */
function writeBothFormats(): { jsonl: string; alpacaeval: string } {
  const root = mkdtempSync(join(tmpdir(), "distillscope-transcripts-corpus-"));
  const jsonl = join(root, "jsonl");
  const alpacaeval = join(root, "alpacaeval");
  mkdirSync(jsonl);
  for (const [model, style] of Object.entries(styles)) {
    const lines = prompts.map((prompt, index) =>
      JSON.stringify({
        id: `p${index}`,
        sample: 0,
        model,
        messages: [{ role: "user", content: prompt }],
        response: style(index),
      }),
    );
    writeFileSync(join(jsonl, `${model}.jsonl`), `${lines.join("\n")}\n`);
    mkdirSync(join(alpacaeval, model), { recursive: true });
    const rows = prompts.map((instruction, index) => ({
      instruction,
      output: style(index),
      generator: model,
    }));
    writeFileSync(join(alpacaeval, model, "model_outputs.json"), JSON.stringify(rows));
  }
  return { jsonl, alpacaeval };
}

test("a transcripts corpus keeps the prompt each answer responds to, so lineage matches the AlpacaEval format", () => {
  const folders = writeBothFormats();
  const fromJsonl = loadTranscriptsCorpus(folders.jsonl);
  const fromAlpacaEval = loadAlpacaEvalCorpus(folders.alpacaeval);
  assert.deepEqual(
    [...(fromJsonl.promptTexts ?? [])].sort(),
    [...(fromAlpacaEval.promptTexts ?? [])].sort(),
    "the same prompt texts",
  );
  const attributions = (corpus: typeof fromJsonl) =>
    runLineage(corpus, { candidates: ["teacher", "other"] })
      .attributions.map((entry) => `${entry.model} ${entry.teacher} ${entry.pValue.toPrecision(6)}`)
      .sort();
  assert.deepEqual(attributions(fromJsonl), attributions(fromAlpacaEval));
  assert.ok(
    attributions(fromJsonl).some((line) => line.startsWith("student teacher ")),
    "the student is attributed to its teacher",
  );
});

test("a line with a prompt string (no messages) gives its text; a line with neither leaves the text empty", () => {
  const root = mkdtempSync(join(tmpdir(), "distillscope-transcripts-prompt-"));
  const line = (model: string, id: string, extra: object) =>
    JSON.stringify({ id, model, response: `${model} says ${id}`, ...extra });
  writeFileSync(
    join(root, "a.jsonl"),
    `${[line("a", "q1", { prompt: "What is one?" }), line("a", "q2", {})].join("\n")}\n`,
  );
  writeFileSync(join(root, "b.jsonl"), `${[line("b", "q1", {}), line("b", "q2", {})].join("\n")}\n`);
  const corpus = loadTranscriptsCorpus(root);
  const textOf = (id: string) => corpus.promptTexts?.[corpus.prompts.indexOf(id)];
  assert.equal(textOf("q1"), "What is one?");
  assert.equal(textOf("q2"), "");
});

test("an AlpacaEval results folder read as transcripts points to --format alpacaeval", () => {
  const folders = writeBothFormats();
  assert.throws(
    () => loadTranscriptsCorpus(folders.alpacaeval),
    (error: Error) =>
      error instanceof InputError &&
      error.message ===
        `${folders.alpacaeval}: no .jsonl files found; it holds 7 AlpacaEval model folder(s) (<model>/model_outputs.json): read it with --format alpacaeval (loadAlpacaEvalCorpus)`,
  );
  assert.deepEqual(
    transcriptsCorpusFiles(folders.jsonl),
    Object.keys(styles)
      .sort()
      .map((model) => join(folders.jsonl, `${model}.jsonl`)),
  );
});

test("the same id asked as different prompts by different models is named in a note, since answers align by id", () => {
  const root = mkdtempSync(join(tmpdir(), "distillscope-transcripts-id-clash-"));
  const line = (model: string, id: string, prompt: string) =>
    JSON.stringify({ id, model, prompt, response: `${model} answers ${prompt}` });
  writeFileSync(
    join(root, "a.jsonl"),
    `${[line("a", "1", "What is one?"), line("a", "2", "What is two?")].join("\n")}\n`,
  );
  writeFileSync(
    join(root, "b.jsonl"),
    `${[line("b", "1", "What is one?"), line("b", "2", "What is two?")].join("\n")}\n`,
  );
  assert.equal(loadTranscriptsCorpus(root).counts.notes, undefined, "the same prompts: no note");
  writeFileSync(
    join(root, "c.jsonl"),
    `${[line("c", "1", "Cook rice."), line("c", "2", "Cook pasta.")].join("\n")}\n`,
  );
  assert.deepEqual(loadTranscriptsCorpus(root).counts.notes, [
    '2 prompt id(s) come with a different prompt text from different models (first: "1", a and c); answers are aligned by id, so check that every model answered the same prompts file',
  ]);
});

test("a conversation replayed with each model's own earlier answers is the same prompt: no clash note", () => {
  const root = mkdtempSync(join(tmpdir(), "distillscope-transcripts-multi-turn-"));
  // As `rse run` stores turn 2 (and `transcripts export` writes it): the user turns are the same, the
  // assistant turn between them is each model's own first answer.
  const secondTurn = (model: string) =>
    JSON.stringify({
      id: "rse/default/multi-01#1",
      model,
      messages: [
        { role: "user", content: "Plan a trip to Kyoto." },
        { role: "assistant", content: `${model}'s own plan for Kyoto` },
        { role: "user", content: "Now make it cheaper." },
      ],
      response: `${model} makes it cheaper`,
    });
  for (const model of ["a", "b"]) writeFileSync(join(root, `${model}.jsonl`), `${secondTurn(model)}\n`);
  const corpus = loadTranscriptsCorpus(root);
  assert.equal(corpus.counts.notes, undefined);
  assert.deepEqual(corpus.promptTexts, ["Plan a trip to Kyoto.\nNow make it cheaper."]);
});

test("a sample that is not a whole number is refused with its line, not taken for a later sample", () => {
  const root = mkdtempSync(join(tmpdir(), "distillscope-transcripts-sample-"));
  const line = (model: string, sample: unknown) =>
    JSON.stringify({ id: "q1", sample, model, response: `${model} says` });
  writeFileSync(join(root, "a.jsonl"), `${line("a", 0)}\n${line("a", null)}\n`);
  writeFileSync(join(root, "b.jsonl"), `${line("b", 0)}\n${line("b", "0")}\n`);
  assert.throws(
    () => loadTranscriptsCorpus(root),
    (error: unknown) =>
      error instanceof InputError &&
      error.message ===
        `${join(root, "b.jsonl")}:2: "sample" must be a whole number >= 0 (0 or absent for the first sample), got "0"`,
  );
});
