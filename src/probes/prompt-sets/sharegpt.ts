/**
 * ShareGPT files: a JSON array of `{id, conversations: [{from, value}]}`, or (a `.jsonl` file) one such
 * conversation per line, as many ShareGPT-format sets are published. The human turns are kept; the
 * recorded assistant turns are dropped because each model answers with its own words when replayed.
 * Conversations with no human turn are skipped and counted.
 */
import { InputError } from "../../errors.ts";
import { asObject, optionalId } from "./fields.ts";
import { streamJsonArray, streamJsonLines } from "./stream-json.ts";
import type { PromptSet, RsePrompt } from "./types.ts";

const humanRoles = new Set(["human", "user"]);
const assistantRoles = new Set(["gpt", "chatgpt", "assistant", "bard", "bing", "model"]);

/** The conversations of a ShareGPT file: the elements of its array, or the lines of a `.jsonl` file. */
async function* conversations(path: string): AsyncGenerator<{ index: number; line: number; value: unknown }> {
  if (!path.toLowerCase().endsWith(".jsonl")) {
    yield* streamJsonArray(path);
    return;
  }
  let index = 0;
  for await (const { line, value } of streamJsonLines(path)) yield { index: index++, line, value };
}

/**
 * Loads a ShareGPT JSON array (or JSONL file), streaming it (the usual file is larger than one string may
 * be); malformed records are InputErrors naming the line, the conversation and the field.
 */
export async function loadShareGpt(path: string): Promise<PromptSet> {
  const prompts: RsePrompt[] = [];
  const skipped: Record<string, number> = {};
  const skip = (reason: string): void => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const seen = new Set<string>();
  for await (const { index, line, value: entry } of conversations(path)) {
    const where = `${path}:${line}: conversation ${index}`;
    const record = asObject(entry, where);
    const id = optionalId(record, "id", where) ?? `conversation-${index}`;
    if (!Array.isArray(record.conversations))
      throw new InputError(`${where} (id ${JSON.stringify(id)}): field "conversations" must be an array`);
    const turns: string[] = [];
    let system: string | undefined;
    for (const [turnIndex, turn] of record.conversations.entries()) {
      const field = `${where} conversations[${turnIndex}]`;
      const message = asObject(turn, field);
      if (typeof message.from !== "string") throw new InputError(`${field}: field "from" must be a string`);
      if (typeof message.value !== "string") throw new InputError(`${field}: field "value" must be a string`);
      const role = message.from.toLowerCase();
      if (humanRoles.has(role)) {
        if (message.value.trim() !== "") turns.push(message.value);
      } else if (role === "system") {
        if (turns.length === 0 && message.value.trim() !== "") system = message.value;
      } else if (!assistantRoles.has(role)) {
        throw new InputError(`${field}: unknown speaker "${message.from}"; expected human, gpt or system`);
      }
    }
    if (turns.length === 0) {
      skip("no human turn");
      continue;
    }
    if (seen.has(id)) {
      skip("duplicate id");
      continue;
    }
    seen.add(id);
    prompts.push({ id, dataset: "sharegpt", turns, ...(system ? { system } : {}) });
  }
  if (prompts.length === 0) throw new InputError(`${path}: no conversation with a human turn found`);
  return { dataset: "sharegpt", prompts, skipped, source: path };
}
