import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { type AlignedCorpus, alignAnswers } from "./aligned-corpus.ts";

/** Loads a folder of transcripts JSONL files (`{id, sample, model, response}` per line), grouped by model, aligned by id. */
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
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      let record: { id?: unknown; sample?: unknown; model?: unknown; response?: unknown };
      try {
        record = JSON.parse(line);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new InputError(`${file}:${index + 1}: malformed JSON (${detail})`);
      }
      if (typeof record.model !== "string" || typeof record.id !== "string")
        throw new InputError(`${file}:${index + 1}: needs string fields "id" and "model"`);
      if ((record.sample ?? 0) !== 0) return; // first sample only, so every model contributes one answer per prompt
      const answers = byModel.get(record.model) ?? new Map<string, string>();
      answers.set(record.id, typeof record.response === "string" ? record.response : "");
      byModel.set(record.model, answers);
    });
  }
  return alignAnswers(directory, byModel);
}
