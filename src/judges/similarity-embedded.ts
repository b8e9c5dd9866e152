/**
 * Judge-free similarity of two answers on the RSE axes, each mapped to the LLM judge's 1-5 scale
 * (1 + 4 x similarity in [0, 1]):
 * - style: length, formatting habits, punctuation, frequent-word habits, opening and closing phrases;
 * - logic (structure): block layout (headings, lists, steps, code, tables), its order and counts;
 * - content: token TF-IDF cosine (IDF from the answers being compared when given): words, and for
 *   Chinese (no spaces) characters and character bigrams from the shared tokeniser. Raw character
 *   trigrams are not used: in Chinese they mostly matched shared template phrases (要点, 总结,
 *   希望对你有帮助) rather than shared facts, since they carry no IDF.
 * Overall is the mean of the three axes.
 */
import { tokenize } from "../similarity/tokenize.ts";

export interface AxisScores {
  overall: number;
  style: number;
  logic: number;
  content: number;
}

/** Inverse document frequencies over a collection of answers (smoothed, so unseen tokens get the maximum). */
export interface DocumentFrequencies {
  documents: number;
  counts: Map<string, number>;
}

/** Counts, for each token, how many of the texts contain it. */
export function documentFrequencies(texts: Iterable<string>): DocumentFrequencies {
  const counts = new Map<string, number>();
  let documents = 0;
  for (const text of texts) {
    documents++;
    for (const token of new Set(tokenize(text))) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return { documents, counts };
}

type Vector = Map<string, number>;

function cosine(left: Vector, right: Vector, bothEmpty = 1): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (const [key, value] of left) {
    leftNorm += value * value;
    const other = right.get(key);
    if (other !== undefined) dot += value * other;
  }
  for (const value of right.values()) rightNorm += value * value;
  // Two empty vectors (neither answer has the feature, e.g. no punctuation) count as alike on style;
  // for content (bothEmpty 0) two answers without words share no content.
  if (leftNorm === 0 && rightNorm === 0) return bothEmpty;
  if (leftNorm === 0 || rightNorm === 0) return 0;
  return dot / Math.sqrt(leftNorm * rightNorm);
}

function counts(items: Iterable<string>): Vector {
  const vector: Vector = new Map();
  for (const item of items) vector.set(item, (vector.get(item) ?? 0) + 1);
  return vector;
}

function characterGrams(text: string, size: number): string[] {
  const characters = Array.from(text.normalize("NFKC").toLowerCase().replace(/\s+/g, " "));
  const grams: string[] = [];
  for (let index = 0; index + size <= characters.length; index++)
    grams.push(characters.slice(index, index + size).join(""));
  if (grams.length === 0 && characters.length > 0) grams.push(characters.join(""));
  return grams;
}

/** Closeness of two non-negative amounts on a log scale: 1 when equal, 0.5 when one is twice the other. */
function ratioSimilarity(left: number, right: number): number {
  const low = Math.min(left, right) + 1;
  const high = Math.max(left, right) + 1;
  return low / high;
}

// Block kinds of the structure axis, detected line by line.
type Block = "heading" | "bullet" | "numbered" | "code" | "table" | "quote" | "paragraph";

function blocks(text: string): Block[] {
  const result: Block[] = [];
  let inCode = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith("```")) {
      if (!inCode) result.push("code");
      inCode = !inCode;
      continue;
    }
    if (inCode || line === "") continue;
    let kind: Block = "paragraph";
    if (/^#{1,6}\s/.test(line) || /^\*\*[^*]+\*\*:?$/.test(line) || /^[一二三四五六七八九十]+、/.test(line))
      kind = "heading";
    else if (/^[-*+•]\s/.test(line)) kind = "bullet";
    else if (/^(\d+[.)、]|第[一二三四五六七八九十\d]+步|step\s*\d+)/i.test(line)) kind = "numbered";
    else if (/^\|.*\|$/.test(line)) kind = "table";
    else if (line.startsWith(">")) kind = "quote";
    // Consecutive paragraph lines and table rows are one block; list items each count.
    const previous = result[result.length - 1];
    if ((kind === "paragraph" || kind === "table") && previous === kind) continue;
    result.push(kind);
  }
  return result;
}

function longestCommonSubsequence(left: readonly string[], right: readonly string[]): number {
  const row = new Array<number>(right.length + 1).fill(0);
  for (let i = 1; i <= left.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= right.length; j++) {
      const above = row[j]!;
      row[j] = left[i - 1] === right[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[right.length]!;
}

function sequenceSimilarity(left: readonly string[], right: readonly string[]): number {
  if (left.length === 0 && right.length === 0) return 1;
  const capped = (sequence: readonly string[]) => sequence.slice(0, 200);
  return (
    (2 * longestCommonSubsequence(capped(left), capped(right))) /
    (Math.min(left.length, 200) + Math.min(right.length, 200))
  );
}

const formattingMarkers: ReadonlyArray<readonly [string, RegExp]> = [
  ["bold", /\*\*[^*\n]+\*\*/g],
  ["italic", /(?<![*\w])\*[^*\n]+\*(?!\*)/g],
  ["inline-code", /`[^`\n]+`/g],
  ["heading", /^#{1,6}\s/gm],
  ["bullet", /^\s*[-*+•]\s/gm],
  ["numbered", /^\s*\d+[.)]\s/gm],
  ["emoji", /\p{Extended_Pictographic}/gu],
  ["exclamation", /[!！]/g],
  ["question", /[?？]/g],
  ["colon-line", /[:：]\s*$/gm],
  ["parenthesis", /[(（]/g],
  ["dash", /\s[—–-]\s/g],
];

function formattingProfile(text: string): Vector {
  const vector: Vector = new Map();
  const lines = Math.max(1, text.split(/\n/).length);
  for (const [name, pattern] of formattingMarkers) {
    const found = text.match(pattern)?.length ?? 0;
    // Per line, squashed, so one long answer does not dominate; presence matters more than counts.
    vector.set(name, Math.sqrt(found / lines) + (found > 0 ? 0.5 : 0));
  }
  return vector;
}

function punctuationProfile(text: string): Vector {
  return counts(text.match(/[\p{P}\p{S}]/gu) ?? []);
}

function habitProfile(tokens: readonly string[]): Vector {
  // Most frequent tokens of the answer: function words and pet phrases, the lexical "voice".
  const all = counts(tokens);
  const top = [...all.entries()].sort((left, right) => right[1] - left[1]).slice(0, 30);
  return new Map(top.map(([token, value]) => [token, value / tokens.length]));
}

// Weighted vectors per collection and answer, so an answer compared with many others is weighted once.
const weightedByCollection = new WeakMap<DocumentFrequencies, WeakMap<Vector, Vector>>();

function tfIdf(tokenCounts: Vector, frequencies: DocumentFrequencies | undefined): Vector {
  if (frequencies === undefined) return tokenCounts;
  let cache = weightedByCollection.get(frequencies);
  if (cache === undefined) {
    cache = new WeakMap();
    weightedByCollection.set(frequencies, cache);
  }
  const cached = cache.get(tokenCounts);
  if (cached !== undefined) return cached;
  const vector: Vector = new Map();
  cache.set(tokenCounts, vector);
  for (const [token, value] of tokenCounts) {
    const containing = frequencies.counts.get(token) ?? 0;
    vector.set(token, value * (Math.log((1 + frequencies.documents) / (1 + containing)) + 1));
  }
  return vector;
}

/** Everything the comparison needs from one answer, computed once so an answer can be compared often. */
export interface AnswerFeatures {
  /** Empty or whitespace only: shares nothing with any answer, another blank one included. */
  blank: boolean;
  characters: number;
  lines: number;
  tokenCounts: Vector;
  formatting: Vector;
  punctuation: Vector;
  habits: Vector;
  opening: Vector;
  closing: Vector;
  blocks: Block[];
  blockCounts: Vector;
  headings: number;
  listItems: number;
}

/** Extracts the features of one answer. */
export function answerFeatures(text: string): AnswerFeatures {
  const tokens = tokenize(text);
  const trimmed = text.trim();
  const layout = blocks(text);
  return {
    blank: trimmed === "",
    characters: text.length,
    lines: text.split(/\n/).length,
    tokenCounts: counts(tokens),
    formatting: formattingProfile(text),
    punctuation: punctuationProfile(text),
    habits: habitProfile(tokens),
    opening: counts(characterGrams(trimmed.slice(0, 80), 3)),
    closing: counts(characterGrams(trimmed.slice(-80), 3)),
    blocks: layout,
    blockCounts: counts(layout),
    headings: layout.filter((kind) => kind === "heading").length,
    listItems: layout.filter((kind) => kind === "bullet" || kind === "numbered").length,
  };
}

const toScale = (similarity: number): number => 1 + 4 * Math.min(1, Math.max(0, similarity));

/** Compares two answers' features on the three axes (see `embeddedSimilarity`). */
export function compareAnswerFeatures(
  left: AnswerFeatures,
  right: AnswerFeatures,
  frequencies?: DocumentFrequencies,
): AxisScores {
  // Two blank answers would match on every feature (same length, no formatting, no tokens): they say
  // nothing, so the pair scores the minimum. `rse run` does not score blank answers at all.
  if (left.blank || right.blank) return { overall: 1, style: 1, logic: 1, content: 1 };
  const styleSimilarity =
    (ratioSimilarity(Math.log1p(left.characters) * 10, Math.log1p(right.characters) * 10) +
      ratioSimilarity(left.lines, right.lines) +
      cosine(left.formatting, right.formatting) +
      cosine(left.punctuation, right.punctuation) +
      cosine(left.habits, right.habits) +
      cosine(left.opening, right.opening) +
      cosine(left.closing, right.closing)) /
    7;
  const structureSimilarity =
    (cosine(left.blockCounts, right.blockCounts) +
      sequenceSimilarity(left.blocks, right.blocks) +
      ratioSimilarity(left.headings, right.headings) +
      ratioSimilarity(left.listItems, right.listItems) +
      ratioSimilarity(left.blocks.length, right.blocks.length)) /
    5;
  const contentSimilarity = cosine(
    tfIdf(left.tokenCounts, frequencies),
    tfIdf(right.tokenCounts, frequencies),
    0,
  );
  const style = toScale(styleSimilarity);
  const logic = toScale(structureSimilarity);
  const content = toScale(contentSimilarity);
  return { overall: (style + logic + content) / 3, style, logic, content };
}

/**
 * Scores how similar two answers are on the three RSE axes, 1 (unrelated) to 5 (identical).
 * Symmetric in its two answers. `frequencies` (from `documentFrequencies` over every answer being
 * compared) down-weights words all answers share; without it raw term counts are used.
 */
export function embeddedSimilarity(
  left: string,
  right: string,
  frequencies?: DocumentFrequencies,
): AxisScores {
  return compareAnswerFeatures(answerFeatures(left), answerFeatures(right), frequencies);
}
