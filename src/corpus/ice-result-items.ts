/**
 * Reads the items of an ICE result (written by `ice run` or `ice judge`) back as answers to judge, so a
 * result can be judged again with another judge (`ice judge ice.json --format ice-result --judge ...`)
 * without going back to the model. The items keep the template and the question apart, so the templates
 * (the clusters of the intervals) survive, which a transcripts export of the same run does not keep.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../errors.ts";
import { fillQuery } from "../probes/identity-templates.ts";
import { parseResultShape } from "../report/result-schema.ts";
import { fillTemplate, type IceTranscript } from "./lee2025.ts";

export interface IceResultItems {
  rows: IceTranscript[];
  /** The developer the result was judged against (`identity`), when it says. */
  identity?: string;
  /** The target the result is about (`source.target`, else `target`), to keep its label. */
  target?: string;
}

/** The JSON of a result file, or an InputError naming the file and what to pass instead. */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(`${file}: cannot read the file (${code}); check the path`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(
      `${file}: not a JSON document; --format ice-result reads the result JSON that ice run or ice judge wrote (for transcripts use --format jsonl)`,
    );
  }
}

export function readIceResultItems(file: string): IceResultItems {
  const result = parseResultShape(readJson(file), file);
  if (result.kind !== "ice")
    throw new InputError(
      `${file}: a ${result.kind} result; --format ice-result reads the result of ice run or ice judge`,
    );
  const record = result as typeof result & {
    identity?: unknown;
    source?: { target?: unknown; format?: unknown };
    generation?: IceTranscript["parameters"];
  };
  // ice run filled its templates with fillQuery; the paper's files and our JSONL with fillTemplate.
  const fromRun = record.source?.format === undefined;
  const fill = fromRun ? fillQuery : fillTemplate;
  const sentWithout = record.generation?.sentWithout;
  const rows = result.items.map((item, position): IceTranscript => {
    const row: IceTranscript = {
      index: position,
      query: item.query,
      prompt: item.template === null ? item.query : fill(item.template, item.query),
      response: item.response,
    };
    if (item.template !== null) row.template = item.template;
    if (sentWithout !== undefined && sentWithout.length > 0) row.parameters = { ...record.generation };
    return row;
  });
  if (rows.length === 0) throw new InputError(`${file}: the result has no items to judge`);
  const items: IceResultItems = { rows };
  if (typeof record.identity === "string") items.identity = record.identity;
  const target = typeof record.source?.target === "string" ? record.source.target : result.target;
  if (typeof target === "string") items.target = target;
  return items;
}
