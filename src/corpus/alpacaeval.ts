import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { type AlignedCorpus, alignAnswers, type CorpusAnswers } from "./aligned-corpus.ts";
import { decodeUtf8 } from "./utf8.ts";

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error))
      .replace(/\s+/g, " ")
      .slice(0, 160);
    throw new InputError(`${file}: malformed JSON (${detail}); fix or re-download the file`);
  }
}

const errorCode = (error: unknown): string => (error as { code?: string }).code ?? "unreadable";

/** A model's `model_outputs.json` parsed: strict UTF-8, a leading BOM dropped; bad input is an InputError. */
function readModelOutputs(directory: string, file: string): unknown {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (stats === undefined) {
    // Given the repository's folder (or any parent) instead of its results/ folder: say which to give.
    const results = join(directory, "results");
    const hint =
      existsSync(results) && statSync(results).isDirectory()
        ? `; ${directory} looks like the repository: give its results folder, ${results}`
        : `; remove ${dirname(file)} if it is not a model's folder`;
    throw new InputError(`${file}: missing; every model folder needs a model_outputs.json${hint}`);
  }
  if (!stats.isFile())
    throw new InputError(`${file}: not a file; it must be the model's JSON list of outputs`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`${file}: cannot read the file (${errorCode(error)}); check its permissions`);
  }
  return parseJson(file, decodeUtf8(bytes, file).replace(/^\uFEFF/, ""));
}

/**
 * The `model_outputs.json` path of every model folder in `directory` (hidden folders skipped), as the
 * loader reads them; empty when the folder cannot be listed (the loader then says why). The CLI refuses
 * an --out that is one of them.
 */
export function alpacaEvalOutputFiles(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory).sort();
  } catch {
    return [];
  }
  return names
    .filter(
      (name) =>
        !name.startsWith(".") && statSync(join(directory, name), { throwIfNoEntry: false })?.isDirectory(),
    )
    .map((name) => join(directory, name, "model_outputs.json"));
}

/** Why a folder holds no model: it looks like a transcripts folder, or it is just not a results folder. */
function noModelHint(directory: string): string {
  const jsonl = readdirSync(directory).filter((name) => name.endsWith(".jsonl")).length;
  return jsonl > 0
    ? `it holds ${jsonl} .jsonl file(s): read it with --format jsonl (loadTranscriptsCorpus)`
    : "give an AlpacaEval results/ folder, with one <model>/model_outputs.json per model";
}

/** The instruction excerpt quoted in an error: one line, at most 60 characters. */
const excerpt = (text: string): string => JSON.stringify(text.replace(/\s+/g, " ").slice(0, 60));

/**
 * Loads an AlpacaEval results folder (`<dir>/<model>/model_outputs.json`) aligned by instruction text,
 * trimmed of leading and trailing whitespace (so "Say hi " and "Say hi" are one prompt); `promptTexts`
 * keep the text as the first model (by name) wrote it. Hidden folders (".ipynb_checkpoints") are skipped.
 * An instruction listed twice in one file is counted in `duplicateAnswers` when both outputs agree (or
 * one is empty), and refused when they differ: lineage needs one answer per model and prompt.
 */
export function loadAlpacaEvalCorpus(directory: string): AlignedCorpus {
  const { byModel, texts, duplicateAnswers } = readAlpacaEvalAnswers(directory);
  const corpus = alignAnswers(directory, byModel, { duplicateAnswers });
  return { ...corpus, promptTexts: corpus.prompts.map((key) => texts.get(key) ?? key) };
}

/**
 * The answers of an AlpacaEval results folder, keyed by trimmed instruction, before alignment (the
 * checks and errors of `loadAlpacaEvalCorpus`); a folder with one model is fine here.
 */
export function readAlpacaEvalAnswers(directory: string): CorpusAnswers {
  checkPathArgument(directory, "the AlpacaEval results folder");
  if (!existsSync(directory) || !statSync(directory).isDirectory())
    throw new InputError(`${directory}: not a folder; give an AlpacaEval results/ folder`);
  const byModel = new Map<string, Map<string, string>>();
  const texts = new Map<string, string>();
  let duplicateAnswers = 0;
  for (const model of readdirSync(directory).sort()) {
    if (model.startsWith(".")) continue;
    const folder = join(directory, model);
    const folderStats = statSync(folder, { throwIfNoEntry: false });
    if (folderStats === undefined)
      throw new InputError(`${folder}: cannot read (a broken link?); remove it or fix it`);
    if (!folderStats.isDirectory()) continue;
    const file = join(folder, "model_outputs.json");
    const rows = readModelOutputs(directory, file);
    if (!Array.isArray(rows)) throw new InputError(`${file}: expected a JSON list of {instruction, output}`);
    const answers = new Map<string, string>();
    const firstIndex = new Map<string, number>();
    rows.forEach((row: unknown, index: number) => {
      const record = row as { instruction?: unknown; output?: unknown };
      if (typeof record?.instruction !== "string")
        throw new InputError(`${file}: item ${index} has no string "instruction"`);
      const key = record.instruction.trim();
      const output = typeof record.output === "string" ? record.output : "";
      const earlier = answers.get(key);
      if (earlier !== undefined) {
        if (earlier !== output && earlier.trim() !== "" && output.trim() !== "")
          throw new InputError(
            `${file}: items ${firstIndex.get(key)} and ${index} have the same instruction ${excerpt(key)} with different outputs; keep one`,
          );
        duplicateAnswers++;
        if (earlier.trim() !== "") return;
      } else firstIndex.set(key, index);
      answers.set(key, output);
      if (!texts.has(key)) texts.set(key, record.instruction);
    });
    byModel.set(model, answers);
  }
  if (byModel.size === 0)
    throw new InputError(
      `${directory}: holds no model folder (<model>/model_outputs.json); ${noModelHint(directory)}`,
    );
  return { byModel, texts, duplicateAnswers, notes: [] };
}
