import { cosine, type SparseVector, termCounts, tfidfVector, Vocabulary } from "./features.ts";

/**
 * Per-prompt all-pairs similarity. Result: Float32Array of size prompts*models*models,
 * entry [prompt*models*models + left*models + right] = cosine of the two models' answers to that prompt
 * (NaN when either answer is empty).
 */
export interface PairwiseSimilarity {
  models: number;
  prompts: number;
  values: Float32Array;
}

/** Builds TF-IDF vectors (IDF over every answer in the corpus) and their per-prompt cosine for every model pair. */
export function pairwiseSimilarity(answers: readonly (readonly string[])[]): PairwiseSimilarity {
  const models = answers.length;
  const prompts = answers[0]?.length ?? 0;
  const vocabulary = new Vocabulary();
  const counts = answers.map((row) => row.map((text) => termCounts(text, vocabulary)));
  const documentFrequency = new Float64Array(vocabulary.ids.size);
  for (const row of counts)
    for (const answer of row) for (const id of answer.keys()) documentFrequency[id]!++;
  const documents = models * prompts;
  const inverseFrequency = documentFrequency.map(
    (frequency) => Math.log((1 + documents) / (1 + frequency)) + 1,
  );
  const vectors: SparseVector[][] = counts.map((row) =>
    row.map((answer) => tfidfVector(answer, inverseFrequency)),
  );
  const values = new Float32Array(prompts * models * models);
  for (let prompt = 0; prompt < prompts; prompt++) {
    const base = prompt * models * models;
    for (let left = 0; left < models; left++) {
      values[base + left * models + left] = 1;
      for (let right = left + 1; right < models; right++) {
        const empty = answers[left]![prompt]!.trim() === "" || answers[right]![prompt]!.trim() === "";
        const value = empty ? Number.NaN : cosine(vectors[left]![prompt]!, vectors[right]![prompt]!);
        values[base + left * models + right] = value;
        values[base + right * models + left] = value;
      }
    }
  }
  return { models, prompts, values };
}

/** Mean over prompts (ignoring NaN) of the similarity of two models. */
export function meanSimilarity(similarity: PairwiseSimilarity, left: number, right: number): number {
  let total = 0;
  let count = 0;
  const square = similarity.models * similarity.models;
  for (let prompt = 0; prompt < similarity.prompts; prompt++) {
    const value = similarity.values[prompt * square + left * similarity.models + right]!;
    if (!Number.isNaN(value)) {
      total += value;
      count++;
    }
  }
  return count === 0 ? Number.NaN : total / count;
}
