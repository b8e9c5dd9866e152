/**
 * Arena-Hard question files (JSONL). Two public shapes are read:
 * v0.1 `{question_id, category, turns: [{content}]}` and v2 `{uid, category, prompt}`.
 */
import { InputError } from "../../errors.ts";
import { asObject, optionalId, requireString } from "./fields.ts";
import { streamJsonLines } from "./stream-json.ts";
import type { PromptSet, RsePrompt } from "./types.ts";

/** Loads an Arena-Hard questions file; every malformed line is an InputError naming file:line and field. */
export async function loadArenaHard(path: string): Promise<PromptSet> {
  const prompts: RsePrompt[] = [];
  const seen = new Set<string>();
  for await (const { line, value } of streamJsonLines(path)) {
    const where = `${path}:${line}`;
    const record = asObject(value, where);
    const category = typeof record.category === "string" ? record.category : undefined;
    let id: string | undefined;
    let turns: string[];
    if (Array.isArray(record.turns)) {
      id = optionalId(record, "question_id", where);
      turns = record.turns.map((turn, index) =>
        requireString(asObject(turn, `${where} turns[${index}]`), "content", `${where} turns[${index}]`),
      );
      if (turns.length === 0)
        throw new InputError(`${where}: field "turns" is empty; give at least one turn`);
    } else if (record.prompt !== undefined) {
      id = optionalId(record, "uid", where);
      turns = [requireString(record, "prompt", where)];
    } else {
      throw new InputError(
        `${where}: expected Arena-Hard v0.1 "turns": [{"content"}] or v2 "prompt"; neither field is present`,
      );
    }
    const promptId = id ?? `line-${line}`;
    if (seen.has(promptId)) throw new InputError(`${where}: duplicate id "${promptId}"; ids must be unique`);
    seen.add(promptId);
    prompts.push({ id: promptId, dataset: "arena-hard", turns, ...(category ? { category } : {}) });
  }
  if (prompts.length === 0) throw new InputError(`${path}: no questions found; the file is empty`);
  return { dataset: "arena-hard", prompts, skipped: {}, source: path };
}
