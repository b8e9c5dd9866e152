/**
 * Reads a prompt file for `collect`: JSONL, one `{"id", "prompt"}` or `{"id", "messages": [...]}` per line,
 * with an optional `system`, or an AlpacaEval JSON list of instructions. Every problem is one InputError `file:N: what is wrong`.
 */

import { once } from "node:events";
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import type { ChatMessage } from "../models/types.ts";
import { readAlpacaEvalPrompts } from "./alpacaeval-prompts.ts";

export interface PromptEntry {
  id: string;
  messages: ChatMessage[];
  /** 1-based line in the file (for an AlpacaEval JSON list, the 1-based item). */
  line: number;
}

const roles = new Set(["system", "user", "assistant"]);

function parseMessages(value: unknown, where: string): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new InputError(`${where}: "messages" must be a non-empty array of {"role", "content"}`);
  return value.map((message: unknown, position) => {
    const candidate = message as { role?: unknown; content?: unknown } | null;
    if (candidate === null || typeof candidate !== "object" || !roles.has(String(candidate.role)))
      throw new InputError(`${where}: messages[${position}].role must be system, user or assistant`);
    if (typeof candidate.content !== "string")
      throw new InputError(`${where}: messages[${position}].content must be a string`);
    return { role: candidate.role as ChatMessage["role"], content: candidate.content };
  });
}

/** Parses one line of a prompt file. */
export function parsePromptLine(text: string, where: string, line: number): PromptEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(
      `${where}: bad JSON; each line must be one object like {"id": "q1", "prompt": "..."}`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new InputError(`${where}: each line must be a JSON object like {"id": "q1", "prompt": "..."}`);
  const record = value as { id?: unknown; prompt?: unknown; messages?: unknown; system?: unknown };
  if (typeof record.id !== "string" && typeof record.id !== "number")
    throw new InputError(`${where}: missing "id" (a string)`);
  const id = String(record.id);
  if (id.trim() === "") throw new InputError(`${where}: "id" is empty`);
  let messages: ChatMessage[];
  if (record.messages !== undefined) messages = parseMessages(record.messages, where);
  else if (typeof record.prompt === "string") messages = [{ role: "user", content: record.prompt }];
  else throw new InputError(`${where}: needs "prompt" (a string) or "messages" (an array)`);
  if (record.system !== undefined) {
    if (typeof record.system !== "string") throw new InputError(`${where}: "system" must be a string`);
    messages = [
      { role: "system", content: record.system },
      ...messages.filter((message) => message.role !== "system"),
    ];
  }
  return { id, messages, line };
}

/**
 * Reads the whole prompt file (streamed line by line); rejects duplicates and empty files. A `.json` file
 * is read as AlpacaEval's instructions (`readAlpacaEvalPrompts`).
 */
export async function readPromptFile(path: string): Promise<PromptEntry[]> {
  checkPathArgument(path, "readPromptFile: path");
  // A .json file is an AlpacaEval list (alpaca_eval.json, model_outputs.json): its instructions.
  if (path.toLowerCase().endsWith(".json")) return readAlpacaEvalPrompts(path);
  const label = basename(path);
  const input = createReadStream(path);
  try {
    await once(input, "open");
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    throw new InputError(
      `${path}: cannot read the prompt file (${code}); check the prompts path (--prompts)`,
    );
  }
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const entries: PromptEntry[] = [];
  const firstLineById = new Map<string, number>();
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber++;
    if (text.trim() === "") continue;
    const entry = parsePromptLine(text, `${label}:${lineNumber}`, lineNumber);
    const first = firstLineById.get(entry.id);
    if (first !== undefined)
      throw new InputError(
        `${label}:${lineNumber}: duplicate id "${entry.id}" (first on line ${first}); ids must be unique`,
      );
    firstLineById.set(entry.id, lineNumber);
    entries.push(entry);
  }
  if (entries.length === 0)
    throw new InputError(
      `${label}:${Math.max(1, lineNumber)}: the file has no prompts; add lines like {"id": "q1", "prompt": "..."}`,
    );
  return entries;
}
