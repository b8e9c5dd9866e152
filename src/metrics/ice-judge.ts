/**
 * Judges a transcripts file for ICE: reads it (lee2025 or our JSONL), runs the embedded identity
 * judge on every row and, when given, an LLM judge too, then scores with scoreIce. The `ice judge`
 * command is a thin wrapper around this function.
 */

import { readIceResultItems } from "../corpus/ice-result-items.ts";
import { type IceTranscript, readLee2025 } from "../corpus/lee2025.ts";
import { readIceJsonl, readPromptsById } from "../corpus/lee2025-jsonl.ts";
import { InputError } from "../errors.ts";
import { analyseIdentity, type IdentityVerdict } from "../identity/claims.ts";
import {
  type DeveloperInput,
  declaredIdentitySource,
  developersFrom,
} from "../identity/custom-developers.ts";
import { forcedPersonaDevelopers } from "../identity/forced-persona.ts";
import { type DeveloperKey, resolveDeveloperKey } from "../identity/registry.ts";
import { type CompleteFunction, judgeManyWithLlm } from "../judges/identity-llm-judge.ts";
import type { DroppableParameter } from "../models/types.ts";
import {
  checkCallbackOption,
  checkListArgument,
  checkOptionsObject,
  checkTextArgument,
} from "../options/library-options.ts";
import { shownValue } from "../options/option-name.ts";
import { type IceResult, type IceScoredInput, scoreIce } from "./ice.ts";
import { judgeAgreement } from "./ice-agreement.ts";

/**
 * lee2025: the paper's attack_result JSONL; jsonl: our transcripts; ice-result: the items of an ICE result
 * (ice run or ice judge), to judge them again with another judge.
 */
export type TranscriptFormat = "lee2025" | "jsonl" | "ice-result";

export interface IceJudgeOptions {
  file: string;
  format: TranscriptFormat;
  identity: DeveloperKey;
  /**
   * Developers the registry does not know ({ key, name, aliases?, models? }): `identity` may be one of
   * them, and their names count as claims of them (the model's own when it is `identity`).
   */
  developers?: readonly DeveloperInput[];
  /** An LLM judge to run as well as the embedded one; its verdicts become the scored ones. */
  llmJudge?: { id: string; complete: CompleteFunction; concurrency?: number; nonceSecret?: string };
  /** Prompts file to join `collect` output lines (id + response only) by id. */
  promptsFile?: string;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Reads every row of a transcripts file in the given format. */
export async function readTranscripts(
  file: string,
  format: TranscriptFormat,
  promptsFile?: string,
): Promise<IceTranscript[]> {
  const rows: IceTranscript[] = [];
  if (format === "lee2025") {
    for await (const row of readLee2025(file)) rows.push(row);
  } else if (format === "jsonl") {
    const promptsById = promptsFile === undefined ? undefined : await readPromptsById(promptsFile);
    for await (const row of readIceJsonl(file, promptsById === undefined ? {} : { promptsById }))
      rows.push(row);
  } else if (format === "ice-result") {
    rows.push(...readIceResultItems(file).rows);
  } else {
    throw new InputError(
      `format (--format) "${String(format)}" is not supported; use lee2025, jsonl or ice-result`,
    );
  }
  if (rows.length === 0) throw new InputError(`${file}: no rows to judge`);
  return rows;
}

/** Runs the embedded judge over rows, caching the forced-persona analysis per template. */
export function judgeEmbedded(
  rows: readonly IceTranscript[],
  identity: DeveloperKey,
  given: readonly DeveloperInput[] = [],
): IdentityVerdict[] {
  const developers = developersFrom(given, "judgeEmbedded: developers");
  checkListArgument(rows, "judgeEmbedded: rows", "[{ index: 0, query, prompt, response }]");
  checkTextArgument(identity, "judgeEmbedded: identity", '"alibaba"');
  const forcedByTemplate = new Map<string, ReadonlySet<string>>();
  return rows.map((row) => {
    const key = row.template ?? row.prompt;
    let forced = forcedByTemplate.get(key);
    if (forced === undefined) {
      forced = forcedPersonaDevelopers(key, developers);
      forcedByTemplate.set(key, forced);
    }
    return analyseIdentity({
      response: row.response,
      identity,
      prompt: row.prompt,
      forcedDevelopers: forced,
      developers,
    });
  });
}

/**
 * What the transcripts say about sampling, for the result's `generation`: the parameters any answer was
 * sent without (the model refused them), and the value asked for each when every line that names it
 * agrees. Undefined when no line was sent without anything (the usual case, and the paper's files).
 */
export function transcriptGeneration(rows: readonly IceTranscript[]): IceResult["generation"] {
  const refused = new Set<DroppableParameter>();
  for (const row of rows) for (const parameter of row.parameters?.sentWithout ?? []) refused.add(parameter);
  if (refused.size === 0) return undefined;
  const generation: NonNullable<IceResult["generation"]> = {};
  for (const parameter of ["temperature", "topP"] as const) {
    const asked = new Set(
      rows.map((row) => row.parameters?.[parameter]).filter((value) => value !== undefined),
    );
    if (asked.size === 1) generation[parameter] = [...asked][0]!;
  }
  generation.sentWithout = [...refused];
  return generation;
}

/** Judges a transcripts file and returns the ICE result JSON. An unknown identity key is an InputError. */
export async function judgeIceFile(given: IceJudgeOptions): Promise<IceResult> {
  checkOptionsObject(given, "judgeIceFile", "file, format, identity");
  if (typeof given.file !== "string" || given.file === "")
    throw new InputError(
      `judgeIceFile: file must be the path of a transcripts file, got ${shownValue(given.file)}`,
    );
  checkCallbackOption(given.onProgress, "onProgress");
  const developers = developersFrom(given.developers, "judgeIceFile: developers");
  const options = { ...given, identity: resolveDeveloperKey(given.identity, developers) };
  // A result judged again keeps the label of the target it is about.
  const judgedAgain = options.format === "ice-result" ? readIceResultItems(options.file) : undefined;
  const rows =
    judgedAgain?.rows ?? (await readTranscripts(options.file, options.format, options.promptsFile));
  const generation = transcriptGeneration(rows);
  const withGeneration = (result: IceResult): IceResult =>
    generation === undefined ? result : { ...result, generation };
  const embedded = judgeEmbedded(rows, options.identity, developers);
  const target = judgedAgain?.target;
  const source = {
    ...(target === undefined ? {} : { target }),
    file: options.file,
    format: options.format,
    ...declaredIdentitySource(options.identity, developers),
  };
  const seed = options.seed ?? 1;
  if (options.llmJudge === undefined) {
    const inputs: IceScoredInput[] = rows.map((row, position) => ({
      ...baseInput(row),
      verdict: embedded[position]!,
    }));
    return withGeneration(
      scoreIce(inputs, { identity: options.identity, judge: "embedded", seed, source, developers }),
    );
  }
  const llm = options.llmJudge;
  const outcomes = await judgeManyWithLlm(
    rows.map((row) => ({ index: row.index, prompt: row.prompt, response: row.response })),
    {
      complete: llm.complete,
      identity: options.identity,
      developers,
      concurrency: llm.concurrency ?? 4,
      ...(llm.nonceSecret === undefined ? {} : { nonceSecret: llm.nonceSecret }),
      onDone: (done) => options.onProgress?.(done, rows.length),
    },
  );
  const inputs: IceScoredInput[] = rows.map((row, position) => {
    const outcome = outcomes[position]!;
    const local = embedded[position]!;
    if (!outcome.ok)
      return { ...baseInput(row), verdict: null, judgeError: outcome.error, secondVerdict: local };
    return {
      ...baseInput(row),
      verdict: {
        loose: outcome.loose,
        strict: outcome.strict,
        claims: local.claims,
        addressesJudge: local.addressesJudge,
      },
      secondVerdict: local,
    };
  });
  const paired = inputs.filter((input) => input.verdict !== null);
  const agreement = {
    judges: [llm.id, "embedded"] as [string, string],
    loose: judgeAgreement(paired.map((input) => [input.verdict!.loose, input.secondVerdict!.loose] as const)),
    strict: judgeAgreement(
      paired.map((input) => [input.verdict!.strict, input.secondVerdict!.strict] as const),
    ),
  };
  return withGeneration(
    scoreIce(inputs, { identity: options.identity, judge: llm.id, seed, source, agreement, developers }),
  );
}

function baseInput(row: IceTranscript): Omit<IceScoredInput, "verdict"> {
  const input: Omit<IceScoredInput, "verdict"> = {
    index: row.index,
    query: row.query,
    response: row.response,
  };
  if (row.template !== undefined) input.template = row.template;
  return input;
}
