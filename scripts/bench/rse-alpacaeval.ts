/**
 * The embedded RSE similarity on real answers: AlpacaEval outputs of 16 models (../shared/data/alpacaeval).
 * For every student with documented lineage, each candidate teacher is used as a reference and the
 * student's answers are scored against the candidate's answers to the same instructions (no model is
 * called). Prints, per student, the overall similarity to every candidate with its 95% interval, the
 * nearest candidate, whether it is a documented teacher, and the paired test of the nearest against the
 * runner-up (sign-flip permutation, Holm-adjusted over the four axes). This is plain RSE (no correction for how
 * generic a candidate's style is: that is `lineage`'s job), so it shows what RSE alone can and cannot tell.
 * Usage: node scripts/bench/rse-alpacaeval.ts [prompts (default: all)] [seed]
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
const promptCount =
  process.argv[2] === undefined || process.argv[2] === "all" ? Infinity : Number(process.argv[2]);
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
const short = (name: string) => name.replace(/-chat-hf$|_0314$|-0301$/, "").slice(0, 16);
process.stdout.write(
  `overall similarity to each candidate, mean [95% CI] (* = nearest)\n${"student".padEnd(27)}${lineage.candidates.map((name) => short(name).padEnd(21)).join("")}documented?  nearest - runner-up (p Holm)\n`,
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
  // Each candidate's interval on its own; the paired test only for the nearest against the runner-up.
  const summaries = new Map(
    lineage.candidates.map((candidate) => [
      candidate,
      rseStatistics(
        items.filter((item) => item.reference === candidate),
        { references: [candidate], seed, resamples: 1000 },
      ).byReference[candidate]!,
    ]),
  );
  const overall = (candidate: string) => summaries.get(candidate)!.scores.overall;
  const ranked = [...lineage.candidates].sort((left, right) => overall(right) - overall(left));
  const [nearest, runnerUp] = [ranked[0]!, ranked[1]!];
  const comparison = rseStatistics(
    items.filter((item) => item.reference === nearest || item.reference === runnerUp),
    { references: [nearest, runnerUp], seed, resamples: 1000 },
  ).comparisons[0]!;
  const documented = teachers.includes(nearest);
  if (teachers.includes(null)) nullStudents++;
  else if (documented) right++;
  const cells = lineage.candidates.map((candidate) => {
    const { scores, intervals } = summaries.get(candidate)!;
    const mark = candidate === nearest ? "*" : " ";
    return `${scores.overall.toFixed(3)}${mark}[${intervals.overall.low.toFixed(2)},${intervals.overall.high.toFixed(2)}]`.padEnd(
      21,
    );
  });
  const verdict = teachers.includes(null)
    ? "human data"
    : documented
      ? "yes"
      : `no (${teachers.map((name) => short(name ?? "")).join("/")})`;
  const difference = Math.abs(comparison.axes.overall.difference);
  process.stdout.write(
    `${student.padEnd(27)}${cells.join("")}${verdict.padEnd(13)}${difference.toFixed(3)} vs ${short(runnerUp)} (p ${comparison.axes.overall.pValueHolm.toPrecision(2)})\n`,
  );
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `\nnearest candidate is a documented teacher for ${right} of ${Object.keys(lineage.students).length - nullStudents} distilled students ` +
    `(${nullStudents} human-data students have no teacher: plain RSE always names one, which is why lineage tests against independent models)\n` +
    `${pairs} answer pairs scored in ${seconds.toFixed(1)} s (${((1000 * seconds) / pairs).toFixed(2)} ms per pair, loading included)\n`,
);
