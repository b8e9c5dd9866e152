/**
 * ShareGPT files: a JSON array of `{id, conversations: [{from, value}]}`, or (a `.jsonl` file) one such
 * conversation per line, as many ShareGPT-format sets are published. The human turns are kept; the
 * recorded assistant turns are dropped because each model answers with its own words when replayed.
 * Conversations with no human turn are skipped and counted.
 *
 * System turns before the first human turn become the system prompt (joined by a blank line, as the
 * Anthropic and Gemini adapters join system messages). A system turn after a human turn cuts the
 * conversation there: the human turns before it are replayed, it and every turn after it are left out, and
 * the conversation is counted in `shortened`. Kept in place it would reach only OpenAI-compatible models
 * there (Anthropic and Gemini take one top-level system prompt), so the target and a reference would be
 * sent different conversations; folded into the system prompt it would steer the turns before it; dropped,
 * the later turns would be answered without the instruction the file gives for them.
 */
import { InputError } from "../../errors.ts";
import { asObject, optionalId } from "./fields.ts";
import { streamJsonArray, streamJsonLines } from "./stream-json.ts";
import type { PromptSet, RsePrompt } from "./types.ts";

const humanRoles = new Set(["human", "user"]);
const assistantRoles = new Set(["gpt", "chatgpt", "assistant", "bard", "bing", "model"]);

/** The `shortened` reason of a conversation cut at a system turn that comes after a human turn. */
export const shareGptSystemCut = "cut at a system turn after a human turn";

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
  const shortened: Record<string, number> = {};
  const seen = new Set<string>();
  for await (const { index, line, value: entry } of conversations(path)) {
    const where = `${path}:${line}: conversation ${index}`;
    const record = asObject(entry, where);
    const id = optionalId(record, "id", where) ?? `conversation-${index}`;
    if (!Array.isArray(record.conversations))
      throw new InputError(`${where} (id ${JSON.stringify(id)}): field "conversations" must be an array`);
    const turns: string[] = [];
    const systems: string[] = [];
    // Set at a system turn after a human turn: the later turns are still checked, never replayed.
    let cut = false;
    for (const [turnIndex, turn] of record.conversations.entries()) {
      const field = `${where} conversations[${turnIndex}]`;
      const message = asObject(turn, field);
      if (typeof message.from !== "string") throw new InputError(`${field}: field "from" must be a string`);
      if (typeof message.value !== "string") throw new InputError(`${field}: field "value" must be a string`);
      const role = message.from.toLowerCase();
      if (humanRoles.has(role)) {
        if (!cut && message.value.trim() !== "") turns.push(message.value);
      } else if (role === "system") {
        if (message.value.trim() === "" || cut) continue;
        if (turns.length === 0) systems.push(message.value);
        else cut = true;
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
    if (cut) shortened[shareGptSystemCut] = (shortened[shareGptSystemCut] ?? 0) + 1;
    const system = systems.join("\n\n");
    prompts.push({ id, dataset: "sharegpt", turns, ...(system ? { system } : {}) });
  }
  if (prompts.length === 0) throw new InputError(`${path}: no conversation with a human turn found`);
  return {
    dataset: "sharegpt",
    prompts,
    skipped,
    ...(Object.keys(shortened).length > 0 ? { shortened } : {}),
    source: path,
  };
}
