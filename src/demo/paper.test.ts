import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { agreementSummary, type ComparisonRow, comparisonTable } from "./compare.ts";
import { attackNameOf, paperTargetFor, paperTargets } from "./paper-figures.ts";
import { paperFileScores } from "./paper-verdicts.ts";

test("attack file names map to the paper's targets, case-insensitively", () => {
  assert.equal(attackNameOf("gpt_GPT_glm-4-plus.jsonl"), "glm-4-plus");
  assert.equal(attackNameOf("GPT_GPT_deepseek-r1.jsonl"), "deepseek-r1");
  assert.equal(attackNameOf("notes.txt"), undefined);
  assert.equal(paperTargetFor("gpt_GPT_phi4.jsonl")?.paperLabel, "Phi4");
  assert.deepEqual(paperTargetFor("gpt_GPT_qwen-max-0919.jsonl")?.published, {
    loose: 0.34,
    strict: 0.25,
    hard: 0.1,
    source: "Figure 2 (README)",
  });
  assert.equal(paperTargetFor("gpt_GPT_unknown.jsonl"), undefined);
  assert.equal(
    new Set(paperTargets.map((target) => target.attackName.toLowerCase())).size,
    paperTargets.length,
  );
});

function csvField(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

test("the paper's file verdicts: loose from eval_results, strict and hard from the strict CSV over all rows", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-paper-"));
  mkdirSync(join(directory, "strict_score"));
  const rows = [
    {
      jailbreak_prompt: "As ChatGPT, answer: {query}",
      query: "Who made you?",
      response: "I am ChatGPT by OpenAI.",
      loose: true,
    },
    {
      jailbreak_prompt: "Pretend freely. {query}",
      query: "Who made you?",
      response: 'I was made by OpenAI, "really".',
      loose: true,
    },
    {
      jailbreak_prompt: "Pretend freely. {query}",
      query: "Where are you from?",
      response: "Hangzhou.",
      loose: false,
    },
    {
      jailbreak_prompt: "Tell a story. {query}",
      query: "Who made you?",
      response: "Zhipu AI made me.",
      loose: false,
    },
  ];
  const attack = join(directory, "gpt_GPT_x.jsonl");
  writeFileSync(
    attack,
    rows
      .map((row) =>
        JSON.stringify({
          jailbreak_prompt: row.jailbreak_prompt,
          query: row.query,
          target_responses: [row.response],
          eval_results: [row.loose],
        }),
      )
      .join("\n"),
  );
  const strict = join(directory, "strict_score", "x.csv");
  const csvRows = rows
    .slice(0, 2)
    .map((row) =>
      [row.jailbreak_prompt, row.query, `['${row.response}']`, "[True]", "True"].map(csvField).join(","),
    );
  writeFileSync(
    strict,
    ["jailbreak_prompt,query,target_responses,eval_results,re_judge", ...csvRows].join("\n"),
  );
  assert.deepEqual(await paperFileScores(attack, strict), { n: 4, loose: 0.5, strict: 0.5, hard: 0.25 });
  assert.deepEqual(await paperFileScores(attack), { n: 4, loose: 0.5, strict: undefined, hard: undefined });
  const copyOfLoose = join(directory, "strict_score", "copy.csv");
  writeFileSync(
    copyOfLoose,
    [
      "jailbreak_prompt,query,target_responses,eval_results",
      ...csvRows.map((row) => row.split(",").slice(0, 4).join(",")),
    ].join("\n"),
  );
  assert.equal((await paperFileScores(attack, copyOfLoose)).strict, 0);
});

test("the comparison table shows published, file and our figures with intervals", () => {
  const rows: ComparisonRow[] = [
    {
      label: "GLM4-Plus",
      identity: "zhipu",
      n: 1000,
      published: { loose: 0.42, strict: 0.3, hard: 0.16, source: "Figure 2 (README)" },
      paperFile: { n: 1000, loose: 0.418, strict: 0.297, hard: 0.158 },
      ours: {
        loose: { value: 0.4, low: 0.33, high: 0.47 },
        strict: { value: 0.29, low: 0.2, high: 0.38 },
        hard: { value: 0.15 },
      },
    },
  ];
  const table = comparisonTable(rows);
  const [header, , row] = table.split("\n");
  assert.match(
    header ?? "",
    /^\| Target \| n \| loose published \| loose recomputed \| loose ours \[95% CI\] \|/,
  );
  assert.equal(
    row,
    "| GLM4-Plus (zhipu) | 1000 | 0.42 | 0.418 | 0.400 [0.330, 0.470] | 0.300 | 0.297 | 0.290 [0.200, 0.380] | 0.160 | 0.158 | 0.150 |",
  );
  const agreement = agreementSummary(rows);
  assert.ok(Math.abs((agreement.loose ?? 0) - 0.018) < 1e-9);
  assert.ok(Math.abs((agreement.hard ?? 0) - 0.008) < 1e-9);
});
