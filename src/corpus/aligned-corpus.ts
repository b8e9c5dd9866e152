import { InputError } from "../errors.ts";

/** Many models' answers to the same prompts, aligned: answers[modelIndex][promptIndex] ("" = missing). */
export interface AlignedCorpus {
  models: string[];
  prompts: string[];
  /** The prompt text of each aligned prompt, when the format carries it (alpacaeval keys are the text). */
  promptTexts?: string[];
  answers: string[][];
  counts: { models: number; prompts: number; droppedPrompts: number; missingAnswers: number };
}

/**
 * Aligns per-model answer maps (prompt key -> answer) on the prompts every model has.
 * Throws InputError when fewer than two models are given or the prompt sets do not overlap.
 */
export function alignAnswers(source: string, byModel: Map<string, Map<string, string>>): AlignedCorpus {
  const models = [...byModel.keys()].sort();
  if (models.length < 2)
    throw new InputError(
      `${source}: found ${models.length} model(s); lineage needs at least two models' answers`,
    );
  const allKeys = new Set<string>();
  for (const answers of byModel.values()) for (const key of answers.keys()) allKeys.add(key);
  const prompts = [...allKeys].filter((key) => models.every((model) => byModel.get(model)!.has(key)));
  if (prompts.length === 0)
    throw new InputError(`${source}: the models share no prompt; give answers to the same prompts`);
  let missingAnswers = 0;
  const answers = models.map((model) =>
    prompts.map((key) => {
      const text = byModel.get(model)!.get(key) ?? "";
      if (text.trim() === "") missingAnswers++;
      return text;
    }),
  );
  return {
    models,
    prompts,
    answers,
    counts: {
      models: models.length,
      prompts: prompts.length,
      droppedPrompts: allKeys.size - prompts.length,
      missingAnswers,
    },
  };
}
