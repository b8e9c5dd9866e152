import type { AlignedCorpus } from "../corpus/aligned-corpus.ts";
import { InputError } from "../errors.ts";
import { envelope } from "../report/envelope.ts";
import { meanSimilarity, type PairwiseSimilarity, pairwiseSimilarity } from "../similarity/pairwise.ts";
import { holmAdjust, mean, signFlipPermutationTest } from "./stats.ts";

export interface LineageOptions {
  candidates?: string[];
  alpha?: number;
  seed?: number;
  permutations?: number;
}

export interface LineageAttribution {
  model: string;
  teacher: string | null;
  pValue: number;
  ranking: Array<{ candidate: string; score: number; pValue: number; rawSimilarity: number }>;
  family?: string[];
  margin: number;
}

/**
 * Per-prompt centrality-corrected affinity of `student` to each candidate:
 * d[c][p] = (S_p(s,c) - mean_k S_p(k,c)) - mean_{c' != c} (S_p(s,c') - mean_k S_p(k,c')),
 * where k runs over every model except s and the candidate (how close others are to that candidate on the same prompt).
 * Prompts where the student's answer is empty are skipped.
 */
export function correctedAffinities(
  similarity: PairwiseSimilarity,
  student: number,
  candidates: number[],
): number[][] {
  const models = similarity.models;
  const square = models * models;
  const perCandidate: number[][] = candidates.map(() => []);
  for (let prompt = 0; prompt < similarity.prompts; prompt++) {
    const base = prompt * square;
    const excess: number[] = [];
    for (const candidate of candidates) {
      const own = similarity.values[base + student * models + candidate]!;
      let total = 0;
      let count = 0;
      for (let other = 0; other < models; other++) {
        if (other === student || other === candidate) continue;
        const value = similarity.values[base + other * models + candidate]!;
        if (!Number.isNaN(value)) {
          total += value;
          count++;
        }
      }
      excess.push(count === 0 || Number.isNaN(own) ? Number.NaN : own - total / count);
    }
    if (excess.some(Number.isNaN)) continue;
    const sum = excess.reduce((left, right) => left + right, 0);
    excess.forEach((value, index) => {
      perCandidate[index]!.push(value - (sum - value) / Math.max(1, excess.length - 1));
    });
  }
  return perCandidate;
}

/** Attributes one student to a candidate teacher, or null when no candidate is significant after Holm. */
export function attributeStudent(
  similarity: PairwiseSimilarity,
  modelNames: readonly string[],
  student: number,
  candidates: number[],
  options: { alpha: number; seed: number; permutations: number },
): LineageAttribution {
  const others = candidates.filter((candidate) => candidate !== student);
  const affinities = correctedAffinities(similarity, student, others);
  const rawP = affinities.map((values, index) =>
    signFlipPermutationTest(values, { permutations: options.permutations, seed: options.seed + index }),
  );
  const adjusted = holmAdjust(rawP);
  const ranking = others
    .map((candidate, index) => ({
      candidate: modelNames[candidate]!,
      score: mean(affinities[index]!),
      pValue: adjusted[index]!,
      rawSimilarity: meanSimilarity(similarity, student, candidate),
      index,
    }))
    .sort((left, right) => right.score - left.score);
  const top = ranking[0];
  const margin = ranking.length > 1 ? top!.score - ranking[1]!.score : (top?.score ?? 0);
  const significant = top !== undefined && top.pValue < options.alpha && top.score > 0;
  let family: string[] | undefined;
  if (significant) {
    // Candidates the student's evidence cannot separate from the top one: also significant, and the paired
    // per-prompt difference to the top is not significant.
    const topValues = affinities[top.index]!;
    const members = ranking.slice(1).filter((entry) => {
      if (entry.pValue >= options.alpha) return false;
      const values = affinities[entry.index]!;
      const differences = topValues.map((value, prompt) => value - values[prompt]!);
      return (
        signFlipPermutationTest(differences, { permutations: options.permutations, seed: options.seed }) >=
        options.alpha
      );
    });
    if (members.length > 0) family = [top.candidate, ...members.map((entry) => entry.candidate)];
  }
  return {
    model: modelNames[student]!,
    teacher: significant ? top.candidate : null,
    pValue: top?.pValue ?? 1,
    ranking: ranking.map(({ candidate, score, pValue, rawSimilarity }) => ({
      candidate,
      score,
      pValue,
      rawSimilarity,
    })),
    ...(family ? { family } : {}),
    margin,
  };
}

/**
 * Lineage over an aligned corpus. Students are the models not in `candidates`; when no candidates are given
 * every model is both: each is tested against all the others (leave-one-out).
 */
export function runLineage(corpus: AlignedCorpus, options: LineageOptions = {}) {
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 1;
  const permutations = options.permutations ?? 2000;
  const candidateNames =
    options.candidates && options.candidates.length > 0 ? options.candidates : corpus.models;
  for (const name of candidateNames)
    if (!corpus.models.includes(name))
      throw new InputError(
        `--candidates: "${name}" is not a model in the corpus (models: ${corpus.models.join(", ")})`,
      );
  const candidates = candidateNames.map((name) => corpus.models.indexOf(name));
  const explicit = options.candidates !== undefined && options.candidates.length > 0;
  const students = corpus.models
    .map((_, index) => index)
    .filter((index) => !explicit || !candidates.includes(index));
  if (students.length === 0)
    throw new InputError("--candidates names every model; leave at least one model out as a student");
  if (candidates.length < 2 && !explicit) throw new InputError("lineage needs at least two models");
  const similarity = pairwiseSimilarity(corpus.answers);
  const attributions = students.map((student) =>
    attributeStudent(similarity, corpus.models, student, candidates, { alpha, seed, permutations }),
  );
  const matrix = corpus.models.map((_, left) =>
    corpus.models.map((_, right) => (left === right ? 1 : meanSimilarity(similarity, left, right))),
  );
  const centrality = Object.fromEntries(
    corpus.models.map((name, index) => [name, mean(matrix[index]!.filter((_, other) => other !== index))]),
  );
  return {
    ...envelope("lineage"),
    candidates: candidateNames,
    students: students.map((index) => corpus.models[index]!),
    method: {
      similarity: "tfidf-word-ngrams+style-markers",
      statistic: "centrality-corrected sign-flip",
      alpha,
      seed,
      permutations,
      correction: "holm",
    },
    attributions,
    similarity: { models: corpus.models, matrix },
    centrality,
    counts: corpus.counts,
  };
}

export type LineageResult = ReturnType<typeof runLineage>;
