/**
 * Several lineage inputs read as one corpus: AlpacaEval results folders and transcripts JSONL (folders
 * or single files), each with its format detected, their models aligned on the prompt text.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { type AlignedCorpus, alignAnswers, type CorpusAnswers } from "./aligned-corpus.ts";
import { loadAlpacaEvalCorpus, readAlpacaEvalAnswers } from "./alpacaeval.ts";
import { loadTranscriptsCorpus, readTranscriptsAnswers } from "./transcripts-corpus.ts";

export type CorpusFormat = "alpacaeval" | "jsonl";

export const corpusFormats: readonly CorpusFormat[] = ["alpacaeval", "jsonl"];

/** One input as given: a path, and its format when the user named it (else it is detected). */
export interface CorpusInput {
  path: string;
  format?: CorpusFormat;
}

/** What one input gave: its format, its models, and how many distinct prompts they answered. */
export interface CorpusInputSummary {
  path: string;
  format: CorpusFormat;
  models: string[];
  prompts: number;
}

export interface CombinedCorpus {
  corpus: AlignedCorpus;
  inputs: CorpusInputSummary[];
}

/**
 * The format an input says it has: a `.jsonl` file, or a folder of them, is `jsonl`; a folder with
 * `<model>/model_outputs.json` folders is `alpacaeval`. An InputError when it says neither.
 */
export function detectCorpusFormat(path: string): CorpusFormat {
  checkPathArgument(path, "the lineage input");
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined)
    throw new InputError(
      `${path}: not found; give an AlpacaEval results folder, a transcripts .jsonl file, or a folder of them`,
    );
  if (stats.isFile()) {
    if (path.endsWith(".jsonl")) return "jsonl";
    throw new InputError(
      `${path}: not a .jsonl transcripts file; give a transcripts .jsonl file, a folder of them, or an AlpacaEval results folder`,
    );
  }
  if (!stats.isDirectory()) throw new InputError(`${path}: not a folder nor a file`);
  const names = readdirSync(path).filter((name) => !name.startsWith("."));
  const modelFolders = names.filter((name) => existsSync(join(path, name, "model_outputs.json"))).length;
  const jsonlFiles = names.filter((name) => name.endsWith(".jsonl")).length;
  if (modelFolders > 0 && jsonlFiles > 0)
    throw new InputError(
      `${path}: holds both AlpacaEval model folders (${modelFolders}) and .jsonl files (${jsonlFiles}); name the format with --format alpacaeval or --format jsonl`,
    );
  if (modelFolders > 0) return "alpacaeval";
  if (jsonlFiles > 0) return "jsonl";
  if (existsSync(join(path, "results")))
    throw new InputError(
      `${path}: holds no model folder; it looks like the AlpacaEval repository: give its results folder, ${join(path, "results")}`,
    );
  throw new InputError(
    `${path}: holds neither AlpacaEval model folders (<model>/model_outputs.json) nor transcripts .jsonl files`,
  );
}

/** The prompt text lineage aligns inputs on: whitespace runs as one space, trimmed. */
export function promptKey(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function readAnswers(path: string, format: CorpusFormat): CorpusAnswers {
  return format === "alpacaeval" ? readAlpacaEvalAnswers(path) : readTranscriptsAnswers(path);
}

function distinctPrompts(answers: CorpusAnswers): number {
  const keys = new Set<string>();
  for (const byPrompt of answers.byModel.values()) for (const key of byPrompt.keys()) keys.add(key);
  return keys.size;
}

/**
 * One input's answers re-keyed by prompt text (`promptKey`). A transcript line without a prompt text
 * (no `messages` nor `prompt`) cannot be matched to another input's prompt: an InputError. Two prompts
 * with the same text keep the first non-empty answer, counted as a duplicate.
 */
function byPromptText(path: string, answers: CorpusAnswers, texts: Map<string, string>) {
  const byModel = new Map<string, Map<string, string>>();
  let duplicates = 0;
  for (const [model, byKey] of answers.byModel) {
    const rekeyed = new Map<string, string>();
    for (const [key, answer] of byKey) {
      const text = answers.texts.get(key);
      if (text === undefined)
        throw new InputError(
          `${path}: model "${model}", prompt "${key}" carries no prompt text ("messages" or "prompt"), so it cannot be matched with the other inputs' prompts; collect it again with this version, or give this input alone`,
        );
      const textKey = promptKey(text);
      if (!texts.has(textKey)) texts.set(textKey, text);
      const earlier = rekeyed.get(textKey);
      if (earlier !== undefined) {
        duplicates++;
        if (earlier.trim() !== "") continue;
      }
      rekeyed.set(textKey, answer);
    }
    byModel.set(model, rekeyed);
  }
  return { byModel, duplicates };
}

/**
 * Reads every input and aligns their models on the prompt text. One input is read exactly as its own
 * loader reads it (AlpacaEval by instruction, transcripts by id). Several are re-keyed by prompt text
 * (whitespace normalised), so that a lab's own transcripts line up with the public AlpacaEval outputs.
 * A model name found in two inputs is an InputError naming both.
 */
export function loadCorpusInputs(inputs: readonly CorpusInput[]): CombinedCorpus {
  const shape = 'a list of {path, format?} (format "alpacaeval" or "jsonl"; detected when absent)';
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new InputError(`loadCorpusInputs: give ${shape}, got ${JSON.stringify(inputs) ?? String(inputs)}`);
  for (const input of inputs as unknown[]) {
    const { format } = (input ?? {}) as { format?: unknown };
    if (
      input === null ||
      typeof input !== "object" ||
      (format !== undefined && !corpusFormats.includes(format as CorpusFormat))
    )
      throw new InputError(
        `loadCorpusInputs: every input must be ${shape}, got ${JSON.stringify(input) ?? String(input)}`,
      );
  }
  const formats = inputs.map((input) => input.format ?? detectCorpusFormat(input.path));
  if (inputs.length === 1) {
    const path = inputs[0]!.path;
    const format = formats[0]!;
    const corpus = format === "alpacaeval" ? loadAlpacaEvalCorpus(path) : loadTranscriptsCorpus(path);
    const models = [...corpus.models, ...(corpus.counts.emptyModels ?? [])].sort();
    const prompts = corpus.counts.prompts + corpus.counts.droppedPrompts;
    return { corpus, inputs: [{ path, format, models, prompts }] };
  }
  const byModel = new Map<string, Map<string, string>>();
  const from = new Map<string, string>();
  const texts = new Map<string, string>();
  const summaries: CorpusInputSummary[] = [];
  const notes: string[] = [];
  let duplicateAnswers = 0;
  for (const [index, input] of inputs.entries()) {
    const answers = readAnswers(input.path, formats[index]!);
    const rekeyed = byPromptText(input.path, answers, texts);
    for (const [model, byPrompt] of rekeyed.byModel) {
      const earlier = from.get(model);
      if (earlier !== undefined)
        throw new InputError(
          `model "${model}" is in both ${earlier} and ${input.path}; each model must come from one input (remove it from one, or rename it)`,
        );
      from.set(model, input.path);
      byModel.set(model, byPrompt);
    }
    duplicateAnswers += answers.duplicateAnswers + rekeyed.duplicates;
    notes.push(...answers.notes);
    summaries.push({
      path: input.path,
      format: formats[index]!,
      models: [...rekeyed.byModel.keys()].sort(),
      prompts: distinctPrompts({ ...answers, byModel: rekeyed.byModel }),
    });
  }
  const source = inputs.map((input) => input.path).join(" + ");
  const corpus = alignAnswers(source, byModel, { duplicateAnswers, notes });
  return {
    corpus: { ...corpus, promptTexts: corpus.prompts.map((key) => texts.get(key) ?? key) },
    inputs: summaries,
  };
}
