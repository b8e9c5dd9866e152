/**
 * NuminaMath files (JSONL or Parquet) with fields `problem`, `solution` and `messages`. The prompt is
 * `problem`, or the first user message of `messages` when `problem` is absent, null or blank; the
 * reference solution is not sent. Locations are `file:line` (JSONL) and `file row N` (Parquet), both 1-based;
 * a row without an `id` field gets `<file name>:row-<0-based index>`.
 */
import { basename } from "node:path";
import { InputError } from "../../errors.ts";
import { asObject, optionalId } from "./fields.ts";
import { type DecodeOptions, decodeParquetColumns } from "./parquet-decode.ts";
import { streamJsonLines } from "./stream-json.ts";
import type { PromptSet, RsePrompt } from "./types.ts";

/** A usable `problem` field: a string with some text. */
const hasProblem = (record: Record<string, unknown>): boolean =>
  typeof record.problem === "string" && record.problem.trim() !== "";

function problemOf(record: Record<string, unknown>, where: string): string {
  if (hasProblem(record)) return record.problem as string;
  if (Array.isArray(record.messages)) {
    for (const [index, message] of record.messages.entries()) {
      const entry = asObject(message, `${where} messages[${index}]`);
      if (entry.role === "user" && typeof entry.content === "string" && entry.content.trim() !== "")
        return entry.content;
    }
  }
  throw new InputError(
    `${where}: field "problem" must be a non-empty string (or "messages" hold a user turn)`,
  );
}

function toPrompts(path: string, rows: Array<{ where: string; index: number; value: unknown }>): PromptSet {
  const seen = new Set<string>();
  const prompts: RsePrompt[] = rows.map(({ where, index, value }) => {
    const record = asObject(value, where);
    const source = typeof record.source === "string" ? record.source : undefined;
    // NuminaMath has no id column and comes in shards: a row's id names its file, so that two shards
    // (train-00000-of-00005.parquet, train-00001-of-00005.parquet) can be loaded together.
    const id = optionalId(record, "id", where) ?? `${basename(path)}:row-${index}`;
    if (seen.has(id)) throw new InputError(`${where}: duplicate id "${id}"; ids must be unique`);
    seen.add(id);
    return {
      id,
      dataset: "numina",
      turns: [problemOf(record, where)],
      ...(source ? { category: source } : {}),
    };
  });
  if (prompts.length === 0) throw new InputError(`${path}: no problems found; the file is empty`);
  return { dataset: "numina", prompts, skipped: {}, source: path };
}

/** Loads NuminaMath JSONL. */
export async function loadNuminaJsonl(path: string): Promise<PromptSet> {
  const rows: Array<{ where: string; index: number; value: unknown }> = [];
  for await (const { line, value } of streamJsonLines(path)) {
    // Keep only what a prompt needs: the solution and metadata of a large file would fill memory.
    const record = asObject(value, `${path}:${line}`);
    rows.push({
      where: `${path}:${line}`,
      index: rows.length,
      value: {
        problem: record.problem,
        messages: hasProblem(record) ? undefined : record.messages,
        source: record.source,
        id: record.id,
      },
    });
  }
  return toPrompts(path, rows);
}

/** Sorted row indices grouped into ranges `[start, end)`, merging rows closer than `gap`. */
function rowRanges(indices: number[], gap = 1_000): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const index of indices) {
    const last = ranges.at(-1);
    if (last !== undefined && index - last[1] < gap) last[1] = index + 1;
    else ranges.push([index, index + 1]);
  }
  return ranges;
}

/**
 * Loads NuminaMath Parquet through hyparquet (only the columns needed are read). The file is checked
 * for structure first and decoded in a worker under a time limit, so a corrupt file is an InputError.
 */
export async function loadNuminaParquet(path: string, options: DecodeOptions = {}): Promise<PromptSet> {
  // `messages` repeats the problem with the solution: read it only when there is no `problem` column,
  // or, for the rows whose problem is null or blank, in a second pass over those rows alone.
  const rows = await decodeParquetColumns(
    path,
    [
      ["problem", "source", "id"],
      ["messages", "source", "id"],
    ],
    options,
  );
  const lacking = rows.flatMap((row, index) => ("problem" in row && !hasProblem(row) ? [index] : []));
  if (lacking.length > 0) {
    const ranges = rowRanges(lacking);
    // Without a messages column the rows stay as they are, and the blank problem is reported by row.
    const extra = await decodeParquetColumns(path, [["messages"]], {
      ...options,
      rowRanges: ranges,
      allowMissingColumns: true,
    });
    let position = 0;
    for (const [start, end] of ranges)
      for (let index = start; index < end; index++) {
        const messages = extra[position++]?.messages;
        if (messages !== undefined) rows[index] = { ...rows[index], messages };
      }
  }
  return toPrompts(
    path,
    rows.map((value, index) => ({ where: `${path} row ${index + 1}`, index, value })),
  );
}

/** Loads a NuminaMath file, choosing the reader by extension. */
export async function loadNumina(path: string): Promise<PromptSet> {
  return path.toLowerCase().endsWith(".parquet") ? loadNuminaParquet(path) : loadNuminaJsonl(path);
}
