/**
 * Lineage speed: the full attribution (similarity, null, tests, examples) on the 16-model AlpacaEval corpus
 * (limit 5 s) and on a synthetic 200-model x 805-prompt corpus with 150-300-word answers (limits 60 s and
 * 4 GB peak RSS). Prints wall time and CPU time (the machine may be shared).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { alignAnswers } from "../../src/corpus/aligned-corpus.ts";
import { loadAlpacaEvalCorpus } from "../../src/corpus/alpacaeval.ts";
import { lineageEvidenceInParallel, runLineage } from "../../src/metrics/lineage.ts";
import { seededRandom } from "../../src/metrics/random.ts";

async function timed<T>(
  work: () => T | Promise<T>,
): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

const resultsDirectory = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../shared/data/alpacaeval/results",
);
if (existsSync(resultsDirectory)) {
  const corpus = loadAlpacaEvalCorpus(resultsDirectory);
  const run = await timed(async () => runLineage(corpus, {}, await lineageEvidenceInParallel(corpus)));
  const fast = run.seconds < 5;
  if (!fast) process.exitCode = 1;
  console.log(
    `16-model corpus (${corpus.counts.prompts} prompts), all pairs: ${run.seconds.toFixed(2)} s wall, ${run.cpuSeconds.toFixed(2)} s CPU ${fast ? "PASS" : "FAIL"} (limit 5 s)`,
  );
} else console.log("skipped: ../shared/data/alpacaeval/results not found");

/**
 * Synthetic corpus: a Zipf-distributed general vocabulary, per-prompt topic words, per-model habit phrases;
 * every fifth model is a student that reuses half of its teacher's answer.
 */
function syntheticCorpus(models: number, prompts: number, seed: number) {
  const random = seededRandom(seed);
  const vocabulary = Array.from({ length: 20000 }, (_, index) => `w${index.toString(36)}`);
  const zipfWord = () => vocabulary[Math.floor(vocabulary.length ** random()) - 1]!;
  const topics = Array.from({ length: prompts }, (_, prompt) =>
    Array.from({ length: 40 }, (_, index) => `t${prompt.toString(36)}x${index}`),
  );
  const habits = Array.from({ length: models }, (_, model) =>
    Array.from({ length: 30 }, (_, index) => `h${model.toString(36)}y${index}`),
  );
  const answers: string[][] = [];
  for (let model = 0; model < models; model++) {
    const teacher = model % 5 === 4 ? model - 1 : -1;
    const row: string[] = [];
    for (let prompt = 0; prompt < prompts; prompt++) {
      const length = 150 + Math.floor(random() * 150);
      const words: string[] = [];
      for (let index = 0; index < length; index++) {
        const draw = random();
        if (draw < 0.55) words.push(zipfWord());
        else if (draw < 0.85) words.push(topics[prompt]![Math.floor(random() * 40)]!);
        else words.push(habits[model]![Math.floor(random() * 30)]!);
      }
      const own = words.join(" ");
      row.push(
        teacher >= 0
          ? `${answers[teacher]![prompt]!.slice(0, own.length / 2)} ${own.slice(own.length / 2)}`
          : own,
      );
    }
    answers.push(row);
  }
  const byModel = new Map(
    answers.map((row, model) => [
      `model${String(model).padStart(3, "0")}`,
      new Map(row.map((text, prompt) => [`prompt ${prompt}`, text])),
    ]),
  );
  return alignAnswers("synthetic", byModel);
}

const models = Number(process.env.LINEAGE_BENCH_MODELS ?? 200);
const prompts = 805;
const corpus = syntheticCorpus(models, prompts, 7);
const run = await timed(async () => runLineage(corpus, {}, await lineageEvidenceInParallel(corpus)));
const peakGigabytes = process.resourceUsage().maxRSS / 1024 / 1024;
const attributed = run.value.attributions.filter((attribution) => attribution.teacher !== null);
// A true link joins model 5k+4 and its teacher 5k+3 (either direction: without --candidates both are tested).
const isTrueLink = (left: string, right: string) => {
  const [a, b] = [Number(left.slice(5)), Number(right.slice(5))].sort((x, y) => x - y);
  return b! % 5 === 4 && a === b! - 1;
};
const correct = attributed.filter((attribution) =>
  isTrueLink(attribution.model, attribution.teacher!),
).length;
const expectedLinks = (models / 5) * 2;
const students = `${correct} of ${attributed.length} attributions true links, ${expectedLinks} expected`;
// The synthetic links are planted, so the verdict also asks that every one is found and nothing else is.
const passed =
  run.seconds < 60 && peakGigabytes < 4 && correct === attributed.length && correct === expectedLinks;
if (!passed) process.exitCode = 1;
console.log(
  `synthetic ${models} models x ${prompts} prompts, all pairs: ${run.seconds.toFixed(2)} s wall, ${run.cpuSeconds.toFixed(2)} s CPU, peak RSS ${peakGigabytes.toFixed(2)} GB (${students}) ${passed ? "PASS" : "FAIL"} (limits 60 s, 4 GB, every planted link and no other)`,
);
