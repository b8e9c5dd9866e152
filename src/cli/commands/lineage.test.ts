import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { syntheticCorpus } from "../../metrics/lineage-synthetic.ts";
import { pValueLabel } from "../../report/number-format.ts";
import { mainInProcess } from "../../testing/main-in-process.ts";

const main = join(import.meta.dirname, "../main.ts");

function lineage(...args: string[]) {
  return spawnSync(process.execPath, [main, "lineage", ...args], { encoding: "utf8" });
}

/** Runs `lineage` in this process (fast), capturing stderr; returns the exit code main() gives. */
function lineageInProcess(...args: string[]): Promise<{ status: number; stderr: string }> {
  return mainInProcess(["lineage", ...args]);
}

/** Writes an AlpacaEval results folder; `content` per model is rows, a raw string, or undefined (no file). */
function alpacaFolder(models: Record<string, unknown>): string {
  const directory = mkdtempSync(join(tmpdir(), "lineage-cli-"));
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

const row = (instruction: string, output: string) => ({ instruction, output, generator: "g" });

test("CLI end to end: attributions, similarity matrix, examples and the aligned-prompt count", () => {
  const corpus = syntheticCorpus(4);
  const models = Object.fromEntries(
    corpus.models.map((model, index) => [
      model,
      corpus.prompts.map((instruction, prompt) => row(instruction, corpus.answers[index]![prompt]!)),
    ]),
  );
  // One extra prompt only the copier answered: aligned on the intersection, and the count is said.
  (models.copier as unknown[]).push(row("an extra prompt", "extra"));
  const directory = alpacaFolder(models);
  const out = join(directory, "result.json");
  const run = lineage(
    directory,
    "--format",
    "alpacaeval",
    "--candidates",
    "teachera,teacherb,teacherc",
    "--out",
    out,
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /40 aligned prompts \(1 not shared by all/);
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(result.kind, "lineage");
  assert.deepEqual(result.candidates, ["teachera", "teacherb", "teacherc"]);
  const copier = result.attributions.find((entry: { model: string }) => entry.model === "copier");
  assert.equal(copier.teacher, "teachera");
  // The p-value is written as the reports write it ("p = 0.0266", "p < 0.001").
  assert.match(run.stdout, /copier: teacher teachera \(p (= 0\.\d+|< 0\.001), closest teachera z=/);
  assert.ok(run.stdout.includes(`(${pValueLabel(copier.pValue)}, closest`), run.stdout);
  assert.ok(copier.ranking.every((entry: { score: unknown }) => typeof entry.score === "number"));
  assert.equal(result.similarity.matrix.length, result.similarity.models.length);
  assert.ok(result.examples.length > 0);
});

test("with fewer than 5 models the printed lines say why no teacher can be significant", () => {
  const directory = alpacaFolder({
    a: [row("q1", "alpha answer one"), row("q2", "alpha answer two")],
    b: [row("q1", "beta answer one"), row("q2", "beta answer two")],
  });
  const run = lineage(directory, "--format", "alpacaeval", "--out", join(directory, "small.json"));
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^note: fewer than 5 models: no between-model reference/m);
  // No test, so no teacher, p or z: the line says so, how to get a test, and the most similar candidate.
  assert.match(
    run.stdout,
    /^a: not tested \(needs at least 5 models; add reference models, e\.g\. the public AlpacaEval outputs\), closest candidate b$/m,
  );
  assert.doesNotMatch(run.stdout, /teacher none/);
});

test("several inputs without --format: formats detected, counts on stderr, a model in two inputs is exit 2", async () => {
  const rows = (name: string) => ["q1", "q2 "].map((prompt) => row(prompt, `${name} answer to ${prompt}`));
  const results = alpacaFolder({ a: rows("a"), b: rows("b"), c: rows("c") });
  const mine = join(results, "..", `${results.split(/[/\\]/).at(-1)}-mine.jsonl`);
  writeFileSync(
    mine,
    ["q1", "q2"]
      .map((prompt, id) =>
        JSON.stringify({ id: String(id), model: "openai:mine", prompt, response: `mine says ${prompt}` }),
      )
      .join("\n"),
  );
  const run = lineage(results, mine, "--out", join(results, "..", "several.json"));
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /^input 1: .* \(alpacaeval\): 3 models, 2 prompts$/m);
  assert.match(run.stderr, /^input 2: .*-mine\.jsonl \(jsonl\): model openai:mine, 2 prompts$/m);
  assert.match(run.stderr, /^aligned on the prompt text: 2 prompts shared by all 4 models$/m);
  assert.match(run.stdout, /^openai:mine: not tested \(needs at least 5 models/m);
  const twice = await lineageInProcess(results, results, "--out", join(results, "..", "twice.json"));
  assert.equal(twice.status, 2);
  assert.equal(twice.stderr.trim().split("\n").length, 1, `one line: ${twice.stderr}`);
  assert.match(twice.stderr, /model "a" is in both .* and .*; each model must come from one input/);
  const unknown = await lineageInProcess(join(results, "a"), "--out", join(results, "..", "unknown.json"));
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /holds neither AlpacaEval model folders/);
});

/** A folder laid out like the AlpacaEval repository: the model folders are under results/. */
function repositoryFolder(): string {
  const repository = mkdtempSync(join(tmpdir(), "distillscope-alpaca-repository-"));
  mkdirSync(join(repository, "results", "a"), { recursive: true });
  writeFileSync(join(repository, "results", "a", "model_outputs.json"), JSON.stringify([row("x", "y")]));
  return repository;
}

test("bad input: one line on stderr and exit 2", async () => {
  const cases: Array<[string, string, RegExp]> = [
    ["missing folder", join(tmpdir(), "no-such-lineage-folder"), /not a folder/],
    [
      "missing model file",
      alpacaFolder({ a: [row("x", "y")], b: undefined }),
      /b[/\\]model_outputs\.json: missing/,
    ],
    ["malformed JSON", alpacaFolder({ a: [row("x", "y")], b: "[{oops" }), /malformed JSON/],
    ["mismatched prompts", alpacaFolder({ a: [row("x", "y")], b: [row("z", "y")] }), /share no prompt/],
    ["one model only", alpacaFolder({ a: [row("x", "y")] }), /at least two models/],
    ["not a list", alpacaFolder({ a: [row("x", "y")], b: { instruction: "x" } }), /expected a JSON list/],
    [
      "the repository instead of its results/",
      repositoryFolder(),
      /looks like the repository: give its results folder/,
    ],
  ];
  for (const [name, directory, message] of cases) {
    const run = await lineageInProcess(
      directory,
      "--format",
      "alpacaeval",
      "--out",
      join(tmpdir(), "unused.json"),
    );
    assert.equal(run.status, 2, `${name}: ${run.stderr}`);
    assert.match(run.stderr, message, name);
    assert.equal(run.stderr.trim().split("\n").length, 1, `${name}: one line, got ${run.stderr}`);
  }
  const unknown = await lineageInProcess(
    alpacaFolder({ a: [row("x", "y")], b: [row("x", "z")] }),
    "--format",
    "alpacaeval",
    "--candidates",
    "nobody",
    "--out",
    join(tmpdir(), "unused.json"),
  );
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /not a model in the corpus/);
  for (const threads of ["0", "two", "1.5"]) {
    const badThreads = await lineageInProcess(
      alpacaFolder({ a: [row("x", "y")], b: [row("x", "z")] }),
      "--format",
      "alpacaeval",
      "--threads",
      threads,
      "--out",
      join(tmpdir(), "unused.json"),
    );
    assert.equal(badThreads.status, 2, threads);
    assert.match(
      badThreads.stderr,
      new RegExp(`--threads must be a whole number from 1 to 256, got "${threads}"`),
    );
  }
});

test("bad input from the review of issue 4: blank --candidates (L7), a model_outputs.json folder (L11)", async () => {
  const good = alpacaFolder({ a: [row("x", "y")], b: [row("x", "z")] });
  const blank = await lineageInProcess(
    good,
    "--format",
    "alpacaeval",
    "--candidates",
    " , ,",
    "--out",
    join(tmpdir(), "unused.json"),
  );
  assert.equal(blank.status, 2, blank.stderr);
  assert.match(blank.stderr, /--candidates lists no model/);
  const folderFile = alpacaFolder({ a: [row("x", "y")] });
  mkdirSync(join(folderFile, "b", "model_outputs.json"), { recursive: true });
  const run = await lineageInProcess(
    folderFile,
    "--format",
    "alpacaeval",
    "--out",
    join(tmpdir(), "unused.json"),
  );
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /b[/\\]model_outputs\.json: not a file/);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
});

test("the printed lines carry the corpus notes and duplicate count (D3, D5)", () => {
  const questions = ["q1", "q2", "q3", "q4", "q5"];
  const directory = alpacaFolder({
    a: questions.map((question) => row(question, `a ${question}`)),
    b: [...questions.map((question) => row(question, `b ${question}`)), row("q1", "b q1")],
    c: questions.map((question) => row(question, `c ${question}`)),
    d: [row("q1", "d q1")],
  });
  const run = lineage(directory, "--format", "alpacaeval", "--out", join(directory, "notes.json"));
  assert.equal(run.status, 0, run.stderr);
  assert.match(
    run.stdout,
    /^note: d shares 1 of its 1 prompts with the other 3 models \(5 shared among them\); 1 prompts are shared by all$/m,
  );
  assert.match(
    run.stdout,
    /1 aligned prompts \(4 not shared by all, 0 empty answers, 1 duplicate answers kept once\)/,
  );
  const result = JSON.parse(readFileSync(join(directory, "notes.json"), "utf8"));
  assert.equal(result.counts.duplicateAnswers, 1);
  assert.equal(result.counts.notes.length, 1);
});

test("model names from the corpus reach the terminal without their control characters", () => {
  // A transcripts corpus whose `model` fields carry an OSC title sequence, a carriage return and a bidi override.
  const directory = mkdtempSync(join(tmpdir(), "lineage-hostile-"));
  const corpus = syntheticCorpus(2);
  const hostile = (model: string) => (model === "copier" ? "copier\u001b]0;owned\u0007\r\u202eok" : model);
  const lines = corpus.models.flatMap((model, index) =>
    corpus.prompts.map((_, prompt) =>
      JSON.stringify({
        id: `p${prompt}`,
        sample: 0,
        model: hostile(model),
        response: corpus.answers[index]![prompt],
      }),
    ),
  );
  writeFileSync(join(directory, "answers.jsonl"), `${lines.join("\n")}\n`);
  const run = lineage(directory, "--format", "jsonl", "--out", join(directory, "result.json"));
  assert.equal(run.status, 0, run.stderr);
  assert.ok(!/[\u001b\u0007\r\u202e]/.test(run.stdout), JSON.stringify(run.stdout));
  assert.match(run.stdout, /copier\\u001b\]0;owned\\u0007\\u000d\\u202eok: teacher /);
});

test("--out naming a corpus file is refused (exit 2) and the model's answers are kept", async () => {
  const rows = [row("q1", "one"), row("q2", "two")];
  const directory = alpacaFolder({ a: rows, b: rows, c: rows });
  const input = join(directory, "b", "model_outputs.json");
  const before = readFileSync(input, "utf8");
  const run = await lineageInProcess(directory, "--format", "alpacaeval", "--out", input);
  assert.equal(run.status, 2);
  assert.match(
    run.stderr,
    /--out .*model_outputs\.json: is the same file as input .*; give --out another file/,
  );
  assert.equal(readFileSync(input, "utf8"), before);
  const transcripts = mkdtempSync(join(tmpdir(), "lineage-cli-out-over-input-"));
  const transcript = join(transcripts, "answers.jsonl");
  writeFileSync(transcript, `${JSON.stringify({ id: "p1", model: "m", response: "r" })}\n`);
  const overTranscript = await lineageInProcess(transcripts, "--format", "jsonl", "--out", transcript);
  assert.equal(overTranscript.status, 2);
  assert.match(overTranscript.stderr, /is the same file as input/);
  assert.equal(readFileSync(transcript, "utf8").startsWith('{"id":"p1"'), true);
});

test("an --out that is a folder is refused before the corpus is read", async () => {
  // The corpus is broken too: the --out problem is the one reported, so it was checked first.
  const directory = alpacaFolder({ a: "[{oops" });
  const run = await lineageInProcess(directory, "--format", "alpacaeval", "--out", directory);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^distillscope: --out .*: is a folder; /);
});

test("the printed lines say what p and z are, with the alpha used", () => {
  const corpus = syntheticCorpus(4);
  const models = Object.fromEntries(
    corpus.models.map((model, index) => [
      model,
      corpus.prompts.map((instruction, prompt) => row(instruction, corpus.answers[index]![prompt]!)),
    ]),
  );
  const directory = alpacaFolder(models);
  const run = lineage(
    directory,
    "--format",
    "alpacaeval",
    "--alpha",
    "0.01",
    "--out",
    join(directory, "r.json"),
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(
    run.stdout,
    /^p: Holm-adjusted p-value of the closest candidate \(teacher when p < 0\.01\); z: closeness to it above other models', in their spreads$/m,
  );
});

test("an --out the next run would read as corpus input is refused before anything is made", async () => {
  const rows = [row("q1", "one"), row("q2", "two")];
  const directory = alpacaFolder({ a: rows, b: rows, c: rows });
  // A new folder in a results folder would be read as a model without model_outputs.json next time.
  const run = await lineageInProcess(
    directory,
    "--format",
    "alpacaeval",
    "--out",
    join(directory, "lineage", "r.json"),
  );
  assert.equal(run.status, 2);
  assert.match(
    run.stderr,
    /inside the corpus folder, where the next run would read .*lineage as a model's folder;/,
  );
  assert.equal(existsSync(join(directory, "lineage")), false, "no folder made");
  // Beside the model folders, or inside a model's own folder, nothing is read: allowed.
  const beside = await lineageInProcess(
    directory,
    "--format",
    "alpacaeval",
    "--out",
    join(directory, "r.json"),
  );
  assert.equal(beside.status, 0, beside.stderr);
  const transcripts = mkdtempSync(join(tmpdir(), "lineage-cli-out-as-input-"));
  for (const model of ["m1", "m2"])
    writeFileSync(
      join(transcripts, `${model}.jsonl`),
      `${JSON.stringify({ id: "p1", model, response: `${model} r` })}\n`,
    );
  const jsonl = await lineageInProcess(
    transcripts,
    "--format",
    "jsonl",
    "--out",
    join(transcripts, "lineage.jsonl"),
  );
  assert.equal(jsonl.status, 2);
  assert.match(jsonl.stderr, /where the next run would read it as a transcripts file;/);
});

test("--candidates repeats, and a comma inside a model's name is written \\, (an AlpacaEval folder b,c)", async () => {
  const corpus = syntheticCorpus(4);
  const renamed = (model: string) => (model === "teachera" ? "teacher,a" : model);
  const models = Object.fromEntries(
    corpus.models.map((model, index) => [
      renamed(model),
      corpus.prompts.map((instruction, prompt) => row(instruction, corpus.answers[index]![prompt]!)),
    ]),
  );
  const directory = alpacaFolder(models);
  const out = join(directory, "result.json");
  const run = await lineageInProcess(
    directory,
    "--format",
    "alpacaeval",
    "--candidates",
    "teacher\\,a, teacherb",
    "--candidates",
    "teacherc",
    "--out",
    out,
    "--quiet",
  );
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.deepEqual(result.candidates, ["teacher,a", "teacherb", "teacherc"]);
  const copier = result.attributions.find((entry: { model: string }) => entry.model === "copier");
  assert.equal(copier.teacher, "teacher,a");

  // The commas split the name: refused before the similarity, with the value to write instead.
  const split = await lineageInProcess(
    directory,
    "--format",
    "alpacaeval",
    "--candidates",
    "teacher,a,teacherb,teacherc",
    "--out",
    join(directory, "split.json"),
  );
  assert.equal(split.status, 2, split.stderr);
  assert.equal(
    split.stderr,
    `distillscope: --candidates: "teacher" is not a model in the corpus, but "teacher,a" is: a comma inside a name is written \\, (--candidates 'teacher\\,a')\n`,
  );
  assert.equal(existsSync(join(directory, "split.json")), false);

  // Other unknown names keep the models list (a name with a comma quoted) and the did-you-mean.
  const typo = await lineageInProcess(
    directory,
    "--format",
    "alpacaeval",
    "--candidates",
    "teacher\\,a",
    "--candidates",
    "TeacherB",
    "--out",
    join(directory, "typo.json"),
  );
  assert.equal(typo.status, 2, typo.stderr);
  assert.match(
    typo.stderr,
    /"TeacherB" is not a model in the corpus \(models: .*"teacher,a".*\); did you mean "teacherb"\?/,
  );
  // Every value blank: refused, each value shown.
  const blank = await lineageInProcess(
    directory,
    "--format",
    "alpacaeval",
    "--candidates",
    " ,",
    "--candidates",
    "",
    "--out",
    join(directory, "blank.json"),
  );
  assert.equal(blank.status, 2, blank.stderr);
  assert.match(blank.stderr, /--candidates lists no model \(got " ,", ""\)/);
});
