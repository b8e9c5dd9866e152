/**
 * Our own prompt JSONL (the `collect` format): `{"id", "prompt"}` or `{"id", "messages": [...]}`.
 * With messages, the user turns are replayed and recorded assistant turns are replaced by each model's own.
 */
import { basename, extname } from "node:path";
import { InputError } from "../../errors.ts";
import { asObject, requireString } from "./fields.ts";
import { streamJsonLines } from "./stream-json.ts";
import type { PromptSet, RsePrompt } from "./types.ts";

/** Loads a prompt JSONL file; the dataset is named after the file unless a line names one. */
export async function loadPromptJsonl(path: string): Promise<PromptSet> {
  const fileDataset = basename(path, extname(path));
  const prompts: RsePrompt[] = [];
  const seen = new Set<string>();
  for await (const { line, value } of streamJsonLines(path)) {
    const where = `${path}:${line}`;
    const record = asObject(value, where);
    const id = requireString(record, "id", where);
    if (seen.has(id)) throw new InputError(`${where}: duplicate id "${id}"; ids must be unique`);
    seen.add(id);
    const dataset =
      typeof record.dataset === "string" && record.dataset !== "" ? record.dataset : fileDataset;
    let turns: string[] = [];
    let system: string | undefined;
    if (typeof record.prompt === "string") {
      turns = [requireString(record, "prompt", where)];
    } else if (Array.isArray(record.messages)) {
      for (const [index, message] of record.messages.entries()) {
        const entry = asObject(message, `${where} messages[${index}]`);
        const content = requireString(entry, "content", `${where} messages[${index}]`);
        if (entry.role === "user") turns.push(content);
        else if (entry.role === "system" && (index > 0 || system !== undefined))
          throw new InputError(
            `${where} messages[${index}]: a system message is only allowed as the first message`,
          );
        else if (entry.role === "system") system = content;
        else if (entry.role !== "assistant")
          throw new InputError(`${where} messages[${index}]: field "role" must be system, user or assistant`);
      }
      if (turns.length === 0) throw new InputError(`${where}: field "messages" has no user message`);
    } else {
      throw new InputError(`${where}: needs a "prompt" string or a "messages" array`);
    }
    prompts.push({ id, dataset, turns, ...(system ? { system } : {}) });
  }
  if (prompts.length === 0) throw new InputError(`${path}: no prompts found; the file is empty`);
  return { dataset: fileDataset, prompts, skipped: {}, source: path };
}
