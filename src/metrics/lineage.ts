import type { AlignedCorpus } from "../corpus/aligned-corpus.ts";
import { InputError, RuntimeFailure } from "../errors.ts";
import {
  checkCallbackOption,
  checkOptionsObject,
  checkSignalOption,
  shownKind,
} from "../options/library-options.ts";
import { checkWholeNumberOption } from "../options/option-name.ts";
import { envelope } from "../report/envelope.ts";
import { distinctiveSimilarity } from "../similarity/distinctive.ts";
import { distinctiveSimilarityInParallel, type ParallelOptions } from "../similarity/distinctive-parallel.ts";
import type { PairwiseSimilarity } from "../similarity/pairwise.ts";
import {
  type CopyGroups,
  copyGroups,
  similarityOverDistinctModels,
  similarityOverDistinctModelsAsync,
} from "./lineage-copies.ts";
import { type LineageExample, lineageExamples } from "./lineage-examples.ts";
import {
  betweenModelTest,
  median,
  type PairAffinities,
  pairAffinities,
  relativeAffinities,
} from "./lineage-null.ts";
import { holmAdjust } from "./stats.ts";

export interface LineageOptions {
  candidates?: string[];
  alpha?: number;
  /** Accepted for compatibility; the test is analytic and deterministic, so the seed changes nothing. */
  seed?: number;
  /** Accepted for compatibility; unused (no permutations). */
  permutations?: number;
  /** Examples (prompts and answers) kept per attribution. */
  examples?: number;
  /**
   * Cancels the run: it throws a RuntimeFailure ("interrupted: ...") at its next step. runLineage runs on
   * the calling thread, so the signal is read between steps; pass it to lineageEvidenceInParallel too, which
   * stops its worker threads as soon as it aborts.
   */
  signal?: AbortSignal;
}

export interface RankingEntry {
  candidate: string;
  /** z of the student's relative affinity to the candidate against other models' (the ranking key). */
  score: number;
  /** Holm-adjusted one-sided p-value of that z over this student's candidates. */
  pValue: number;
  /** Relative affinity D(s, c) minus the median D(m, c) of the reference models. */
  excess: number;
  /** Mean distinctive similarity A(s, c), before any correction. */
  rawSimilarity: number;
}

export interface LineageAttribution {
  model: string;
  teacher: string | null;
  pValue: number;
  ranking: RankingEntry[];
  /** Candidates that the teacher is near-identical to (its candidate family), when it has any. */
  family?: string[];
  /** Other candidates that are also significant for this student. */
  alsoSignificant?: string[];
  /** z of the top candidate minus z of the second. */
  margin: number;
  examples: LineageExample[];
}

/** Everything the test needs, computed once per corpus: per-prompt similarities, pair affinities, D(m, c). */
export interface LineageEvidence {
  corpus: AlignedCorpus;
  similarity: PairwiseSimilarity;
  affinities: PairAffinities;
  relative: Float64Array;
  /** Models that are copies of one another: counted once by the test. */
  copies: CopyGroups;
}

/** Fewest models for a between-model reference: student, candidate and three reference models. */
export const minimumModelsForNull = 5;

export function lineageEvidence(corpus: AlignedCorpus): LineageEvidence {
  const copies = copyGroups(corpus.answers);
  const similarity = similarityOverDistinctModels(corpus.answers, copies, (answers) =>
    distinctiveSimilarity(answers, corpus.promptTexts),
  );
  return evidenceOf(corpus, copies, similarity);
}

/**
 * `lineageEvidence` with the per-prompt similarity spread over the machine's cores
 * (src/similarity/distinctive-parallel.ts); the evidence is the same, value for value.
 */
export async function lineageEvidenceInParallel(
  corpus: AlignedCorpus,
  options: ParallelOptions = {},
): Promise<LineageEvidence> {
  const call = "lineageEvidenceInParallel";
  checkCorpusShape(corpus, call);
  checkParallelOptions(options, call);
  const { signal } = options;
  stopIfInterrupted(signal, "before the similarity");
  const copies = copyGroups(corpus.answers);
  const similarity = await similarityOverDistinctModelsAsync(corpus.answers, copies, (answers) =>
    distinctiveSimilarityInParallel(answers, corpus.promptTexts, options),
  ).catch((error: unknown) => {
    // The workers are stopped already (distinctive-parallel.ts); the caller hears the run functions' error.
    stopIfInterrupted(signal, "during the similarity");
    throw error;
  });
  stopIfInterrupted(signal, "after the similarity");
  return evidenceOf(corpus, copies, similarity);
}

/** The parallel options a library caller passes, checked as the CLI checks --threads. */
function checkParallelOptions(options: unknown, call: string): void {
  checkOptionsObject(options, call, "threads?, onProgress?, signal?");
  const { threads, minimumAnswers, onProgress, signal } = options as ParallelOptions;
  if (threads !== undefined) checkWholeNumberOption(threads, `${call}: threads`, 1);
  if (minimumAnswers !== undefined) checkWholeNumberOption(minimumAnswers, `${call}: minimumAnswers`, 0);
  checkCallbackOption(onProgress, `${call}: onProgress`);
  checkSignalOption(signal);
}

/** The error every run function gives when its signal aborts (runWork, runIce, runRse): a RuntimeFailure. */
function stopIfInterrupted(signal: AbortSignal | undefined, when: string): void {
  if (signal?.aborted)
    throw new RuntimeFailure(`interrupted: lineage stopped ${when}; no result was made (run it again)`, {
      cause: signal.reason,
    });
}

function evidenceOf(
  corpus: AlignedCorpus,
  copies: CopyGroups,
  similarity: PairwiseSimilarity,
): LineageEvidence {
  const affinities = pairAffinities(similarity.values, similarity.models, similarity.prompts);
  return { corpus, similarity, affinities, relative: relativeAffinities(affinities, copies), copies };
}

/** Between-model test of "left is closer to right than other models are". */
export function pairTest(evidence: LineageEvidence, left: number, right: number) {
  return betweenModelTest(evidence.relative, evidence.affinities, left, right, evidence.copies);
}

/**
 * Groups candidates that are near-identical to one another (e.g. two versions of one model): linked when
 * each is closer to the other than other models are (one-sided p < alpha in both directions; descriptive,
 * no multiplicity correction); families are the connected components with more than one member.
 */
export function candidateFamilies(
  evidence: LineageEvidence,
  candidates: number[],
  alpha: number,
): number[][] {
  const parent = new Map(candidates.map((candidate) => [candidate, candidate]));
  const root = (node: number): number => {
    let current = node;
    while (parent.get(current) !== current) current = parent.get(current)!;
    return current;
  };
  for (let i = 0; i < candidates.length; i++)
    for (let j = i + 1; j < candidates.length; j++) {
      const forward = pairTest(evidence, candidates[i]!, candidates[j]!).pValue;
      const backward = pairTest(evidence, candidates[j]!, candidates[i]!).pValue;
      if (forward < alpha && backward < alpha) parent.set(root(candidates[i]!), root(candidates[j]!));
    }
  const groups = new Map<number, number[]>();
  for (const candidate of candidates) {
    const key = root(candidate);
    groups.set(key, [...(groups.get(key) ?? []), candidate]);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/**
 * Attributes one student to the candidate it is most unusually close to, or null when, after Holm over
 * its candidates, no candidate passes the between-model test at alpha.
 */
export function attributeStudent(
  evidence: LineageEvidence,
  student: number,
  candidates: number[],
  options: { alpha: number; families: number[][]; examples: number },
): LineageAttribution {
  const { corpus, affinities } = evidence;
  const models = corpus.models.length;
  // A candidate's copies (one model under two names) are one hypothesis: test the first of each group, the
  // others appear in its family.
  const { representative } = evidence.copies;
  const others = candidates.filter(
    (candidate, index) =>
      candidate !== student &&
      !candidates
        .slice(0, index)
        .some((earlier) => earlier !== student && representative[earlier] === representative[candidate]),
  );
  const tests = others.map((candidate) => pairTest(evidence, student, candidate));
  const adjusted = holmAdjust(tests.map((test) => test.pValue));
  const ranking = others
    .map((candidate, index) => ({
      index: candidate,
      candidate: corpus.models[candidate]!,
      score: Number.isNaN(tests[index]!.z) ? 0 : tests[index]!.z,
      pValue: adjusted[index]!,
      excess: tests[index]!.excess,
      rawSimilarity: affinities.mean[student * models + candidate]!,
    }))
    // Equal scores (0 for every candidate when no test could be made, as with fewer than 5 models) are
    // ordered by raw similarity, so that the first candidate is still the closest one.
    .sort(
      (left, right) => right.score - left.score || (right.rawSimilarity || 0) - (left.rawSimilarity || 0),
    );
  const top = ranking[0];
  const significant = top !== undefined && top.pValue < options.alpha && top.score > 0;
  // The teacher's near-identical candidates, without the student itself (a candidate too when every model is).
  const family = significant
    ? options.families.find((group) => group.includes(top.index))?.filter((index) => index !== student)
    : undefined;
  const alsoSignificant = significant
    ? ranking.slice(1).filter((entry) => entry.pValue < options.alpha && entry.score > 0)
    : [];
  return {
    model: corpus.models[student]!,
    teacher: significant ? top.candidate : null,
    pValue: top?.pValue ?? 1,
    ranking: ranking.map(({ candidate, score, pValue, excess, rawSimilarity }) => ({
      candidate,
      score: round(score),
      pValue,
      excess: round(excess),
      rawSimilarity: round(rawSimilarity),
    })),
    ...(family && family.length > 1 ? { family: family.map((index) => corpus.models[index]!) } : {}),
    ...(alsoSignificant.length > 0
      ? { alsoSignificant: alsoSignificant.map((entry) => entry.candidate) }
      : {}),
    margin: ranking.length > 1 ? round(top!.score - ranking[1]!.score) : round(top?.score ?? 0),
    examples: top
      ? lineageExamples(corpus, evidence.similarity.values, student, top.index, options.examples)
      : [],
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * The models a name not in the corpus may have meant: transcripts name models with their provider
 * (`openai:gpt-4o`), so a bare name points to the one model it ends; else up to 3 models that contain it.
 */
function prefixedHint(models: readonly string[], name: string): string {
  const matches = models.filter((model) => model.endsWith(`:${name}`));
  if (matches.length === 1) return `; did you mean "${matches[0]}"? (names are the whole model value)`;
  // A shortened or differently cased name ("gpt4" for gpt4_0314, "Claude-2"): the models that contain it.
  const lower = name.toLowerCase();
  const containing = lower === "" ? [] : models.filter((model) => model.toLowerCase().includes(lower));
  return containing.length > 0 && containing.length <= 3
    ? `; did you mean ${containing.map((model) => `"${model}"`).join(" or ")}?`
    : "";
}

/** A model name in a comma-separated list: quoted when it holds a comma itself. */
function listedName(name: string): string {
  return name.includes(",") ? JSON.stringify(name) : name;
}

function resolveCandidates(corpus: AlignedCorpus, options: LineageOptions) {
  const explicit = options.candidates !== undefined && options.candidates.length > 0;
  const names = explicit ? [...new Set(options.candidates)] : corpus.models;
  for (const name of names)
    if (corpus.counts?.emptyModels?.includes(name))
      throw new InputError(
        `candidates (--candidates): "${name}" gave only empty answers and was left out of the corpus; fix its answers or leave it out of the candidates`,
      );
    else if (!corpus.models.includes(name))
      throw new InputError(
        `candidates (--candidates): "${name}" is not a model in the corpus (models: ${corpus.models.map(listedName).join(", ")})${prefixedHint(corpus.models, name)}`,
      );
  const candidates = names.map((name) => corpus.models.indexOf(name));
  const students = corpus.models
    .map((_, index) => index)
    .filter((index) => !explicit || !candidates.includes(index));
  if (students.length === 0)
    throw new InputError(
      "candidates (--candidates) names every model; leave at least one model out as a student",
    );
  if (corpus.models.length < 2) throw new InputError("lineage needs at least two models");
  return { names, candidates, students };
}

/** Why a result may say less than usual: too few distinct models, or copies counted once. */
function methodNote(corpus: AlignedCorpus, copies: CopyGroups, candidates: number): { note?: string } {
  const distinct = corpus.models.length - copies.groups.reduce((total, group) => total + group.length - 1, 0);
  const notes: string[] = [];
  if (copies.groups.length > 0)
    notes.push(
      `copies of one model (the same answer of 40 characters or more on over half of the prompts) counted once: ${copies.groups
        .map((group) => group.map((index) => corpus.models[index]!).join(" = "))
        .join("; ")}`,
    );
  // A student's centre is the median of its closeness to the other candidates; with 1 or 2 of them that is
  // one value or a mean, which its own teacher moves (docs/design/lineage-statistic.md, "Row centres over
  // the candidates"). Measured with 17 students of one candidate among 30 models: every independent model
  // attributed with 2 or 3 candidates, none with 4.
  if (candidates === 2 || candidates === 3)
    notes.push(
      `with ${candidates} candidates a model's general closeness is ${candidates === 2 ? "its closeness to the other one" : "a mean of 2 of them"}, which its own teacher moves: when most models learned from one candidate, independent models can be attributed to ${candidates === 2 ? "the other" : "another"}; give 4 or more candidates`,
    );
  if (distinct < minimumModelsForNull)
    notes.push(
      `fewer than ${minimumModelsForNull} ${copies.groups.length > 0 ? "distinct " : ""}models: no between-model reference, so no teacher can be significant`,
    );
  return notes.length > 0 ? { note: notes.join("; ") } : {};
}

/** A value as an error message shows it: NaN and Infinity as such (JSON would print null). */
const shown = (value: unknown): string =>
  typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value));

/**
 * The corpus as runLineage reads it: one row of answers per model, one answer per prompt. `call` names the
 * exported function a library caller called ("lineage" for the CLI, which checks before the long part).
 */
function checkCorpusShape(corpus: AlignedCorpus, call: string): void {
  const hint = `${call} needs an aligned corpus from loadTranscriptsCorpus, loadAlpacaEvalCorpus or alignAnswers`;
  if (!Array.isArray(corpus?.models) || !Array.isArray(corpus.answers) || !Array.isArray(corpus.prompts))
    throw new InputError(hint);
  if (corpus.answers.length !== corpus.models.length)
    throw new InputError(
      `${hint}: it has ${corpus.models.length} models but ${corpus.answers.length} rows of answers`,
    );
  corpus.answers.forEach((row, index) => {
    if (
      !Array.isArray(row) ||
      row.length !== corpus.prompts.length ||
      row.some((answer) => typeof answer !== "string")
    )
      throw new InputError(
        `${hint}: the answers of model "${corpus.models[index]}" must be ${corpus.prompts.length} strings, one per prompt`,
      );
  });
}

/**
 * Checks runLineage's corpus and options, and resolves the candidates and students, without computing
 * anything: the CLI calls it before the long similarity, so that a typo in --candidates costs nothing.
 * Bad options are InputErrors naming the option as code and the CLI know it.
 */
export function checkLineageOptions(corpus: AlignedCorpus, options: LineageOptions = {}, call = "lineage") {
  checkCorpusShape(corpus, call);
  checkOptionsObject(options, call, "candidates?, alpha?, examples?, signal?");
  checkSignalOption(options.signal);
  const alpha = options.alpha ?? 0.05;
  // The CLI checks its flags; a library caller's options get the same checks (a stray alpha of 5 would
  // make every candidate "significant").
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1))
    throw new InputError(`alpha (--alpha) must be between 0 and 1, got ${shown(alpha)}`);
  const examples = options.examples ?? 3;
  if (!Number.isInteger(examples) || examples < 0)
    throw new InputError(`examples must be a whole number >= 0, got ${shown(examples)}`);
  if (
    options.candidates !== undefined &&
    (!Array.isArray(options.candidates) || options.candidates.some((name) => typeof name !== "string"))
  )
    throw new InputError(
      `candidates (--candidates) must be a list of model names, got ${shown(options.candidates)}`,
    );
  return { alpha, examples, ...resolveCandidates(corpus, options) };
}

/** Evidence given to runLineage: what lineageEvidenceInParallel returned for a corpus of this shape. */
function checkGivenEvidence(corpus: AlignedCorpus, given: unknown): void {
  if (given === undefined) return;
  const evidence = given as Partial<LineageEvidence> | null;
  const sameShape =
    evidence?.relative instanceof Float64Array &&
    evidence.corpus?.models?.length === corpus.models.length &&
    evidence.corpus.prompts?.length === corpus.prompts.length;
  if (!sameShape)
    throw new InputError(
      `runLineage: evidence (the third argument) must be what lineageEvidenceInParallel returned for this corpus, got ${shownKind(given)}`,
    );
}

/**
 * Lineage over an aligned corpus. Students are the models not in `candidates`; when no candidates are given
 * every model is both: each is tested against all the others (leave-one-out). `given` reuses evidence
 * already built from this same corpus (the validation script tests several candidate sets on one corpus).
 */
export function runLineage(corpus: AlignedCorpus, options: LineageOptions = {}, given?: LineageEvidence) {
  const { alpha, examples, names, candidates, students } = checkLineageOptions(corpus, options, "runLineage");
  checkGivenEvidence(corpus, given);
  const { signal } = options;
  stopIfInterrupted(signal, "before the similarity");
  const built = given ?? lineageEvidence(corpus);
  stopIfInterrupted(signal, "after the similarity");
  // Row centres over the candidates (docs/design/lineage-statistic.md): a popular teacher's students are
  // close to one another, and a centre over the whole corpus would be a sibling's value.
  const evidence =
    candidates.length < corpus.models.length
      ? { ...built, relative: relativeAffinities(built.affinities, built.copies, candidates) }
      : built;
  const families = candidateFamilies(evidence, candidates, alpha);
  const attributions = students.map((student) => {
    stopIfInterrupted(signal, "while attributing the students");
    return attributeStudent(evidence, student, candidates, { alpha, families, examples });
  });
  const matrix = corpus.models.map((_, left) =>
    corpus.models.map((_, right) =>
      left === right ? 1 : round(evidence.affinities.mean[left * corpus.models.length + right]!),
    ),
  );
  const centrality = Object.fromEntries(
    corpus.models.map((name, index) => [
      name,
      round(
        median(
          evidence.affinities.mean.subarray(index * corpus.models.length, (index + 1) * corpus.models.length),
        ),
      ),
    ]),
  );
  return {
    ...envelope("lineage"),
    candidates: names,
    students: students.map((index) => corpus.models[index]!),
    method: {
      similarity:
        "distinctive overlap: cosine of sublinear-TF x per-prompt-IDF vectors (word uni/bigrams, formatting, openings/closings, punctuation; prompt words removed)",
      statistic:
        "between-model random-effects outlier test: D(s,c) = A(s,c) - median over the other candidates k of A(s,k); z = (D(s,c) - median_m D(m,c)) / sqrt(MADscale^2 (1 + pi/2n) + se^2) over the n other models m (copies of one model counted once); p from Student's t with 0.3676 (n - 1) degrees of freedom",
      correction: "holm over each student's candidates",
      alpha,
      ...methodNote(
        corpus,
        evidence.copies,
        candidates.length < corpus.models.length ? candidates.length : 0,
      ),
    },
    attributions,
    candidateFamilies: families.map((group) => group.map((index) => corpus.models[index]!)),
    copies: evidence.copies.groups.map((group) => group.map((index) => corpus.models[index]!)),
    similarity: { models: corpus.models, matrix },
    examples: attributions.flatMap((attribution) => attribution.examples),
    centrality,
    counts: corpus.counts,
  };
}

export type LineageResult = ReturnType<typeof runLineage>;
