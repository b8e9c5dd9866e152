import { styleMarkers } from "./features.ts";
import type { PairwiseSimilarity } from "./pairwise.ts";
import { tokenize } from "./tokenize.ts";

/** Open-addressing hash table from a pair of non-negative integers to an id (faster than a Map of numbers). */
class PairTable {
  private capacity = 1 << 12;
  private lefts = new Int32Array(this.capacity).fill(-1);
  private rights = new Int32Array(this.capacity);
  private ids = new Int32Array(this.capacity);
  private count = 0;

  private slotOf(left: number, right: number): number {
    const mask = this.capacity - 1;
    let slot = (Math.imul(left, 0x9e3779b1) ^ Math.imul(right, 0x85ebca6b)) & mask;
    while (this.lefts[slot] !== -1 && (this.lefts[slot] !== left || this.rights[slot] !== right))
      slot = (slot + 1) & mask;
    return slot;
  }

  /** The id stored for (left, right), or -1. */
  get(left: number, right: number): number {
    const slot = this.slotOf(left, right);
    return this.lefts[slot] === -1 ? -1 : this.ids[slot]!;
  }

  set(left: number, right: number, id: number): void {
    if ((this.count + 1) * 2 > this.capacity) this.grow();
    const slot = this.slotOf(left, right);
    if (this.lefts[slot] === -1) this.count++;
    this.lefts[slot] = left;
    this.rights[slot] = right;
    this.ids[slot] = id;
  }

  private grow(): void {
    const { lefts, rights, ids } = this;
    this.capacity *= 2;
    this.lefts = new Int32Array(this.capacity).fill(-1);
    this.rights = new Int32Array(this.capacity);
    this.ids = new Int32Array(this.capacity);
    for (let slot = 0; slot < lefts.length; slot++)
      if (lefts[slot] !== -1) {
        const target = this.slotOf(lefts[slot]!, rights[slot]!);
        this.lefts[target] = lefts[slot]!;
        this.rights[target] = rights[slot]!;
        this.ids[target] = ids[slot]!;
      }
  }
}

/**
 * Interns one prompt's terms to dense ids: words and style markers by string, word bigrams by the pair of
 * word ids (no bigram strings are built). The terms are the shared answer terms (word unigrams and bigrams,
 * formatting, openings, closings, punctuation) without the length bucket: two answers of similar length are
 * not evidence of lineage.
 */
class PromptTerms {
  private readonly strings = new Map<string, number>();
  private readonly pairs = new PairTable();
  size = 0;

  private idOfString(term: string): number {
    let id = this.strings.get(term);
    if (id === undefined) {
      id = this.size++;
      this.strings.set(term, id);
    }
    return id;
  }

  private idOfPair(left: number, right: number): number {
    const found = this.pairs.get(left, right);
    if (found >= 0) return found;
    const id = this.size++;
    this.pairs.set(left, right, id);
    return id;
  }

  /** Term ids of one text, sorted (repeats kept, so runs give term counts). */
  termIds(text: string): Uint32Array {
    const words = tokenize(text);
    const markers = styleMarkers(text, words);
    const ids = new Uint32Array(words.length * 2 - (words.length > 0 ? 1 : 0) + markers.length);
    let length = 0;
    let previous = -1;
    for (const word of words) {
      const id = this.idOfString(word);
      ids[length++] = id;
      if (previous >= 0) ids[length++] = this.idOfPair(previous, id);
      previous = id;
    }
    for (const marker of markers) ids[length++] = this.idOfString(marker);
    return ids.sort();
  }
}

/**
 * Distinctive-overlap similarity. For each prompt the inverse document frequency is computed across the
 * models' answers to THAT prompt (idf_p(t) = ln(n_p / df_p(t)), n_p = non-empty answers to prompt p), so a
 * term every model uses for this prompt (its topic words) weighs nothing, and an idiosyncratic choice
 * shared by few models (the same example, list item or phrasing) weighs a lot; a term more than half of the
 * answers use is a majority choice and weighs nothing either. Terms that occur in the
 * prompt text are dropped (echoing the question is not a lineage trait). Answers become sublinear-TF x
 * per-prompt-IDF vectors; the similarity of two models on a prompt is their cosine (NaN when either answer
 * is empty). Only terms shared by at least two answers and at most half of them add to a dot product, so
 * the products are accumulated through a per-prompt inverted index over those terms only; its cost grows
 * with the number of minority terms, not with the square of the vocabulary. `onProgress` hears the count
 * of prompts done.
 */
export function distinctiveSimilarity(
  answers: readonly (readonly string[])[],
  promptTexts?: readonly (string | undefined)[],
  onProgress?: (promptsDone: number) => void,
): PairwiseSimilarity {
  const models = answers.length;
  const prompts = answers[0]?.length ?? 0;
  const square = models * models;
  const values = new Float32Array(prompts * square).fill(Number.NaN);
  const dot = new Float64Array(square);
  for (let prompt = 0; prompt < prompts; prompt++) {
    if (prompt > 0) onProgress?.(prompt);
    const terms = new PromptTerms();
    const promptText = promptTexts?.[prompt];
    const excluded = new Set(promptText ? terms.termIds(promptText) : []);
    const present: number[] = [];
    const countsByAnswer: TermCounts[] = [];
    for (let model = 0; model < models; model++) {
      const text = answers[model]![prompt]!;
      if (text.trim() === "") continue;
      present.push(model);
      countsByAnswer.push(runLengths(terms.termIds(text), excluded));
    }
    const base = prompt * square;
    for (const model of present) values[base + model * models + model] = 1;
    if (present.length < 2) continue;
    cosinesOfPrompt(present, countsByAnswer, terms.size, models, dot);
    for (let leftPosition = 0; leftPosition < present.length; leftPosition++) {
      const left = present[leftPosition]!;
      for (let rightPosition = leftPosition + 1; rightPosition < present.length; rightPosition++) {
        const right = present[rightPosition]!;
        const value = dot[left * models + right]!;
        values[base + left * models + right] = value;
        values[base + right * models + left] = value;
      }
    }
  }
  if (prompts > 0) onProgress?.(prompts);
  return { models, prompts, values };
}

/**
 * Cosines of one prompt's answers, written to result[left * models + right] for present left < right.
 * Postings are laid out contiguously by term and, within a term, in model order.
 */
function cosinesOfPrompt(
  present: readonly number[],
  countsByAnswer: readonly TermCounts[],
  vocabularySize: number,
  models: number,
  result: Float64Array,
): void {
  const answered = present.length;
  // A term more than half of the answers use is a majority choice, not a distinctive one: weight 0.
  const majority = answered / 2;
  const documentFrequency = new Uint32Array(vocabularySize);
  for (const counts of countsByAnswer) for (const id of counts.ids) documentFrequency[id]!++;
  const offsets = new Uint32Array(vocabularySize + 1);
  for (let id = 0; id < vocabularySize; id++) {
    const frequency = documentFrequency[id]!;
    offsets[id + 1] = offsets[id]! + (frequency >= 2 && frequency <= majority ? frequency : 0);
  }
  const postingModel = new Uint32Array(offsets[vocabularySize]!);
  const postingWeight = new Float64Array(offsets[vocabularySize]!);
  const fill = offsets.slice(0, vocabularySize);
  const norms = new Float64Array(models);
  countsByAnswer.forEach((counts, position) => {
    const model = present[position]!;
    let norm = 0;
    for (let index = 0; index < counts.ids.length; index++) {
      const id = counts.ids[index]!;
      const count = counts.counts[index]!;
      const frequency = documentFrequency[id]!;
      if (frequency > majority) continue;
      const weight = (1 + Math.log(count)) * Math.log(answered / frequency);
      norm += weight * weight;
      if (frequency >= 2) {
        const slot = fill[id]!++;
        postingModel[slot] = model;
        postingWeight[slot] = weight;
      }
    }
    norms[model] = Math.sqrt(norm);
  });
  for (const left of present) for (const right of present) result[left * models + right] = 0;
  for (let id = 0; id < vocabularySize; id++) {
    const end = offsets[id + 1]!;
    for (let left = offsets[id]!; left < end; left++) {
      const row = postingModel[left]! * models;
      const weight = postingWeight[left]!;
      for (let right = left + 1; right < end; right++)
        result[row + postingModel[right]!]! += weight * postingWeight[right]!;
    }
  }
  for (let leftPosition = 0; leftPosition < answered; leftPosition++) {
    const left = present[leftPosition]!;
    for (let rightPosition = leftPosition + 1; rightPosition < answered; rightPosition++) {
      const right = present[rightPosition]!;
      const denominator = norms[left]! * norms[right]!;
      const index = left * models + right;
      result[index] = denominator > 0 ? result[index]! / denominator : 0;
    }
  }
}

/** Distinct term ids of one answer and how often each occurs. */
interface TermCounts {
  ids: Uint32Array;
  counts: Uint32Array;
}

/** Counts runs of equal ids in sorted ids, leaving out the excluded ones. */
function runLengths(sorted: Uint32Array, excluded: ReadonlySet<number>): TermCounts {
  const ids = new Uint32Array(sorted.length);
  const counts = new Uint32Array(sorted.length);
  let distinct = 0;
  for (let index = 0; index < sorted.length; ) {
    const id = sorted[index]!;
    let end = index + 1;
    while (end < sorted.length && sorted[end] === id) end++;
    if (!excluded.has(id)) {
      ids[distinct] = id;
      counts[distinct++] = end - index;
    }
    index = end;
  }
  return { ids: ids.subarray(0, distinct), counts: counts.subarray(0, distinct) };
}
