/**
 * Importer for our own ICE transcripts JSONL: one object per line with `response` and either `query`,
 * `prompt` or `messages` (optional `id`, `template`). `collect` output lines (id + response, no prompt)
 * are joined to the prompts file they were collected from by `id`. Streamed; errors name file:line.
 */

import { InputError } from "../errors.ts";
import type { ChatMessage, DroppableParameter } from "../models/types.ts";
import { fillTemplate, type IceTranscript, readJsonLines } from "./lee2025.ts";

export interface JsonlImportOptions {
  /** Prompts by id (from the `--prompts` file given to `collect`), for lines that carry only an id. */
  promptsById?: ReadonlyMap<string, string>;
}

function lastUserMessage(messages: unknown, where: string): string {
  if (!Array.isArray(messages)) throw new InputError(`${where}: field "messages" must be a list`);
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as Partial<ChatMessage> | null;
    if (message !== null && message.role === "user" && typeof message.content === "string")
      return message.content;
  }
  throw new InputError(`${where}: field "messages" has no user message`);
}

const droppable = new Set<string>(["temperature", "topP"] satisfies DroppableParameter[]);

/**
 * The sampling of a transcript line (`parameters`, as `collect` and `transcripts export` write it), kept
 * as provenance only: numbers that are not numbers and names that are not parameters the tool drops are
 * left out, never an error (the answer is what is judged).
 */
function samplingOf(value: unknown): IceTranscript["parameters"] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const sampling: NonNullable<IceTranscript["parameters"]> = {};
  if (typeof record.temperature === "number") sampling.temperature = record.temperature;
  if (typeof record.topP === "number") sampling.topP = record.topP;
  if (Array.isArray(record.sentWithout)) {
    const refused = record.sentWithout.filter(
      (name): name is DroppableParameter => typeof name === "string" && droppable.has(name),
    );
    if (refused.length > 0) sampling.sentWithout = refused;
  }
  return Object.keys(sampling).length === 0 ? undefined : sampling;
}

/** Streams our JSONL transcripts as IceTranscript rows. */
export async function* readIceJsonl(
  file: string,
  options: JsonlImportOptions = {},
): AsyncGenerator<IceTranscript> {
  let index = 0;
  for await (const [lineNumber, row] of readJsonLines(file)) {
    const where = `${file}:${lineNumber}`;
    const response = row.response;
    if (typeof response !== "string") {
      // The paper's rows keep their answers in target_responses: the wrong --format, not a broken file.
      const hint =
        response === undefined && "target_responses" in row
          ? "; this is a row of the paper's attack_result format: use --format lee2025"
          : ' (an empty answer is "")';
      throw new InputError(`${where}: field "response" is missing or not a string${hint}`);
    }
    const id = typeof row.id === "string" || typeof row.id === "number" ? String(row.id) : undefined;
    const template = typeof row.template === "string" ? row.template : undefined;
    let query: string | undefined = typeof row.query === "string" ? row.query : undefined;
    let prompt: string | undefined = typeof row.prompt === "string" ? row.prompt : undefined;
    if (prompt === undefined && row.messages !== undefined) prompt = lastUserMessage(row.messages, where);
    if (prompt === undefined && query === undefined && id !== undefined)
      prompt = options.promptsById?.get(id);
    if (query === undefined && prompt === undefined) {
      throw new InputError(
        `${where}: needs a "query" or "prompt" field (or pass --prompts <file> to join collect output by id)`,
      );
    }
    query ??= prompt!;
    prompt ??= template === undefined ? query : fillTemplate(template, query);
    const transcript: IceTranscript = { index, query, prompt, response };
    if (id !== undefined) transcript.id = id;
    if (template !== undefined) transcript.template = template;
    const parameters = samplingOf(row.parameters);
    if (parameters !== undefined) transcript.parameters = parameters;
    yield transcript;
    index++;
  }
}

/** Reads a prompts JSONL file (`{"id", "prompt"}` or `{"id", "messages"}`) into a map by id. */
export async function readPromptsById(file: string): Promise<Map<string, string>> {
  const prompts = new Map<string, string>();
  for await (const [lineNumber, row] of readJsonLines(file)) {
    const where = `${file}:${lineNumber}`;
    if (typeof row.id !== "string" && typeof row.id !== "number")
      throw new InputError(`${where}: field "id" is missing`);
    const prompt = typeof row.prompt === "string" ? row.prompt : lastUserMessage(row.messages, where);
    prompts.set(String(row.id), prompt);
  }
  return prompts;
}
