/**
 * Copies: models that give the same substantial answer text (at least `substantialLength` characters after
 * trimming and collapsing whitespace) on more than half of the prompts where either of them gave a
 * substantial answer. No two independently trained models do that; one model submitted under two names
 * does. Short answers ("4", "Yes") are left out because independent models give them alike by chance, and
 * the denominator is the larger model's count, so a model that answered almost nothing cannot become a
 * copy through a few matches. The between-model test counts a group of copies once, because n copies of
 * one model in the reference are one observation of how close models come to a candidate, not n (with
 * enough copies the reference's spread would collapse to zero and any difference would look significant).
 */
/** Answers shorter than this (characters, whitespace collapsed) are never evidence of copying. */
export const substantialLength = 40;

export interface CopyGroups {
  /** For each model, the index of the first model of its copy group (itself when it has no copy). */
  representative: Int32Array;
  /** The groups with more than one model, as model indices in corpus order. */
  groups: number[][];
}

/** True for the characters `\s` matches in the common cases (ASCII whitespace, NBSP, line separators). */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 160 || code === 0x2028 || code === 0x2029;
}

/**
 * A fingerprint of an answer's text with whitespace runs collapsed and the ends trimmed: a 53-bit number
 * from two 32-bit hashes (0 for an empty answer; 52 bits kept), and the collapsed length. One pass over the characters,
 * no copy of the text: the corpus may hold hundreds of megabytes of answers. Two different texts share a
 * fingerprint with odds of about 1 in 2^52, and one such accident changes one prompt's count, not a group.
 */
function fingerprint(text: string): { key: number; length: number } {
  let first = 0x811c9dc5;
  let second = 0x9747b28c;
  let length = 0;
  let pendingSpace = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isSpace(code)) {
      pendingSpace = length > 0;
      continue;
    }
    if (pendingSpace) {
      first = Math.imul(first ^ 32, 0x01000193);
      second = Math.imul(second ^ 32, 0x5bd1e995);
      length++;
      pendingSpace = false;
    }
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
    second ^= second >>> 15;
    length++;
  }
  if (length === 0) return { key: 0, length: 0 };
  return { key: (first >>> 0) * 1048576 + ((second >>> 0) & 0xfffff) + 1, length };
}

/** Fingerprints of every answer, [model][prompt]: keys (0 = empty) and collapsed lengths. */
function fingerprints(answers: readonly (readonly string[])[]): {
  keys: Float64Array[];
  lengths: Int32Array[];
} {
  const keys: Float64Array[] = [];
  const lengths: Int32Array[] = [];
  for (const row of answers) {
    const modelKeys = new Float64Array(row.length);
    const modelLengths = new Int32Array(row.length);
    row.forEach((text, prompt) => {
      const { key, length } = fingerprint(text);
      modelKeys[prompt] = key;
      modelLengths[prompt] = length;
    });
    keys.push(modelKeys);
    lengths.push(modelLengths);
  }
  return { keys, lengths };
}

export function copyGroups(answers: readonly (readonly string[])[]): CopyGroups {
  const models = answers.length;
  const prompts = answers[0]?.length ?? 0;
  // Per answer a fingerprint, 0 unless the answer is substantial, so that pairs compare numbers.
  const { keys, lengths } = fingerprints(answers);
  const codes = keys.map((row, model) =>
    row.map((key, prompt) => (lengths[model]![prompt]! >= substantialLength ? key : 0)),
  );
  const substantial = Int32Array.from(codes, (row) =>
    row.reduce((count, key) => count + (key !== 0 ? 1 : 0), 0),
  );
  const parent = Int32Array.from({ length: models }, (_, index) => index);
  const root = (node: number): number => {
    let current = node;
    while (parent[current] !== current) current = parent[current]!;
    return current;
  };
  for (let left = 0; left < models; left++)
    for (let right = left + 1; right < models; right++) {
      const leftCodes = codes[left]!;
      const rightCodes = codes[right]!;
      let same = 0;
      for (let prompt = 0; prompt < prompts; prompt++) {
        const code = leftCodes[prompt]!;
        if (code !== 0 && code === rightCodes[prompt]) same++;
      }
      const larger = Math.max(substantial[left]!, substantial[right]!);
      if (larger > 0 && same * 2 > larger) {
        const [first, second] = [root(left), root(right)].sort((a, b) => a - b);
        parent[second!] = first!;
      }
    }
  const representative = Int32Array.from({ length: models }, (_, index) => root(index));
  const members = new Map<number, number[]>();
  for (let model = 0; model < models; model++)
    members.set(representative[model]!, [...(members.get(representative[model]!) ?? []), model]);
  return { representative, groups: [...members.values()].filter((group) => group.length > 1) };
}

/** No copies: every model is its own group. */
export function noCopies(models: number): CopyGroups {
  return { representative: Int32Array.from({ length: models }, (_, index) => index), groups: [] };
}

/** Per-prompt similarities laid out [prompt][left][right], as the similarity modules return them. */
export interface PromptSimilarities {
  models: number;
  prompts: number;
  values: Float32Array;
}

/**
 * Similarities of every model, computed over one model per copy group so that a copy does not count twice
 * in the per-prompt weights (a model submitted twice must change nothing). A copy takes its group's values
 * on the prompts where its answer is its representative's answer; elsewhere it is unmeasured (NaN), so a
 * copy is never credited with answers it did not give. Two models of one group are 1 where their texts
 * are the same, otherwise unmeasured.
 */
export function similarityOverDistinctModels(
  answers: readonly (readonly string[])[],
  copies: CopyGroups,
  similarityOf: (distinctAnswers: readonly (readonly string[])[]) => PromptSimilarities,
): PromptSimilarities {
  if (copies.groups.length === 0) return similarityOf(answers);
  const distinct = distinctModels(copies);
  return expandOverCopies(answers, copies, distinct, similarityOf(distinct.map((model) => answers[model]!)));
}

/** `similarityOverDistinctModels` for a similarity computed asynchronously (in worker threads). */
export async function similarityOverDistinctModelsAsync(
  answers: readonly (readonly string[])[],
  copies: CopyGroups,
  similarityOf: (distinctAnswers: readonly (readonly string[])[]) => Promise<PromptSimilarities>,
): Promise<PromptSimilarities> {
  if (copies.groups.length === 0) return similarityOf(answers);
  const distinct = distinctModels(copies);
  const inner = await similarityOf(distinct.map((model) => answers[model]!));
  return expandOverCopies(answers, copies, distinct, inner);
}

/** One model per copy group (its representative), in model order. */
function distinctModels(copies: CopyGroups): number[] {
  return Array.from(copies.representative.keys()).filter((index) => copies.representative[index] === index);
}

/** Spreads the similarities of the distinct models to every model, as described above. */
function expandOverCopies(
  answers: readonly (readonly string[])[],
  copies: CopyGroups,
  distinct: readonly number[],
  inner: PromptSimilarities,
): PromptSimilarities {
  const models = answers.length;
  const prompts = answers[0]?.length ?? 0;
  const position = new Int32Array(models);
  distinct.forEach((model, index) => {
    position[model] = index;
  });
  const size = distinct.length;
  const values = new Float32Array(prompts * models * models).fill(Number.NaN);
  const { keys } = fingerprints(answers);
  for (let prompt = 0; prompt < prompts; prompt++) {
    const innerBase = prompt * size * size;
    const base = prompt * models * models;
    // A model stands for its group on this prompt when it is the representative or gave its answer.
    const standsForGroup = Array.from({ length: models }, (_, model) => {
      const group = copies.representative[model]!;
      const key = keys[model]![prompt]!;
      return group === model || (key !== 0 && key === keys[group]![prompt]!);
    });
    for (let left = 0; left < models; left++) {
      const leftGroup = copies.representative[left]!;
      for (let right = 0; right < models; right++) {
        const rightGroup = copies.representative[right]!;
        let value = Number.NaN;
        if (left !== right && leftGroup === rightGroup) {
          const key = keys[left]![prompt]!;
          if (key !== 0 && key === keys[right]![prompt]!) value = 1;
        } else if (standsForGroup[left] && standsForGroup[right])
          value = inner.values[innerBase + position[leftGroup]! * size + position[rightGroup]!]!;
        values[base + left * models + right] = value;
      }
    }
  }
  return { models, prompts, values };
}
