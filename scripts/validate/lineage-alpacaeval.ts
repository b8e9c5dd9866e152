/** Validates `lineage` on the AlpacaEval development split: documented teacher named, null for human-data models. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAlpacaEvalCorpus } from "../../src/corpus/alpacaeval.ts";
import { runLineage } from "../../src/metrics/lineage.ts";

const dataDirectory = join(dirname(fileURLToPath(import.meta.url)), "../../../shared/data/alpacaeval");
if (!existsSync(join(dataDirectory, "lineage.json"))) {
  console.log("skipped: ../shared/data/alpacaeval not found");
  process.exit(0);
}
const lineage = JSON.parse(readFileSync(join(dataDirectory, "lineage.json"), "utf8")) as {
  candidates: string[];
  students: Record<string, { teachers: Array<string | null> }>;
};
const corpus = loadAlpacaEvalCorpus(join(dataDirectory, "results"));
const seeds = [1, 2];
let failures = 0;
for (const seed of seeds) {
  const result = runLineage(corpus, { candidates: lineage.candidates, seed });
  console.log(`seed ${seed}: ${corpus.counts.prompts} aligned prompts`);
  console.log("student | documented | ours | p | margin | right | plain TF-IDF nearest | baseline right");
  let right = 0;
  let baselineRight = 0;
  for (const attribution of result.attributions) {
    const documented = lineage.students[attribution.model]?.teachers ?? [];
    const ok = documented.includes(attribution.teacher);
    const nearest = [...attribution.ranking].sort(
      (left, right) => right.rawSimilarity - left.rawSimilarity,
    )[0]!.candidate;
    const baselineOk = documented.includes(nearest);
    if (ok) right++;
    if (baselineOk) baselineRight++;
    console.log(
      `${attribution.model} | ${documented.map(String).join(",")} | ${attribution.teacher ?? "null"} | ${attribution.pValue.toFixed(4)} | ${attribution.margin.toFixed(4)} | ${ok ? "right" : "WRONG"} | ${nearest} | ${baselineOk ? "right" : "WRONG"}`,
    );
  }
  console.log(
    `seed ${seed}: ours ${right}/${result.attributions.length}, plain TF-IDF ${baselineRight}/${result.attributions.length}`,
  );
  if (right < result.attributions.length) failures++;
}
console.log(failures === 0 ? "PASS" : "FAIL: target (every student right) not met");
if (failures > 0) process.exitCode = 1;
