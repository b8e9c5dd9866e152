/**
 * Corpus import on awkward input (review of issue 4, D3, D5, L1, L5, L6, L11): the model whose prompts
 * do not match is named with its counts, files that give no model and duplicate answers are reported,
 * bytes that are not UTF-8 are refused with the line, and odd folders or files are handled or named.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { InputError } from "../errors.ts";
import { alignAnswers } from "./aligned-corpus.ts";
import { loadAlpacaEvalCorpus } from "./alpacaeval.ts";
import { loadTranscriptsCorpus } from "./transcripts-corpus.ts";

const root = mkdtempSync(join(tmpdir(), "distillscope-corpus-bad-"));
after(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const newFolder = (): string => {
  const directory = join(root, `case-${folders++}`);
  mkdirSync(directory);
  return directory;
};

type Rows = Array<{ instruction: string; output: string }>;
/** An AlpacaEval folder; content per model is rows, raw bytes or a string. */
function alpacaFolder(models: Record<string, Rows | string | Buffer>): string {
  const directory = newFolder();
  for (const [model, content] of Object.entries(models)) {
    mkdirSync(join(directory, model));
    writeFileSync(
      join(directory, model, "model_outputs.json"),
      Array.isArray(content) ? JSON.stringify(content) : content,
    );
  }
  return directory;
}
const rows = (count: number, prefix = "Question", answer = "answer"): Rows =>
  Array.from({ length: count }, (_, index) => ({
    instruction: `${prefix} ${index}`,
    output: `${answer} ${index}`,
  }));
const inputError = (pattern: RegExp) => (error: unknown) =>
  error instanceof InputError && pattern.test(error.message) && !error.message.includes("\n");

describe("D3: models whose prompts do not match the others'", () => {
  it("names the odd model with its counts when no prompt is shared", () => {
    const directory = alpacaFolder({
      a: rows(20),
      b: rows(20),
      c: rows(20),
      "vicuna-13b": rows(20, "Prefixed: Question"),
    });
    assert.throws(
      () => loadAlpacaEvalCorpus(directory),
      inputError(
        /: vicuna-13b shares 0 of its 20 prompts with the other 3 models \(20 shared among them\); remove it or fix its prompts$/,
      ),
    );
  });
  it("names several odd models, and says the counts when no model stands out", () => {
    const byModel = new Map<string, Map<string, string>>();
    const answers = (keys: string[]) => new Map(keys.map((key) => [key, "x"]));
    for (const model of ["a", "b", "c", "d", "e"]) byModel.set(model, answers(["p1", "p2", "p3"]));
    byModel.set("odd1", answers(["q1"]));
    byModel.set("odd2", answers(["p1", "r1"]));
    assert.throws(
      () => alignAnswers("corpus", byModel),
      inputError(
        /^corpus: odd1 shares 0 of its 1 prompts, odd2 shares 1 of its 2 prompts with the other 5 models \(3 shared among them\); remove them or fix their prompts$/,
      ),
    );
    const two = new Map([
      ["a", answers(["p1"])],
      ["b", answers(["q1", "q2"])],
    ]);
    assert.throws(
      () => alignAnswers("corpus", two),
      inputError(/^corpus: the models share no prompt \(prompts per model: a: 1, b: 2\)/),
    );
  });
  it("notes a model that keeps the shared prompts few", () => {
    const corpus = loadAlpacaEvalCorpus(alpacaFolder({ a: rows(20), b: rows(20), c: rows(20), d: rows(5) }));
    assert.equal(corpus.counts.prompts, 5);
    assert.deepEqual(corpus.counts.notes, [
      "d shares 5 of its 5 prompts with the other 3 models (20 shared among them); 5 prompts are shared by all",
    ]);
  });
  it("aligns AlpacaEval instructions on trimmed text, keeping the first model's text for display", () => {
    const spaced = rows(3).map((row) => ({ ...row, instruction: `${row.instruction} ` }));
    const corpus = loadAlpacaEvalCorpus(alpacaFolder({ a: spaced, b: rows(3) }));
    assert.equal(corpus.counts.prompts, 3);
    assert.deepEqual(corpus.prompts, ["Question 0", "Question 1", "Question 2"]);
    assert.deepEqual(corpus.promptTexts, ["Question 0 ", "Question 1 ", "Question 2 "]);
  });
});

describe("answers given in memory (library callers)", () => {
  it("a plain object or a non-string answer is an InputError naming the model and prompt", () => {
    const rejects = (byModel: unknown, message: RegExp) =>
      assert.throws(
        () => alignAnswers("memory", byModel as Map<string, Map<string, string>>),
        (error: unknown) => error instanceof InputError && message.test(error.message),
        String(message),
      );
    rejects({ a: { x: "1" }, b: { x: "2" } }, /^memory: the answers must be a Map of model name -> Map/);
    rejects(new Map([["a", { x: "1" }]]), /^memory: the answers of model "a" must be a Map/);
    rejects(
      new Map<string, Map<string, unknown>>([
        ["a", new Map([["x", "fine"]])],
        ["b", new Map([["x", 7]])],
      ]),
      /^memory: model "b", prompt "x": the prompt and its answer must be strings/,
    );
    rejects(new Map([[1, new Map([["x", "fine"]])]]), /model names must be strings/);
  });
  it("a corpus folder that is not a path is an InputError naming the loader's folder", () => {
    const missing = undefined as unknown as string;
    assert.throws(
      () => loadTranscriptsCorpus(missing),
      (error: unknown) =>
        error instanceof InputError && /^the transcripts folder must be a path/.test(error.message),
    );
    assert.throws(
      () => loadAlpacaEvalCorpus(missing),
      (error: unknown) =>
        error instanceof InputError && /^the AlpacaEval results folder must be a path/.test(error.message),
    );
  });
});

describe("D5: files that give no model, and duplicate answers", () => {
  const line = (model: string, id: string, response: string | null, sample = 0) =>
    JSON.stringify({ id, sample, model, messages: [], response });
  const transcripts = (files: Record<string, string[] | Buffer>): string => {
    const directory = newFolder();
    for (const [name, lines] of Object.entries(files))
      writeFileSync(
        join(directory, name),
        Array.isArray(lines) ? lines.map((text) => `${text}\n`).join("") : lines,
      );
    return directory;
  };
  const model = (name: string, count = 3) =>
    Array.from({ length: count }, (_, index) => line(name, `p${index}`, `${name} says ${index}`));

  it("names an empty file and one with only later samples", () => {
    const corpus = loadTranscriptsCorpus(
      transcripts({
        "a.jsonl": model("a"),
        "b.jsonl": model("b"),
        "empty.jsonl": [],
        "later.jsonl": [line("c", "p0", "x", 1), line("c", "p1", "y", 2)],
      }),
    );
    assert.deepEqual(corpus.models, ["a", "b"]);
    assert.equal(corpus.counts.notes?.length, 2);
    assert.match(corpus.counts.notes![0]!, /empty\.jsonl \(empty\)$/);
    assert.match(corpus.counts.notes![1]!, /later\.jsonl \(2 lines, all with sample above 0\)$/);
  });
  it("is an InputError naming the files when nothing loads", () => {
    const directory = transcripts({ "empty.jsonl": [], "later.jsonl": [line("c", "p0", "x", 1)] });
    assert.throws(
      () => loadTranscriptsCorpus(directory),
      inputError(
        /no file holds a first-sample answer .*empty\.jsonl \(empty\).*later\.jsonl \(1 lines, all with sample above 0\)/,
      ),
    );
    const one = transcripts({ "a.jsonl": model("a"), "empty.jsonl": [] });
    assert.throws(() => loadTranscriptsCorpus(one), inputError(/found 1 model.*empty\.jsonl \(empty\)/));
  });
  it("counts identical duplicate answers and keeps a real answer over an empty one", () => {
    const corpus = loadTranscriptsCorpus(
      transcripts({
        "a.jsonl": [...model("a"), line("a", "p0", "a says 0"), line("a", "p1", null)],
        "b.jsonl": [line("b", "p0", null), ...model("b")],
      }),
    );
    assert.equal(corpus.counts.duplicateAnswers, 3);
    assert.deepEqual(corpus.answers, [
      ["a says 0", "a says 1", "a says 2"],
      ["b says 0", "b says 1", "b says 2"],
    ]);
  });
  it("refuses two different answers of one model to one prompt, naming both places", () => {
    const directory = transcripts({
      "a.jsonl": model("a"),
      "b.jsonl": model("b"),
      "c-again.jsonl": [line("b", "p1", "b says something else")],
    });
    assert.throws(
      () => loadTranscriptsCorpus(directory),
      inputError(
        /c-again\.jsonl:1: model "b" answered prompt "p1" differently at .*b\.jsonl:2; keep one of the two$/,
      ),
    );
  });
  it("counts or refuses a duplicated AlpacaEval instruction", () => {
    const twice = [...rows(3), { instruction: "Question 1", output: "answer 1" }];
    const corpus = loadAlpacaEvalCorpus(alpacaFolder({ a: twice, b: rows(3) }));
    assert.equal(corpus.counts.duplicateAnswers, 1);
    const conflicting = [...rows(3), { instruction: "Question 1 ", output: "another answer" }];
    assert.throws(
      () => loadAlpacaEvalCorpus(alpacaFolder({ a: conflicting, b: rows(3) })),
      inputError(
        /a[/\\]model_outputs\.json: items 1 and 3 have the same instruction "Question 1" with different outputs/,
      ),
    );
  });
  it("a broken link among the transcript files is named", () => {
    const directory = transcripts({ "a.jsonl": model("a"), "b.jsonl": model("b") });
    symlinkSync(join(directory, "absent-target.jsonl"), join(directory, "ghost.jsonl"));
    assert.throws(
      () => loadTranscriptsCorpus(directory),
      inputError(/ghost\.jsonl: cannot read \(a broken link\?\)/),
    );
  });
  it("L1: a transcript line that is not UTF-8 is named", () => {
    const bad = Buffer.concat([
      Buffer.from(`${model("b").join("\n")}\n{"id":"p9","model":"b","response":"caf`),
      Buffer.from([0xe9]),
      Buffer.from('"}\n'),
    ]);
    assert.throws(
      () => loadTranscriptsCorpus(transcripts({ "a.jsonl": model("a"), "b.jsonl": bad })),
      inputError(/b\.jsonl:4: not UTF-8; re-save it as UTF-8$/),
    );
  });
});

describe("AlpacaEval files and folders", () => {
  it("L1: a model_outputs.json that is not UTF-8 is named with its line", () => {
    const latin1 = Buffer.concat([
      Buffer.from('[\n{"instruction": "Question 0", "output": "caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n]'),
    ]);
    assert.throws(
      () => loadAlpacaEvalCorpus(alpacaFolder({ a: rows(1), b: latin1 })),
      inputError(/b[/\\]model_outputs\.json:2: not UTF-8; re-save it as UTF-8$/),
    );
  });
  it("L5: a model_outputs.json with a UTF-8 BOM loads", () => {
    const corpus = loadAlpacaEvalCorpus(alpacaFolder({ a: rows(2), b: `\uFEFF${JSON.stringify(rows(2))}` }));
    assert.equal(corpus.counts.prompts, 2);
  });
  it("L6: hidden folders are skipped; any other folder without model_outputs.json is named", () => {
    const directory = alpacaFolder({ a: rows(2), b: rows(2) });
    mkdirSync(join(directory, ".ipynb_checkpoints"));
    assert.deepEqual(loadAlpacaEvalCorpus(directory).models, ["a", "b"]);
    mkdirSync(join(directory, "notes"));
    assert.throws(
      () => loadAlpacaEvalCorpus(directory),
      inputError(
        /notes[/\\]model_outputs\.json: missing; every model folder needs a model_outputs\.json; remove .*notes if it is not a model's folder$/,
      ),
    );
  });
  it("L11: a model_outputs.json that is a folder, or unreadable, is an InputError naming it", () => {
    const directory = alpacaFolder({ a: rows(2) });
    mkdirSync(join(directory, "b", "model_outputs.json"), { recursive: true });
    assert.throws(() => loadAlpacaEvalCorpus(directory), inputError(/b[/\\]model_outputs\.json: not a file/));
    if (process.getuid?.() === 0) return; // root reads a file whatever its mode
    const locked = alpacaFolder({ a: rows(2), b: rows(2) });
    chmodSync(join(locked, "b", "model_outputs.json"), 0);
    assert.throws(
      () => loadAlpacaEvalCorpus(locked),
      inputError(/b[/\\]model_outputs\.json: cannot read the file \(EACCES\)/),
    );
  });
});
