import { InputError } from "../errors.ts";
import { checkListOption, checkOptionsObject, checkTextArgument } from "../options/library-options.ts";
import { checkWholeNumberOption } from "../options/option-name.ts";

/** Many models' answers to the same prompts, aligned: answers[modelIndex][promptIndex] ("" = missing). */
export interface AlignedCorpus {
  models: string[];
  prompts: string[];
  /** The prompt text of each aligned prompt, when the format carries it (alpacaeval keys are the text). */
  promptTexts?: string[];
  answers: string[][];
  counts: {
    models: number;
    prompts: number;
    droppedPrompts: number;
    missingAnswers: number;
    /** Answers given twice for the same model and prompt (identical, or one of them empty), kept once. */
    duplicateAnswers: number;
    /** What the loader noticed and the user should know: models with few shared prompts, files that gave nothing. */
    notes?: string[];
    /** Models left out because every answer they gave is empty (named in `notes` too). */
    emptyModels?: string[];
  };
}

/** One input's answers before alignment: model -> prompt key -> answer, and each key's prompt text. */
export interface CorpusAnswers {
  byModel: Map<string, Map<string, string>>;
  /** The prompt text of each key, as the input first wrote it. */
  texts: Map<string, string>;
  duplicateAnswers: number;
  notes: string[];
}

/** What a loader found beside the answers, passed through to the corpus counts. */
export interface AlignmentExtras {
  duplicateAnswers?: number;
  notes?: string[];
}

/** Models whose prompts hardly overlap the rest's: removing them leaves at least twice as many shared prompts. */
export interface PromptMismatch {
  /** The odd models, each with its prompt count and how many of them the rest share. */
  odd: Array<{ model: string; prompts: number; sharedWithRest: number }>;
  /** How many models remain, and how many prompts they share. */
  rest: number;
  restShared: number;
}

/**
 * Finds the models that keep the others from sharing prompts: greedily drops the model whose removal
 * adds the most shared prompts, while that at least doubles the shared count (from 0: any gain) and the
 * dropped models stay fewer than half. Undefined when no such model stands out (say, two disjoint models).
 */
export function findPromptMismatch(byModel: Map<string, Map<string, string>>): PromptMismatch | undefined {
  if (byModel.size <= 2) return undefined; // two models: neither is the odd one
  const remaining = [...byModel.keys()].sort();
  const odd: string[] = [];
  let shared = 0;
  for (;;) {
    const frequency = new Map<string, number>();
    for (const model of remaining)
      for (const key of byModel.get(model)!.keys()) frequency.set(key, (frequency.get(key) ?? 0) + 1);
    const gains = new Map<string, number>();
    shared = 0;
    for (const [key, count] of frequency) {
      if (count === remaining.length) shared++;
      else if (count === remaining.length - 1) {
        const lacking = remaining.find((model) => !byModel.get(model)!.has(key))!;
        gains.set(lacking, (gains.get(lacking) ?? 0) + 1);
      }
    }
    if (remaining.length <= 2 || (odd.length + 1) * 2 >= byModel.size) break;
    let best: string | undefined;
    for (const model of remaining)
      if ((gains.get(model) ?? 0) > (best === undefined ? 0 : (gains.get(best) ?? 0))) best = model;
    if (best === undefined) break;
    const after = shared + gains.get(best)!;
    if (after < 2 * shared) break;
    odd.push(best);
    remaining.splice(remaining.indexOf(best), 1);
  }
  if (odd.length === 0) return undefined;
  const restKeys = [...byModel.get(remaining[0]!)!.keys()].filter((key) =>
    remaining.every((model) => byModel.get(model)!.has(key)),
  );
  return {
    odd: odd.map((model) => {
      const answers = byModel.get(model)!;
      return {
        model,
        prompts: answers.size,
        sharedWithRest: restKeys.filter((key) => answers.has(key)).length,
      };
    }),
    rest: remaining.length,
    restShared: shared,
  };
}

function describeMismatch(mismatch: PromptMismatch): string {
  const each = mismatch.odd.map(
    (entry) => `${entry.model} shares ${entry.sharedWithRest} of its ${entry.prompts} prompts`,
  );
  return `${each.join(", ")} with the other ${mismatch.rest} models (${mismatch.restShared} shared among them)`;
}

function listPromptCounts(byModel: Map<string, Map<string, string>>, models: string[]): string {
  const shown = models.slice(0, 6).map((model) => `${model}: ${byModel.get(model)!.size}`);
  if (models.length > shown.length) shown.push(`and ${models.length - shown.length} more`);
  return shown.join(", ");
}

/**
 * A library caller's input checked before it is read: a plain object where a Map is expected, or an
 * answer that is not a string, is an InputError naming the model and prompt, not a TypeError.
 */
function checkAnswerMaps(source: string, byModel: unknown): void {
  const shape = "a Map of model name -> Map of prompt -> answer text";
  if (!(byModel instanceof Map)) throw new InputError(`${source}: the answers must be ${shape}`);
  for (const [model, answers] of byModel) {
    if (typeof model !== "string") throw new InputError(`${source}: model names must be strings (${shape})`);
    if (!(answers instanceof Map))
      throw new InputError(`${source}: the answers of model "${model}" must be ${shape}`);
    for (const [prompt, answer] of answers)
      if (typeof prompt !== "string" || typeof answer !== "string")
        throw new InputError(
          `${source}: model "${model}", prompt ${JSON.stringify(prompt)}: the prompt and its answer must be strings (an empty answer is "")`,
        );
  }
}

/**
 * Aligns per-model answer maps (prompt key -> answer) on the prompts every model has.
 * Throws InputError when fewer than two models are given or the prompt sets do not overlap; the error
 * names the model(s) whose prompts do not match the others'. When the overlap is kept small by a few
 * models, `counts.notes` says which. A model whose every answer is empty is left out (`counts.emptyModels`
 * and a note), and a model with most of its aligned answers empty is named in a note.
 */
export function alignAnswers(
  source: string,
  byModel: Map<string, Map<string, string>>,
  extras: AlignmentExtras = {},
): AlignedCorpus {
  checkTextArgument(source, "alignAnswers: source", '"memory" (how errors name the corpus)');
  checkAnswerMaps(source, byModel);
  checkOptionsObject(extras, "alignAnswers", "duplicateAnswers?, notes?");
  checkListOption(extras.notes, "alignAnswers: notes", '["a note"]');
  if (extras.duplicateAnswers !== undefined)
    checkWholeNumberOption(extras.duplicateAnswers, "alignAnswers: duplicateAnswers", 0);
  const { answering, emptyModels, emptyNotes } = withoutEmptyModels(byModel);
  const models = [...answering.keys()].sort();
  if (models.length < 2)
    throw new InputError(
      `${source}: found ${models.length} model(s)${emptyModels.length > 0 ? " with an answer" : ""}; lineage needs at least two models' answers${emptyNotes.length > 0 ? ` (${emptyNotes.join("; ")})` : ""}`,
    );
  return alignAnswering(source, answering, models, extras, emptyModels, emptyNotes);
}

/**
 * Models whose every answer is empty (a run that failed) measure nothing: they would sit in every
 * student's reference with no similarity at all, and print as "closest x z=0.00". They are left out,
 * named in a note.
 */
function withoutEmptyModels(byModel: Map<string, Map<string, string>>) {
  const answering = new Map<string, Map<string, string>>();
  const emptyModels: string[] = [];
  const emptyNotes: string[] = [];
  for (const [model, answers] of byModel) {
    const empty = answers.size > 0 && [...answers.values()].every((answer) => answer.trim() === "");
    if (!empty) {
      answering.set(model, answers);
      continue;
    }
    emptyModels.push(model);
    emptyNotes.push(`${model} left out: all ${answers.size} of its answers are empty`);
  }
  return { answering, emptyModels: emptyModels.sort(), emptyNotes: emptyNotes.sort() };
}

/** A note for each model with most of its aligned answers empty: its comparisons rest on few prompts. */
function mostlyEmptyNotes(models: string[], answers: string[][], prompts: number): string[] {
  return models.flatMap((model, index) => {
    const empty = answers[index]!.filter((answer) => answer.trim() === "").length;
    return empty * 2 > prompts
      ? [
          `${model} has ${empty} empty answers of ${prompts}, so its comparisons rest on ${prompts - empty} prompts`,
        ]
      : [];
  });
}

function alignAnswering(
  source: string,
  byModel: Map<string, Map<string, string>>,
  models: string[],
  extras: AlignmentExtras,
  emptyModels: string[],
  emptyNotes: string[],
): AlignedCorpus {
  const allKeys = new Set<string>();
  for (const answers of byModel.values()) for (const key of answers.keys()) allKeys.add(key);
  const prompts = [...allKeys].filter((key) => models.every((model) => byModel.get(model)!.has(key)));
  const mismatch = prompts.length * 2 < allKeys.size ? findPromptMismatch(byModel) : undefined;
  if (prompts.length === 0) {
    if (mismatch !== undefined) {
      const one = mismatch.odd.length === 1;
      throw new InputError(
        `${source}: ${describeMismatch(mismatch)}; remove ${one ? "it" : "them"} or fix ${one ? "its" : "their"} prompts`,
      );
    }
    throw new InputError(
      `${source}: the models share no prompt (prompts per model: ${listPromptCounts(byModel, models)}); give answers to the same prompts`,
    );
  }
  const notes = [...(extras.notes ?? []), ...emptyNotes];
  if (mismatch !== undefined)
    notes.push(`${describeMismatch(mismatch)}; ${prompts.length} prompts are shared by all`);
  let missingAnswers = 0;
  const answers = models.map((model) =>
    prompts.map((key) => {
      const text = byModel.get(model)!.get(key) ?? "";
      if (text.trim() === "") missingAnswers++;
      return text;
    }),
  );
  notes.push(...mostlyEmptyNotes(models, answers, prompts.length));
  return {
    models,
    prompts,
    answers,
    counts: {
      models: models.length,
      prompts: prompts.length,
      droppedPrompts: allKeys.size - prompts.length,
      missingAnswers,
      duplicateAnswers: extras.duplicateAnswers ?? 0,
      ...(notes.length > 0 ? { notes } : {}),
      ...(emptyModels.length > 0 ? { emptyModels } : {}),
    },
  };
}
