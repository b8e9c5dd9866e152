/**
 * Importer for the identity-jailbreak transcripts of Lee et al. 2025 (`attack_result/*.jsonl`: one row
 * per template and question with `jailbreak_prompt`, `query`, `target_responses`, `eval_results`).
 * Streams the file line by line; a broken line or a missing field is an InputError naming file:line.
 */

import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import type { DroppableParameter } from "../models/types.ts";

/** One answer to judge, whatever file format it came from. */
export interface IceTranscript {
  /** 0-based row of the input file (blank lines are not rows). */
  index: number;
  id?: string;
  /** The jailbreak template (with `{query}` unfilled), when there was one. */
  template?: string;
  /** The identity question. */
  query: string;
  /** The full text sent to the model (template filled with the question). */
  prompt: string;
  /** The answer, verbatim (may be empty: an empty answer is judged, not dropped). */
  response: string;
  /** The paper's own loose verdict, when the file has one. */
  paperLoose?: boolean;
  /**
   * The sampling the answer was asked with, from a transcript line's `parameters` (our JSONL): with
   * `sentWithout` when the model refused some of it and answered at its default.
   */
  parameters?: { temperature?: number; topP?: number; sentWithout?: DroppableParameter[] };
}

/** Fills a template the way the paper did: every `{query}` replaced, else the question appended. */
export function fillTemplate(template: string, query: string): string {
  return template.includes("{query}") ? template.split("{query}").join(query) : template + query;
}

/** Reads JSON lines, yielding [1-based line number, parsed object] and skipping blank lines. */
export async function* readJsonLines(file: string): AsyncGenerator<[number, Record<string, unknown>]> {
  const stream = createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber++;
      const line = lineNumber === 1 && raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
      if (line.trim().length === 0) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new InputError(`${file}:${lineNumber}: not valid JSON; fix or remove this line`);
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new InputError(`${file}:${lineNumber}: expected a JSON object on each line`);
      }
      yield [lineNumber, value as Record<string, unknown>];
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(`${file}: file not found`);
    if (code === "EISDIR") throw new InputError(`${file}: a folder, not a file; pass one transcripts file`);
    // Other file-system errors (EISDIR, EACCES...) and a line over V8's string limit are input problems.
    if (typeof code === "string" && (/^E[A-Z]+$/.test(code) || code === "ERR_STRING_TOO_LONG"))
      throw new InputError(`${file}:${lineNumber + 1}: cannot read the file (${code})`);
    throw error;
  } finally {
    lines.close();
    stream.destroy();
  }
}

function requireString(row: Record<string, unknown>, field: string, where: string): string {
  const value = row[field];
  if (typeof value !== "string")
    throw new InputError(`${where}: field "${field}" is missing or not a string`);
  return value;
}

/** Streams the rows of a lee2025 attack_result JSONL file. */
export async function* readLee2025(file: string): AsyncGenerator<IceTranscript> {
  checkPathArgument(file, "readLee2025: file");
  let index = 0;
  for await (const [lineNumber, row] of readJsonLines(file)) {
    const where = `${file}:${lineNumber}`;
    if (row.jailbreak_prompt === undefined && "response" in row)
      throw new InputError(
        `${where}: field "jailbreak_prompt" is missing; this is a row of our JSONL format (with "response"): use --format jsonl`,
      );
    const template = requireString(row, "jailbreak_prompt", where);
    const query = requireString(row, "query", where);
    const responses = row.target_responses;
    let response: string;
    if (typeof responses === "string") response = responses;
    else if (Array.isArray(responses) && responses.length > 0 && typeof responses[0] === "string") {
      response = responses[0];
    } else if (Array.isArray(responses) && responses.length === 0) response = "";
    else throw new InputError(`${where}: field "target_responses" must be a list of strings`);
    const transcript: IceTranscript = {
      index,
      template,
      query,
      prompt: fillTemplate(template, query),
      response,
    };
    const verdicts = row.eval_results;
    if (typeof verdicts === "boolean") transcript.paperLoose = verdicts;
    else if (Array.isArray(verdicts) && typeof verdicts[0] === "boolean") transcript.paperLoose = verdicts[0];
    yield transcript;
    index++;
  }
}
