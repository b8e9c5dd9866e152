import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { type AlignedCorpus, alignAnswers } from "./aligned-corpus.ts";

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

/** Loads an AlpacaEval results folder (`<dir>/<model>/model_outputs.json`) aligned by instruction text. */
export function loadAlpacaEvalCorpus(directory: string): AlignedCorpus {
  if (!existsSync(directory) || !statSync(directory).isDirectory())
    throw new InputError(`${directory}: not a folder; give an AlpacaEval results/ folder`);
  const byModel = new Map<string, Map<string, string>>();
  for (const model of readdirSync(directory).sort()) {
    if (!statSync(join(directory, model)).isDirectory()) continue;
    const file = join(directory, model, "model_outputs.json");
    if (!existsSync(file)) {
      // Given the repository's folder (or any parent) instead of its results/ folder: say which to give.
      const results = join(directory, "results");
      const hint =
        existsSync(results) && statSync(results).isDirectory()
          ? `; ${directory} looks like the repository: give its results folder, ${results}`
          : "";
      throw new InputError(`${file}: missing; every model folder needs a model_outputs.json${hint}`);
    }
    const rows = parseJson(file, readFileSync(file, "utf8"));
    if (!Array.isArray(rows)) throw new InputError(`${file}: expected a JSON list of {instruction, output}`);
    const answers = new Map<string, string>();
    rows.forEach((row: unknown, index: number) => {
      const record = row as { instruction?: unknown; output?: unknown };
      if (typeof record?.instruction !== "string")
        throw new InputError(`${file}: item ${index} has no string "instruction"`);
      answers.set(record.instruction, typeof record.output === "string" ? record.output : "");
    });
    byModel.set(model, answers);
  }
  const corpus = alignAnswers(directory, byModel);
  return { ...corpus, promptTexts: corpus.prompts };
}
