/**
 * Signature phrases: the word n-grams a candidate model uses habitually (in a noticeable share of its
 * answers) and the other candidates rarely, with how often every model in the corpus uses them. A
 * diagnostic beside the lineage statistic: it shows, in plain words, what a student shares with a teacher
 * (for example GPT-3.5's "as an ai language model"), and when a model documented as trained on human data
 * uses a teacher's phrases as often as the teacher's documented students, why lexical evidence cannot
 * tell the two apart. Phrases that occur in the prompt are not counted (echoing the question is no habit).
 */
import { tokenize } from "./tokenize.ts";

export interface SignaturePhrase {
  phrase: string;
  /** Share of the candidate's answers that use the phrase. */
  rate: number;
  /** The largest share among the other candidates. */
  otherCandidatesRate: number;
}

export interface CandidateSignature {
  candidate: string;
  phrases: SignaturePhrase[];
  /** Every model's mean share of answers using each signature phrase, highest first. */
  usage: Array<{ model: string; rate: number }>;
}

export interface SignatureOptions {
  /** Phrase lengths in words (default 3 and 4). */
  lengths?: readonly number[];
  /** A phrase is a habit of the candidate when at least this share of its answers use it (default 0.015). */
  minimumRate?: number;
  /** Phrases kept per candidate (default 10). */
  count?: number;
}

/** Distinct phrases of one text (the n-grams of the given lengths), without those in `excluded`. */
function phrasesOf(text: string, lengths: readonly number[], excluded: ReadonlySet<string>): Set<string> {
  const words = tokenize(text);
  const found = new Set<string>();
  for (const length of lengths)
    for (let start = 0; start + length <= words.length; start++) {
      const phrase = words.slice(start, start + length).join(" ");
      if (!excluded.has(phrase)) found.add(phrase);
    }
  return found;
}

/**
 * For each candidate, its signature phrases and every model's use of them.
 * `answers[model][prompt]`; empty answers count as answers without any phrase.
 */
export function signaturePhrases(
  models: readonly string[],
  answers: readonly (readonly string[])[],
  candidates: readonly string[],
  promptTexts?: readonly (string | undefined)[],
  options: SignatureOptions = {},
): CandidateSignature[] {
  const lengths = options.lengths ?? [3, 4];
  const minimumRate = options.minimumRate ?? 0.015;
  const count = options.count ?? 10;
  const prompts = answers[0]?.length ?? 0;
  if (prompts === 0) return [];
  const promptPhrases = Array.from({ length: prompts }, (_, prompt) => {
    const text = promptTexts?.[prompt];
    return text ? phrasesOf(text, lengths, new Set()) : new Set<string>();
  });
  // answers using each phrase, per model
  const documentCounts = answers.map((row) => {
    const counts = new Map<string, number>();
    row.forEach((text, prompt) => {
      for (const phrase of phrasesOf(text, lengths, promptPhrases[prompt]!))
        counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
    });
    return counts;
  });
  const rateOf = (model: number, phrase: string) => (documentCounts[model]!.get(phrase) ?? 0) / prompts;
  const candidateIndices = candidates
    .map((candidate) => models.indexOf(candidate))
    .filter((index) => index >= 0);
  return candidateIndices.map((candidateIndex) => {
    const others = candidateIndices.filter((index) => index !== candidateIndex);
    const scored: Array<SignaturePhrase & { score: number }> = [];
    for (const [phrase, used] of documentCounts[candidateIndex]!) {
      const rate = used / prompts;
      if (rate < minimumRate) continue;
      const otherCandidatesRate = Math.max(0, ...others.map((index) => rateOf(index, phrase)));
      // Smoothed by half the minimum rate so that a phrase no other candidate uses does not win by 0.
      scored.push({
        phrase,
        rate,
        otherCandidatesRate,
        score: rate / (otherCandidatesRate + minimumRate / 2),
      });
    }
    scored.sort((left, right) => right.score - left.score || left.phrase.localeCompare(right.phrase));
    const phrases = scored.slice(0, count).map(({ phrase, rate, otherCandidatesRate }) => ({
      phrase,
      rate,
      otherCandidatesRate,
    }));
    const usage = models
      .map((model, index) => ({
        model,
        rate:
          phrases.length === 0
            ? 0
            : phrases.reduce((total, entry) => total + rateOf(index, entry.phrase), 0) / phrases.length,
      }))
      .sort((left, right) => right.rate - left.rate || left.model.localeCompare(right.model));
    return { candidate: models[candidateIndex]!, phrases, usage };
  });
}
