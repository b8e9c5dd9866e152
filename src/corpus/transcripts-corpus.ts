import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { type AlignedCorpus, alignAnswers, type CorpusAnswers } from "./aligned-corpus.ts";
import { readLinesSync } from "./read-lines-sync.ts";

/** A transcript line's fields the corpus uses; undefined for a blank line. */
function parseLine(file: string, lineNumber: number, line: string) {
  if (line.trim() === "") return undefined;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InputError(`${file}:${lineNumber}: malformed JSON (${detail.slice(0, 120)})`);
  }
  if (record === null || typeof record !== "object" || Array.isArray(record))
    throw new InputError(`${file}:${lineNumber}: expected a JSON object on each line`);
  const { id, sample, model, response, messages, prompt } = record as Record<string, unknown>;
  if (typeof model !== "string" || typeof id !== "string")
    throw new InputError(`${file}:${lineNumber}: needs string fields "id" and "model"`);
  // A sample written as "0" would otherwise pass for a later sample, and the file for one without answers.
  if (sample !== undefined && sample !== null && !(Number.isInteger(sample) && (sample as number) >= 0))
    throw new InputError(
      `${file}:${lineNumber}: "sample" must be a whole number >= 0 (0 or absent for the first sample), got ${JSON.stringify(sample)}`,
    );
  return {
    id,
    model,
    firstSample: (sample ?? 0) === 0,
    answer: typeof response === "string" ? response : "",
    promptText: promptTextOf(messages, prompt),
  };
}

/**
 * The text a line's answer responds to: its messages' contents other than the assistant's (every user
 * and system turn of a conversation, the question included), else a `prompt` string; undefined when the
 * line carries neither. Lineage leaves the prompt's own words out of the similarity, as it does for
 * AlpacaEval's instructions, so the same answers attribute the same way in either format. Assistant
 * turns are left out: in a multi-turn conversation replayed to each model (as `rse run` does, with each
 * model's own earlier answers) they differ from model to model, though every model was asked the same.
 */
function promptTextOf(messages: unknown, prompt: unknown): string | undefined {
  if (Array.isArray(messages)) {
    const contents = messages
      .map((message) =>
        message !== null &&
        typeof message === "object" &&
        (message as { role?: unknown }).role !== "assistant"
          ? (message as { content?: unknown }).content
          : undefined,
      )
      .filter((content): content is string => typeof content === "string");
    if (contents.length > 0) return contents.join("\n");
  }
  return typeof prompt === "string" ? prompt : undefined;
}

/** Where (model, id) was first answered in `files`, for the duplicate error; read again only then. */
function firstAnswerAt(files: string[], model: string, id: string): string {
  for (const file of files)
    for (const [lineNumber, line] of readLinesSync(file)) {
      const parsed = parseLine(file, lineNumber, line);
      if (parsed?.firstSample && parsed.model === model && parsed.id === id) return `${file}:${lineNumber}`;
    }
  return "an earlier line";
}

/** Why a file gave no first-sample answer, for the note and the error. */
function emptyReason(lines: number, laterSamples: number): string {
  if (lines === 0) return "empty";
  return laterSamples === lines ? `${lines} lines, all with sample above 0` : "no answer";
}

/**
 * The `.jsonl` files of `directory` the loader reads, sorted (the file itself when it is one `.jsonl`
 * file); empty when the folder cannot be listed.
 */
export function transcriptsCorpusFiles(directory: string): string[] {
  if (directory.endsWith(".jsonl") && statSync(directory, { throwIfNoEntry: false })?.isFile())
    return [directory];
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .map((name) => join(directory, name));
}

/** Why a folder holds no .jsonl file: it looks like an AlpacaEval results folder, or holds nothing usable. */
function noFileHint(directory: string): string {
  const modelFolders = readdirSync(directory).filter((name) =>
    existsSync(join(directory, name, "model_outputs.json")),
  ).length;
  return modelFolders > 0
    ? `; it holds ${modelFolders} AlpacaEval model folder(s) (<model>/model_outputs.json): read it with --format alpacaeval (loadAlpacaEvalCorpus)`
    : "; give a folder of transcripts .jsonl files (lines {id, sample, model, response}), such as collect writes";
}

/** Prompt ids whose text differs between models' lines, and the first such id with the two models. */
interface Clashes {
  ids: Set<string>;
  first?: { id: string; models: [string, string] };
}

/**
 * Answers are aligned by id, so two prompt files that reuse ids ("1", "2", ...) for different questions
 * would compare answers to different questions: said in a note, naming the first such id.
 */
function clashNote(ids: number, first: { id: string; models: [string, string] }): string {
  return `${ids} prompt id(s) come with a different prompt text from different models (first: "${first.id}", ${first.models[0]} and ${first.models[1]}); answers are aligned by id, so check that every model answered the same prompts file`;
}

/**
 * Loads a folder of transcripts JSONL files, or one such file (`{id, sample, model, response}` per line, and the `messages`
 * or `prompt` answered, kept as `promptTexts` when present), grouped by model,
 * aligned by id, first sample (`sample` 0 or absent) only. Each file is read line by line (never whole);
 * only the kept answers stay in memory. A file that gives no first-sample answer is named in
 * `counts.notes` (an InputError when no file gives any). The same model and id answered twice is counted
 * in `duplicateAnswers` when the answers agree (or one is empty; the non-empty one is kept) and refused
 * with both places when they differ: lineage needs one answer per model and prompt.
 */
export function loadTranscriptsCorpus(directory: string): AlignedCorpus {
  const { byModel, texts, duplicateAnswers, notes } = readTranscriptsAnswers(directory);
  if (byModel.size < 2 && notes.length > 0)
    throw new InputError(
      `${directory}: found 1 model; lineage needs at least two models' answers (${notes.join("; ")})`,
    );
  const corpus = alignAnswers(directory, byModel, { duplicateAnswers, notes });
  return texts.size === 0
    ? corpus
    : { ...corpus, promptTexts: corpus.prompts.map((id) => texts.get(id) ?? "") };
}

/**
 * The answers of a transcripts folder (or of one `.jsonl` file), keyed by prompt id, before alignment
 * (the checks and errors of `loadTranscriptsCorpus`); one model is fine here.
 */
export function readTranscriptsAnswers(directory: string): CorpusAnswers {
  checkPathArgument(directory, "the transcripts folder");
  const stats = statSync(directory, { throwIfNoEntry: false });
  const isFile = stats?.isFile() === true && directory.endsWith(".jsonl");
  if (!stats?.isDirectory() && !isFile)
    throw new InputError(
      `${directory}: not a folder; give a folder of transcripts .jsonl files, or one .jsonl file`,
    );
  const files = isFile ? [directory] : transcriptsCorpusFiles(directory);
  if (files.length === 0) throw new InputError(`${directory}: no .jsonl files found${noFileHint(directory)}`);
  const byModel = new Map<string, Map<string, string>>();
  /** The first prompt text seen for each id. */
  const texts = new Map<string, string>();
  /** The model whose line gave each id's text, and the ids whose text another model's line contradicts. */
  const textModels = new Map<string, string>();
  const clashes: Clashes = { ids: new Set() };
  const unused: string[] = [];
  let duplicateAnswers = 0;
  for (const [fileIndex, file] of files.entries()) {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats === undefined)
      throw new InputError(`${file}: cannot read (a broken link?); remove it or fix it`);
    if (!stats.isFile()) throw new InputError(`${file}: not a file; give .jsonl transcript files`);
    let lines = 0;
    let laterSamples = 0;
    for (const [lineNumber, line] of readLinesSync(file)) {
      const parsed = parseLine(file, lineNumber, line);
      if (parsed === undefined) continue;
      lines++;
      if (!parsed.firstSample) {
        laterSamples++; // first sample only, so every model contributes one answer per prompt
        continue;
      }
      if (parsed.promptText !== undefined) {
        const known = texts.get(parsed.id);
        if (known === undefined) {
          texts.set(parsed.id, parsed.promptText);
          textModels.set(parsed.id, parsed.model);
        } else if (known !== parsed.promptText && textModels.get(parsed.id) !== parsed.model) {
          clashes.ids.add(parsed.id);
          clashes.first ??= { id: parsed.id, models: [textModels.get(parsed.id)!, parsed.model] };
        }
      }
      const answers = byModel.get(parsed.model) ?? new Map<string, string>();
      byModel.set(parsed.model, answers);
      const earlier = answers.get(parsed.id);
      if (earlier !== undefined) {
        if (earlier !== parsed.answer && earlier.trim() !== "" && parsed.answer.trim() !== "") {
          const first = firstAnswerAt(files.slice(0, fileIndex + 1), parsed.model, parsed.id);
          throw new InputError(
            `${file}:${lineNumber}: model "${parsed.model}" answered prompt "${parsed.id}" differently at ${first}; keep one of the two`,
          );
        }
        duplicateAnswers++;
        if (earlier.trim() !== "") continue;
      }
      answers.set(parsed.id, parsed.answer);
    }
    if (lines === laterSamples) unused.push(`${file} (${emptyReason(lines, laterSamples)})`);
  }
  if (byModel.size === 0)
    throw new InputError(
      `${directory}: no file holds a first-sample answer (sample 0): ${unused.join(", ")}; give transcript lines {id, sample, model, response}`,
    );
  const notes = unused.map((entry) => `no first-sample answer, so no model from ${entry}`);
  if (clashes.first !== undefined) notes.push(clashNote(clashes.ids.size, clashes.first));
  return { byModel, texts, duplicateAnswers, notes };
}
