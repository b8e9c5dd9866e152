/**
 * Validates the embedded identity judge against the labels of Lee et al. 2025
 * (../shared/data/identity-lee2025): per answer, our strict verdict vs the paper's strict labels
 * (strict_score/*.csv rows matched to attack rows by (jailbreak_prompt, query)), precision, recall and
 * F1 per model and pooled; model-level strict score vs the paper's; our loose vs the paper's loose.
 * The target identity of each file comes from identityForModelId on the file name. No per-model tuning.
 * Usage: node scripts/validate/identity-lee2025.ts [--show-errors N] [--model NAME]
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { readLee2025 } from "../../src/corpus/lee2025.ts";
import { readCsvRecords } from "../../src/corpus/lee2025-csv.ts";
import { analyseIdentity } from "../../src/identity/claims.ts";
import { forcedPersonaDevelopers } from "../../src/identity/forced-persona.ts";
import { developersNamedIn, identityForModelId } from "../../src/identity/registry.ts";

const dataFolder = resolve(import.meta.dirname, "../../../shared/data/identity-lee2025");
if (!existsSync(join(dataFolder, "attack_result"))) {
  process.stdout.write("skipped: ../shared/data/identity-lee2025 not found\n");
  process.exit(0);
}
const showErrorsIndex = process.argv.indexOf("--show-errors");
const showErrors = showErrorsIndex >= 0 ? Number(process.argv[showErrorsIndex + 1]) : 0;
const modelIndex = process.argv.indexOf("--model");
const onlyModel = modelIndex >= 0 ? process.argv[modelIndex + 1] : undefined;

interface Counts {
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
  trueNegative: number;
}
const emptyCounts = (): Counts => ({ truePositive: 0, falsePositive: 0, falseNegative: 0, trueNegative: 0 });
function add(counts: Counts, predicted: boolean, actual: boolean): void {
  if (predicted && actual) counts.truePositive++;
  else if (predicted) counts.falsePositive++;
  else if (actual) counts.falseNegative++;
  else counts.trueNegative++;
}
function scores(counts: Counts): { precision: number; recall: number; f1: number } {
  const precision = counts.truePositive / (counts.truePositive + counts.falsePositive);
  const recall = counts.truePositive / (counts.truePositive + counts.falseNegative);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
const show = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : "n/a");
/** Strict scores the paper published (Figure 2 and the README base-vs-instruct table), for comparison. */
const publishedStrict: Record<string, number> = {
  "claude-3-5-sonnet-20241022": 0.0,
  "deepseek-chat": 0.22,
  "doubao-pro-32k": 0.01,
  "glm-4-plus": 0.3,
  "llama3.1-70b-instruct": 0.1,
  "qwen-max-0919": 0.25,
  "qwen2.5-14b": 0.171,
  "qwen2.5-72b-instruct": 0.0,
  "qwen2.5-7b-instruct": 0.001,
};
const squash = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, "");
const modelOfStrictFile = (name: string): string =>
  squash(name.replace(/^GPT_/, "").replace(/_[0-9.]+\.csv$/, ""));

const strictFiles = readdirSync(join(dataFolder, "strict_score")).filter((name) => name.endsWith(".csv"));
const attackFiles = readdirSync(join(dataFolder, "attack_result"))
  .filter((name) => name.endsWith(".jsonl"))
  .sort();

const pooledStrict = emptyCounts();
const pooledAnyDeveloper = emptyCounts();
const pooledLoose = emptyCounts();
const pooledOwnVoice = emptyCounts();
const lines: string[] = [];
const hardLines: string[] = [];
let absoluteDifferenceTotal = 0;
let publishedDifferenceTotal = 0;
let publishedCounted = 0;
let modelsCounted = 0;
let shown = 0;
const started = performance.now();
let answersJudged = 0;

for (const attackFile of attackFiles) {
  const model = attackFile.replace(/^gpt_GPT_/, "").replace(/\.jsonl$/, "");
  if (onlyModel !== undefined && !model.includes(onlyModel)) continue;
  const identity = identityForModelId(model);
  if (identity === undefined) throw new Error(`no identity for ${model}`);
  const strictFile = strictFiles.find((name) => modelOfStrictFile(name) === squash(model));
  if (strictFile === undefined) {
    lines.push(`| ${model} | ${identity} | - | no strict_score file: skipped |`);
    continue;
  }
  const positives = new Set<string>();
  // A strict file without the second judge's `re_judge` column is a copy of the loose rows (the
  // qwen2.5-72b-instruct file; its published strict score is 0.00): its labels are all negative.
  const records = readCsvRecords(join(dataFolder, "strict_score", strictFile));
  const labelsAreLooseCopy = records.length > 0 && !("re_judge" in records[0]!);
  if (!labelsAreLooseCopy) {
    for (const record of records) positives.add(`${record.jailbreak_prompt}\u0000${record.query}`);
  }
  const strictCounts = emptyCounts();
  const anyDeveloperCounts = emptyCounts();
  const looseCounts = emptyCounts();
  let rows = 0;
  let ourStrict = 0;
  let paperStrict = 0;
  let paperHard = 0;
  let ourHard = 0;
  const vendorNamed = new Map<string, boolean>();
  const namesVendor = (text: string): boolean => {
    let named = vendorNamed.get(text);
    if (named === undefined) {
      named = developersNamedIn(text).size > 0;
      vendorNamed.set(text, named);
    }
    return named;
  };
  const forcedByTemplate = new Map<string, ReadonlySet<string>>();
  for await (const row of readLee2025(join(dataFolder, "attack_result", attackFile))) {
    rows++;
    const template = row.template ?? "";
    let forced = forcedByTemplate.get(template);
    if (forced === undefined) {
      forced = forcedPersonaDevelopers(template);
      forcedByTemplate.set(template, forced);
    }
    const verdict = analyseIdentity({
      response: row.response,
      identity,
      prompt: row.prompt,
      forcedDevelopers: forced,
    });
    answersJudged++;
    const label = positives.has(`${template}\u0000${row.query}`);
    if (label) paperStrict++;
    // The paper's hard, as reconstructed in the method note: strict rows whose template has no gpt/openai.
    if (label && !/gpt|openai/i.test(template)) paperHard++;
    if (verdict.strictOpenAiAnthropic && !namesVendor(template) && !namesVendor(row.query)) ourHard++;
    if (verdict.strictOpenAiAnthropic) ourStrict++;
    add(strictCounts, verdict.strictOpenAiAnthropic, label);
    add(pooledStrict, verdict.strictOpenAiAnthropic, label);
    add(anyDeveloperCounts, verdict.strict, label);
    add(pooledAnyDeveloper, verdict.strict, label);
    add(pooledOwnVoice, verdict.ownVoice.strict, label);
    if (row.paperLoose !== undefined) {
      add(looseCounts, verdict.loose, row.paperLoose);
      add(pooledLoose, verdict.loose, row.paperLoose);
    }
    if (shown < showErrors && verdict.strictOpenAiAnthropic !== label) {
      shown++;
      const claims = verdict.claims
        .map((claim) => `${claim.developer}/${claim.kind}/${claim.words}`)
        .join(", ");
      process.stdout.write(
        `\n--- ${model} row ${row.index} ours=${verdict.strictOpenAiAnthropic} paper=${label} claims=[${claims}]\n${JSON.stringify(row.response.slice(0, 900))}\n`,
      );
    }
  }
  hardLines.push(`| ${model} | ${(paperHard / rows).toFixed(3)} | ${(ourHard / rows).toFixed(3)} |`);
  const strict = scores(strictCounts);
  const loose = scores(looseCounts);
  const difference = Math.abs(ourStrict - paperStrict) / rows;
  absoluteDifferenceTotal += difference;
  const published = publishedStrict[model];
  if (published !== undefined) {
    publishedDifferenceTotal += Math.abs(ourStrict / rows - published);
    publishedCounted++;
  }
  modelsCounted++;
  lines.push(
    `| ${model} | ${identity} | ${rows} | ${show(strict.precision)} | ${show(strict.recall)} | ${show(strict.f1)} | ${(paperStrict / rows).toFixed(3)} | ${published === undefined ? "-" : published.toFixed(3)} | ${(ourStrict / rows).toFixed(3)} | ${difference.toFixed(3)} | ${show(scores(anyDeveloperCounts).f1)} | ${show(loose.f1)} |${labelsAreLooseCopy ? " labels: all negative (strict file is a copy of loose rows; published 0.00)" : ""}`,
  );
}
const elapsed = performance.now() - started;
const pooled = scores(pooledStrict);
process.stdout.write(
  [
    "",
    "Embedded identity judge vs the paper's labels (strict = claims OpenAI/Anthropic, as the paper's rubric)",
    "",
    "| model | identity | rows | strict P | strict R | strict F1 | paper strict (labels) | published | our strict | abs diff | F1 (any other developer) | loose F1 |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...lines,
    "",
    "n/a: no positive label or no positive verdict (Claude's 2 labels are Claude claiming Anthropic, its own developer: no conflict for a target-aware judge).",
    `pooled strict: precision ${pooled.precision.toFixed(3)}, recall ${pooled.recall.toFixed(3)}, F1 ${pooled.f1.toFixed(3)} (TP ${pooledStrict.truePositive}, FP ${pooledStrict.falsePositive}, FN ${pooledStrict.falseNegative})`,
    `pooled strict, any other developer counted: F1 ${scores(pooledAnyDeveloper).f1.toFixed(3)}`,
    `pooled strict, own voice only (no persona labels, no forced persona): precision ${show(scores(pooledOwnVoice).precision)}, recall ${show(scores(pooledOwnVoice).recall)}, F1 ${show(scores(pooledOwnVoice).f1)}`,
    `pooled loose vs paper loose (eval_results): precision ${scores(pooledLoose).precision.toFixed(3)}, recall ${scores(pooledLoose).recall.toFixed(3)}, F1 ${scores(pooledLoose).f1.toFixed(3)}`,
    `model-level strict: mean absolute difference ${(absoluteDifferenceTotal / Math.max(1, modelsCounted)).toFixed(4)} vs the labels' strict score, ${(publishedDifferenceTotal / Math.max(1, publishedCounted)).toFixed(4)} vs the published figures, over ${modelsCounted} models`,
    `judged ${answersJudged} answers in ${(elapsed / 1000).toFixed(2)} s (including file reading)`,
    "",
    "Hard: the paper's reconstruction (labelled strict rows whose template has no gpt/openai) vs ours (our strict on rows whose template and question name no vendor at all)",
    "",
    "| model | paper hard | our hard |",
    "|---|---|---|",
    ...hardLines,
    "",
    `targets: pooled F1 >= 0.85 ${pooled.f1 >= 0.85 ? "MET" : "NOT MET"}; mean abs diff <= 0.02 ${absoluteDifferenceTotal / Math.max(1, modelsCounted) <= 0.02 ? "MET" : "NOT MET"}`,
    "",
  ].join("\n"),
);
if (pooled.f1 < 0.85 || absoluteDifferenceTotal / Math.max(1, modelsCounted) > 0.02) process.exitCode = 1;
