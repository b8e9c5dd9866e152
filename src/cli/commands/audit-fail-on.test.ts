import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import test from "node:test";
import { syntheticCorpus } from "../../metrics/lineage-synthetic.ts";

const mainPath = resolve(import.meta.dirname, "..", "main.ts");

/**
 * A lineage-only audit (no model is asked) over the synthetic corpus, whose copier is attributed to
 * teachera. The config's gate, `lineage.pValue < 2`, trips for every student whatever its p-value.
 */
function lineageAudit(): string {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-fail-on-"));
  const corpus = syntheticCorpus(4);
  corpus.models.forEach((model, index) => {
    mkdirSync(join(directory, "corpus", model), { recursive: true });
    const rows = corpus.prompts.map((instruction, prompt) => ({
      instruction,
      output: corpus.answers[index]![prompt],
      generator: model,
    }));
    writeFileSync(join(directory, "corpus", model, "model_outputs.json"), JSON.stringify(rows));
  });
  writeFileSync(
    join(directory, "distillscope.yaml"),
    `targets:
  - id: openai:my-model
    identity: alibaba
evaluations:
  lineage:
    corpus: corpus
    format: alpacaeval
    candidates: [teachera, teacherb, teacherc]
report:
  out: report
  html: false
fail-on:
  - lineage.pValue < 2
`,
  );
  return directory;
}

function audit(directory: string, ...failOn: string[]) {
  const outcome = spawnSync(
    process.execPath,
    [
      mainPath,
      "audit",
      "-c",
      join(directory, "distillscope.yaml"),
      "--home",
      join(directory, "home"),
      ...failOn.flatMap((expression) => ["--fail-on", expression]),
    ],
    { encoding: "utf8", timeout: 60_000, env: { ...process.env, OPENAI_API_KEY: "" } },
  );
  const errors = outcome.stderr.split("\n").filter((line) => line.startsWith("distillscope:"));
  return { code: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr, errors };
}

/** The thresholds of the printed fail-on table, each once, in order. */
function tableThresholds(stdout: string): string[] {
  const rows = stdout.split("\n").filter((line) => line.startsWith("| `"));
  return [...new Set(rows.map((line) => /^\| `([^`]+)`/.exec(line)![1]!))];
}

test("audit --fail-on and the config's fail-on: added, or replacing the same metric and operator", async (t) => {
  const directory = lineageAudit();

  await t.test("the config's threshold alone is crossed for each of the 4 students: exit 1", () => {
    const outcome = audit(directory);
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.deepEqual(tableThresholds(outcome.stdout), ["lineage.pValue < 2"]);
    assert.match(
      outcome.errors[0] ?? "",
      /fail-on: 4 threshold check\(s\) crossed, first: lineage\.pValue < 2 for copier/,
    );
  });

  await t.test("a flag on the same metric and operator replaces it: not crossed, exit 0", () => {
    const outcome = audit(directory, "lineage.pValue < 0");
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(tableThresholds(outcome.stdout), ["lineage.pValue < 0"]);
    assert.match(outcome.stdout, /^\| `lineage\.pValue < 0` \| copier \| [0-9.]+ \| ok \|$/m);
  });

  await t.test("a flag on another metric is added to the config's (or to the replacement): exit 1", () => {
    const outcome = audit(directory, "lineage.pValue < 0", "lineage.teacher != null");
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.deepEqual(tableThresholds(outcome.stdout), ["lineage.pValue < 0", "lineage.teacher != null"]);
    assert.match(outcome.stdout, /^\| `lineage\.teacher != null` \| copier \| teachera \| CROSSED \|$/m);
    assert.match(outcome.errors[0] ?? "", /first: lineage\.teacher != null for copier \(value teachera\)/);
  });

  await t.test(
    "a flag with another operator on the same metric is added, and the config's still trips",
    () => {
      const outcome = audit(directory, "lineage.pValue > 2");
      assert.equal(outcome.code, 1, outcome.stderr);
      assert.deepEqual(tableThresholds(outcome.stdout), ["lineage.pValue < 2", "lineage.pValue > 2"]);
    },
  );
});

test("audit --fail-on errors: exit 2, one line naming the flag, nothing run", () => {
  const cases: Array<[string, RegExp]> = [
    [
      "ice.strict > 0.05",
      /^distillscope: --fail-on "ice\.strict > 0\.05": threshold on ice\.strict but evaluations\.ice is not configured in distillscope\.yaml; add it there or drop the flag\n$/,
    ],
    ["lineage.teacher >= 3", /^distillscope: --fail-on "lineage\.teacher >= 3": .*compare it with == or !=/],
    ["rse.overall", /^distillscope: --fail-on "rse\.overall": cannot parse threshold/],
  ];
  for (const [expression, line] of cases) {
    const directory = lineageAudit();
    const outcome = audit(directory, expression);
    assert.equal(outcome.code, 2, `${expression}: ${outcome.stderr}`);
    assert.match(outcome.stderr, line);
    assert.equal(outcome.stderr.trim().split("\n").length, 1, outcome.stderr);
    assert.equal(outcome.stdout, "");
    assert.equal(existsSync(join(directory, "report")), false, `${expression}: nothing run`);
  }
});
