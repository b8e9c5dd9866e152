import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { type AlignedCorpus, alignAnswers } from "./aligned-corpus.ts";
import { readLinesSync } from "./read-lines-sync.ts";

/**
 * Loads a folder of transcripts JSONL files (`{id, sample, model, response}` per line), grouped by model,
 * aligned by id. Each file is read line by line (never whole); only the kept answers stay in memory.
 */
export function loadTranscriptsCorpus(directory: string): AlignedCorpus {
  if (!existsSync(directory) || !statSync(directory).isDirectory())
    throw new InputError(`${directory}: not a folder; give a folder of transcripts .jsonl files`);
  const files = readdirSync(directory)
    .filter((name) => name.endsWith(".jsonl"))
    .sort();
  if (files.length === 0) throw new InputError(`${directory}: no .jsonl files found`);
  const byModel = new Map<string, Map<string, string>>();
  for (const name of files) {
    const file = join(directory, name);
    if (!statSync(file).isFile()) throw new InputError(`${file}: not a file; give .jsonl transcript files`);
    for (const [lineNumber, line] of readLinesSync(file)) {
      if (line.trim() === "") continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new InputError(`${file}:${lineNumber}: malformed JSON (${detail.slice(0, 120)})`);
      }
      if (record === null || typeof record !== "object" || Array.isArray(record))
        throw new InputError(`${file}:${lineNumber}: expected a JSON object on each line`);
      const { id, sample, model, response } = record as Record<string, unknown>;
      if (typeof model !== "string" || typeof id !== "string")
        throw new InputError(`${file}:${lineNumber}: needs string fields "id" and "model"`);
      if ((sample ?? 0) !== 0) continue; // first sample only, so every model contributes one answer per prompt
      const answers = byModel.get(model) ?? new Map<string, string>();
      answers.set(id, typeof response === "string" ? response : "");
      byModel.set(model, answers);
    }
  }
  return alignAnswers(directory, byModel);
}
