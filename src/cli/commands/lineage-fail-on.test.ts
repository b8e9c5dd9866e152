import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { syntheticCorpus } from "../../metrics/lineage-synthetic.ts";

const main = join(import.meta.dirname, "../main.ts");

/** The synthetic corpus (copier of teachera, independents) as an AlpacaEval results folder. */
function syntheticFolder(): string {
  const directory = mkdtempSync(join(tmpdir(), "lineage-fail-on-"));
  const corpus = syntheticCorpus(4);
  corpus.models.forEach((model, index) => {
    mkdirSync(join(directory, model));
    const rows = corpus.prompts.map((instruction, prompt) => ({
      instruction,
      output: corpus.answers[index]![prompt],
      generator: model,
    }));
    writeFileSync(join(directory, model, "model_outputs.json"), JSON.stringify(rows));
  });
  return directory;
}

const directory = syntheticFolder();

function lineage(out: string, ...failOn: string[]) {
  return spawnSync(
    process.execPath,
    [
      main,
      "lineage",
      directory,
      "--format",
      "alpacaeval",
      "--candidates",
      "teachera,teacherb,teacherc",
      "--out",
      out,
      ...failOn.flatMap((expression) => ["--fail-on", expression]),
    ],
    { encoding: "utf8" },
  );
}

test("lineage --fail-on crossed: the result is written, the fail-on table printed, exit 1", () => {
  const out = join(directory, "crossed.json");
  const run = lineage(out, "lineage.teacher != null", "lineage.pValue < 0");
  assert.equal(run.status, 1, run.stderr);
  const result = JSON.parse(readFileSync(out, "utf8"));
  const copier = result.attributions.find((entry: { model: string }) => entry.model === "copier");
  assert.equal(copier.teacher, "teachera");
  assert.match(run.stdout, /^\| `lineage\.teacher != null` \| copier \| teachera \| CROSSED \|$/m);
  assert.match(run.stdout, /^\| `lineage\.pValue < 0` \| copier \| [0-9.]+ \| ok \|$/m);
  assert.match(
    run.stderr,
    /^distillscope: fail-on: \d+ threshold check\(s\) crossed, first: lineage\.teacher != null for copier \(value teachera\)\n$/,
  );
});

test("lineage --fail-on not crossed: exit 0, every check ok", () => {
  const run = lineage(join(directory, "passed.json"), "lineage.teacher == nobody", "lineage.pValue < 0");
  assert.equal(run.status, 0, run.stderr);
  const rows = run.stdout.split("\n").filter((line) => line.startsWith("| `"));
  assert.equal(rows.length, 8, run.stdout);
  assert.ok(
    rows.every((line) => line.endsWith("| ok |")),
    run.stdout,
  );
});

test("lineage --fail-on with a bad expression or another kind's metric: exit 2 up front, nothing written", () => {
  const cases: Array<[string, RegExp]> = [
    ["lineage.teacher > 3", /^distillscope: --fail-on "lineage\.teacher > 3": .*compare it with == or !=/],
    [
      "lineage.techer != null",
      /^distillscope: --fail-on "lineage\.techer != null": .*did you mean "lineage\.teacher"/,
    ],
    ["lineage.pValue", /^distillscope: --fail-on "lineage\.pValue": cannot parse threshold/],
    [
      "rse.overall > 4",
      /^distillscope: --fail-on "rse\.overall > 4": rse\.overall is not a metric of the lineage result this command writes; use one of lineage\.pValue, lineage\.teacher\n$/,
    ],
  ];
  for (const [expression, line] of cases) {
    const out = join(directory, "never.json");
    const run = lineage(out, expression);
    assert.equal(run.status, 2, `${expression}: ${run.stderr}`);
    assert.match(run.stderr, line, expression);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(existsSync(out), false, `${expression}: no result written`);
  }
});
