import type { AlignedCorpus } from "../corpus/aligned-corpus.ts";

/** One prompt behind a verdict: the student's and the candidate's answers, excerpted. */
export interface LineageExample {
  student: string;
  candidate: string;
  promptId: string;
  prompt: string;
  studentResponse: string;
  candidateResponse: string;
  /** Distinctive similarity of the two answers on this prompt. */
  similarity: number;
}

const excerptLength = 600;
const substantialWords = 30;

function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word !== "").length;
}

function excerpt(text: string): string {
  return text.length <= excerptLength ? text : `${text.slice(0, excerptLength)}…`;
}

/**
 * The prompts where student and candidate overlap most (answers of at least 30 words first)
 * (largest distinctive similarity), as evidence a reader can check.
 */
export function lineageExamples(
  corpus: AlignedCorpus,
  values: Float32Array,
  student: number,
  candidate: number,
  count = 3,
): LineageExample[] {
  const models = corpus.models.length;
  const square = models * models;
  const scored: Array<{ prompt: number; value: number }> = [];
  for (let prompt = 0; prompt < corpus.prompts.length; prompt++) {
    const value = values[prompt * square + student * models + candidate]!;
    if (!Number.isNaN(value)) scored.push({ prompt, value });
  }
  scored.sort((left, right) => right.value - left.value);
  // Two one-word answers that agree ("Yes" / "Yes") are evidence a reader learns little from: show answers
  // of some length first, then the rest. Only the best-scored prompts are looked at, so the words are
  // counted for a few answers, not for every prompt of every pair.
  const isSubstantial = ({ prompt }: { prompt: number }) =>
    wordCount(corpus.answers[student]![prompt]!) >= substantialWords &&
    wordCount(corpus.answers[candidate]![prompt]!) >= substantialWords;
  const chosen: typeof scored = [];
  const rest: typeof scored = [];
  for (const entry of scored) {
    if (chosen.length >= count) break;
    if (isSubstantial(entry)) chosen.push(entry);
    else if (rest.length < count) rest.push(entry);
  }
  chosen.push(...rest.slice(0, count - chosen.length));
  return chosen.map(({ prompt, value }) => ({
    student: corpus.models[student]!,
    candidate: corpus.models[candidate]!,
    promptId: corpus.prompts[prompt]!.slice(0, 200),
    prompt: excerpt(corpus.promptTexts?.[prompt] ?? corpus.prompts[prompt]!),
    studentResponse: excerpt(corpus.answers[student]![prompt]!),
    candidateResponse: excerpt(corpus.answers[candidate]![prompt]!),
    similarity: Math.round(value * 1e4) / 1e4,
  }));
}
