/**
 * The embedded RSE similarity on real answers: AlpacaEval outputs of 16 models (../shared/data/alpacaeval).
 * For every student with documented lineage, each candidate teacher is used as a reference and the
 * student's answers are scored against the candidate's answers to the same instructions (no model is
 * called). Prints each student's nearest candidate on overall similarity with its interval, whether it is
 * a documented teacher, and whether the paired test says the nearest is significantly nearer than the
 * runner-up. This is plain RSE (no correction for how generic a candidate's style is: that is
 * `lineage`'s job), so it shows what RSE alone can and cannot tell.
 * Usage: node scripts/bench/rse-alpacaeval.ts [prompts (default 300)] [seed]
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  answerFeatures,
  compareAnswerFeatures,
  documentFrequencies,
} from "../../src/judges/similarity-embedded.ts";
import { seededRandom, shuffled } from "../../src/metrics/random.ts";
import { type RseScoredItem, rseStatistics } from "../../src/metrics/rse.ts";

const root = join(import.meta.dirname, "..", "..", "..", "shared", "data", "alpacaeval");
if (!existsSync(join(root, "lineage.json"))) {
  process.stdout.write("skipped: ../shared/data/alpacaeval not found\n");
  process.exit(0);
}
const promptCount = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? 0);
const lineage = JSON.parse(readFileSync(join(root, "lineage.json"), "utf8")) as {
  candidates: string[];
  students: Record<string, { teachers: Array<string | null> }>;
};

function outputs(model: string): Map<string, string> {
  const rows = JSON.parse(readFileSync(join(root, "results", model, "model_outputs.json"), "utf8")) as Array<{
    instruction: string;
    output: string;
  }>;
  return new Map(rows.map((row) => [row.instruction, row.output ?? ""]));
}

const started = performance.now();
const candidateOutputs = new Map(lineage.candidates.map((name) => [name, outputs(name)]));
const candidateFeatures = new Map(
  [...candidateOutputs].map(([name, answers]) => [
    name,
    new Map([...answers].map(([instruction, text]) => [instruction, answerFeatures(text)])),
  ]),
);
const instructions = shuffled(
  [...candidateOutputs.get(lineage.candidates[0]!)!.keys()],
  seededRandom(seed),
).slice(0, promptCount);
let pairs = 0;
let right = 0;
let nullStudents = 0;
process.stdout.write(
  `embedded RSE, ${instructions.length} AlpacaEval instructions, candidates as references\n\n`,
);
process.stdout.write(
  "student                    nearest candidate (overall, 95% CI)        documented   runner-up p (Holm)\n",
);
for (const [student, { teachers }] of Object.entries(lineage.students)) {
  const answers = outputs(student);
  const texts = [...answers.values(), ...[...candidateOutputs.values()].flatMap((map) => [...map.values()])];
  const frequencies = documentFrequencies(texts);
  const studentFeatures = new Map(
    instructions.map((instruction) => [instruction, answerFeatures(answers.get(instruction) ?? "")]),
  );
  const items: RseScoredItem[] = [];
  for (const candidate of lineage.candidates) {
    const reference = candidateFeatures.get(candidate)!;
    for (const instruction of instructions) {
      const target = studentFeatures.get(instruction);
      const other = reference.get(instruction);
      if (target === undefined || other === undefined) continue;
      pairs++;
      items.push({
        dataset: "alpacaeval",
        conversation: instruction,
        turn: 0,
        reference: candidate,
        scores: compareAnswerFeatures(target, other, frequencies),
      });
    }
  }
  const ranked = [...lineage.candidates].sort(
    (left, right) => statisticsOverall(items, right) - statisticsOverall(items, left),
  );
  const [nearest, runnerUp] = [ranked[0]!, ranked[1]!];
  const statistics = rseStatistics(
    items.filter((item) => item.reference === nearest || item.reference === runnerUp),
    { references: [nearest, runnerUp], seed, resamples: 1000 },
  );
  const summary = statistics.byReference[nearest]!;
  const comparison = statistics.comparisons[0]!;
  const documented = teachers.includes(nearest);
  if (teachers.includes(null)) nullStudents++;
  else if (documented) right++;
  process.stdout.write(
    `${student.padEnd(27)}${nearest.padEnd(20)}${summary.scores.overall.toFixed(3)} [${summary.intervals.overall.low.toFixed(3)}, ${summary.intervals.overall.high.toFixed(3)}]   ` +
      `${(teachers.includes(null) ? "human data" : documented ? "yes" : `no (${teachers.join("/")})`).padEnd(13)}${runnerUp} ${comparison.axes.overall.pValueHolm.toPrecision(2)}\n`,
  );
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `\nnearest candidate is a documented teacher for ${right} of ${Object.keys(lineage.students).length - nullStudents} distilled students ` +
    `(${nullStudents} human-data students have no teacher: plain RSE always names one, which is why lineage tests against independent models)\n` +
    `${pairs} answer pairs scored in ${seconds.toFixed(1)} s (${((1000 * seconds) / pairs).toFixed(2)} ms per pair, loading included)\n`,
);

function statisticsOverall(items: readonly RseScoredItem[], reference: string): number {
  let total = 0;
  let count = 0;
  for (const item of items)
    if (item.reference === reference && item.scores !== null) {
      total += item.scores.overall;
      count++;
    }
  return count === 0 ? Number.NaN : total / count;
}
