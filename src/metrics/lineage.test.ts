import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { alignAnswers } from "../corpus/aligned-corpus.ts";
import { runLineage } from "./lineage.ts";
import { seededRandom } from "./random.ts";

const topics = Array.from({ length: 40 }, (_, index) => `topic${index}`);

/** Each model has its own habit words; a copier mixes its teacher's habits into its own. */
function syntheticCorpus(seed: number) {
  const random = seededRandom(seed);
  const pick = (list: string[], count: number) =>
    Array.from({ length: count }, () => list[Math.floor(random() * list.length)]!);
  const habits = (name: string) => Array.from({ length: 30 }, (_, index) => `${name}habit${index}`);
  const names = ["teachera", "teacherb", "teacherc", "independent1", "independent2", "copier", "loner"];
  const ownHabits = Object.fromEntries(names.map((name) => [name, habits(name)]));
  const byModel = new Map<string, Map<string, string>>();
  for (const name of names) {
    const answers = new Map<string, string>();
    topics.forEach((topic, prompt) => {
      const shared = pick([topic, `${topic}x`, `${topic}y`, "common", "words"], 20);
      const style =
        name === "copier"
          ? [...pick(ownHabits.teachera!, 12), ...pick(ownHabits.copier!, 4)]
          : pick(ownHabits[name]!, 16);
      answers.set(`prompt ${prompt}`, [...shared, ...style].join(" "));
    });
    byModel.set(name, answers);
  }
  return alignAnswers("synthetic", byModel);
}

test("a student built from a teacher's habits is attributed to it; an independent model gets null", () => {
  const result = runLineage(syntheticCorpus(3), {
    candidates: ["teachera", "teacherb", "teacherc"],
    seed: 5,
    permutations: 500,
  });
  const byModel = Object.fromEntries(
    result.attributions.map((attribution) => [attribution.model, attribution]),
  );
  assert.equal(byModel.copier!.teacher, "teachera");
  assert.ok(byModel.copier!.pValue < 0.05);
  assert.equal(byModel.loner!.teacher, null);
  assert.equal(result.kind, "lineage");
  assert.deepEqual(result.students.sort(), ["copier", "independent1", "independent2", "loner"]);
});

test("unknown candidate names are an input error", () => {
  assert.throws(
    () => runLineage(syntheticCorpus(1), { candidates: ["nobody"] }),
    /not a model in the corpus/,
  );
});

test("CLI end to end: exit 0 with a result file, exit 2 on bad input", () => {
  const directory = mkdtempSync(join(tmpdir(), "lineage-cli-"));
  const corpus = syntheticCorpus(4);
  corpus.models.forEach((model, index) => {
    mkdirSync(join(directory, model));
    const rows = corpus.prompts.map((instruction, prompt) => ({
      instruction,
      output: corpus.answers[index]![prompt],
      dataset: "s",
      generator: model,
    }));
    writeFileSync(join(directory, model, "model_outputs.json"), JSON.stringify(rows));
  });
  const main = join(import.meta.dirname, "../cli/main.ts");
  const out = join(directory, "result.json");
  const ok = spawnSync(
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
    ],
    { encoding: "utf8" },
  );
  assert.equal(ok.status, 0, ok.stderr);
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(result.kind, "lineage");
  assert.equal(
    result.attributions.find((entry: { model: string }) => entry.model === "copier").teacher,
    "teachera",
  );
  const bad = spawnSync(
    process.execPath,
    [main, "lineage", join(directory, "missing"), "--format", "alpacaeval", "--out", out],
    { encoding: "utf8" },
  );
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not a folder/);
});
