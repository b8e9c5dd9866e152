import { tokenize } from "./tokenize.ts";

/** A sparse vector: sorted term ids and their weights, L2-normalised by the builders below. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** Interns terms to dense integer ids shared by every answer of one corpus. */
export class Vocabulary {
  readonly ids = new Map<string, number>();
  idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(term, id);
    }
    return id;
  }
}

/** Terms of one answer: word unigrams and bigrams, plus style markers (formatting, opening, closing, punctuation). */
export function answerTerms(text: string): string[] {
  return termsOfWords(text, tokenize(text));
}

/** `answerTerms` for an answer already tokenised into `words` (avoids tokenising twice). */
export function termsOfWords(text: string, words: readonly string[]): string[] {
  const terms: string[] = [...words];
  for (let index = 0; index + 1 < words.length; index++) terms.push(`${words[index]} ${words[index + 1]}`);
  terms.push(...styleMarkers(text, words));
  terms.push(`§length:${Math.round(Math.log2(1 + words.length))}`);
  return terms;
}

/** The style markers of an answer (formatting, opening, closing, punctuation), without the length bucket. */
export function styleMarkers(text: string, words: readonly string[]): string[] {
  const terms: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (/^#{1,6}\s/.test(trimmed)) terms.push("§header");
    if (/^[-*•]\s/.test(trimmed)) terms.push("§bullet");
    if (/^\d+[.)]\s/.test(trimmed)) terms.push("§numbered");
    if (trimmed.startsWith("```")) terms.push("§fence");
  }
  if (/\*\*[^*]+\*\*/.test(text)) terms.push("§bold");
  if (words.length > 0)
    terms.push(`§open:${words.slice(0, 2).join(" ")}`, `§close:${words.slice(-2).join(" ")}`);
  for (const mark of text.match(/[!?;:()"—–]/g) ?? []) terms.push(`§punct:${mark}`);
  return terms;
}

/** Term counts of one answer as (id -> count). */
export function termCounts(text: string, vocabulary: Vocabulary): Map<number, number> {
  const counts = new Map<number, number>();
  for (const term of answerTerms(text)) {
    const id = vocabulary.idOf(term);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Turns counts into an L2-normalised sublinear TF-IDF sparse vector. */
export function tfidfVector(counts: Map<number, number>, inverseFrequency: Float64Array): SparseVector {
  const indices = Uint32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = new Float32Array(indices.length);
  let norm = 0;
  indices.forEach((id, position) => {
    const weight = (1 + Math.log(counts.get(id)!)) * inverseFrequency[id]!;
    values[position] = weight;
    norm += weight * weight;
  });
  norm = Math.sqrt(norm);
  if (norm > 0) for (let position = 0; position < values.length; position++) values[position]! /= norm;
  return { indices, values };
}

/** Cosine of two L2-normalised sparse vectors (merge over sorted ids). */
export function cosine(left: SparseVector, right: SparseVector): number {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < left.indices.length && j < right.indices.length) {
    const a = left.indices[i]!;
    const b = right.indices[j]!;
    if (a === b) total += left.values[i++]! * right.values[j++]!;
    else if (a < b) i++;
    else j++;
  }
  return total;
}
