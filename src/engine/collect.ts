/**
 * collect: every prompt of a prompt file (times `samples`) through the engine into a transcript JSONL,
 * exactly one line per prompt and sample, in input order. Re-running asks only what the store lacks.
 */
import { rename, rm } from "node:fs/promises";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { sameFile } from "../files/same-file.ts";
import { signInBeforeRequests } from "../models/azure-entra-id.ts";
import type { Model } from "../models/types.ts";
import { checkCallbackOption, checkOptionsObject } from "../options/library-options.ts";
import { optionName, shownValue } from "../options/option-name.ts";
import type { Store } from "../store/store.ts";
import { closeStream, openOutput, type TranscriptLine, writeLine } from "../store/transcripts.ts";
import { readPromptFile } from "./prompts.ts";
import { runWork } from "./run-work.ts";
import type { EngineEvent, EngineStats, WorkFailure, WorkItem } from "./types.ts";

export interface CollectOptions {
  model: Model;
  promptsPath: string;
  /** The transcript file, written whole when the run ends; with `output`, only a name for messages. */
  outPath: string;
  /**
   * Where the lines go instead of a file at outPath (the CLI's `--out -` passes stdout). Written when
   * the run ends, in input order as for the file; the stream is not ended.
   */
  output?: NodeJS.WritableStream;
  store: Store;
  samples?: number;
  /** Default: 0.7 when samples > 1, else 0. */
  temperature?: number;
  concurrency?: number;
  timeoutMs?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  /** Called once the prompts are read, with the number of requests to make (prompts x samples). */
  onTotal?: (total: number) => void;
}

export interface CollectOutcome {
  /** Lines written to the output. */
  written: number;
  failures: WorkFailure[];
  stats: EngineStats;
}

/** The work items for prompts x samples, in output order (prompt by prompt, then sample). */
export function collectItems(
  prompts: ReadonlyArray<{ id: string; messages: WorkItem["request"]["messages"] }>,
  samples: number,
  temperature: number,
): WorkItem[] {
  const items: WorkItem[] = [];
  for (const prompt of prompts)
    for (let sample = 0; sample < samples; sample++)
      // `sample` also goes in the request: a replay model answers with the recorded sample of that
      // index (and fails on one never recorded) instead of repeating sample 0.
      items.push({ id: prompt.id, sample, request: { messages: prompt.messages, temperature, sample } });
  return items;
}

/**
 * Runs collect; the output file appears only when the run ends (written to a .partial file first). With
 * `output` the lines go to that stream when the run ends, and no file is made.
 */
export async function collect(options: CollectOptions): Promise<CollectOutcome> {
  checkOptionsObject(options, "collect", "model, store, promptsPath, outPath");
  checkPathArgument(options.promptsPath, optionName("promptsPath", "--prompts"));
  checkPathArgument(options.outPath, optionName("outPath", "--out"));
  checkCallbackOption(options.onTotal, "onTotal");
  const samples = options.samples ?? 1;
  if (!Number.isInteger(samples) || samples < 1)
    throw new InputError(
      `${optionName("samples", "--samples")} must be a whole number >= 1, got ${shownValue(samples)}`,
    );
  const temperature = options.temperature ?? (samples > 1 ? 0.7 : 0);
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2)
    throw new InputError(
      `${optionName("temperature", "--temperature")} must be between 0 and 2, got ${shownValue(temperature)}`,
    );
  // As the CLI does, before any request: never write over the prompts, and fail on an output that
  // cannot be written before paying for the answers.
  if (options.output === undefined && sameFile(options.outPath, options.promptsPath))
    throw new InputError(
      `outPath ${options.outPath} is the prompts file, which writing the transcripts would replace; give another file`,
    );
  const prompts = await readPromptFile(options.promptsPath);
  // A Microsoft Entra ID sign-in that fails stops here, before any request and before the output is opened.
  await signInBeforeRequests([options.model]);
  const items = collectItems(prompts, samples, temperature);
  const partialPath = `${options.outPath}.partial`;
  const file = options.output === undefined ? await openOutput(partialPath) : undefined;
  const stream = file ?? options.output!;
  const discardOutput = async () => {
    if (file === undefined) return;
    file.destroy();
    await rm(partialPath, { force: true });
  };
  options.onTotal?.(items.length);
  const result = await runWork({
    model: options.model,
    items,
    store: options.store,
    runLabel: "collect",
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.requestsPerMinute === undefined ? {} : { requestsPerMinute: options.requestsPerMinute }),
    ...(options.tokensPerMinute === undefined ? {} : { tokensPerMinute: options.tokensPerMinute }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  }).catch(async (error: unknown) => {
    await discardOutput();
    throw error;
  });

  const answers = new Map(result.answers.map((answer) => [`${answer.id}\u0000${answer.sample}`, answer]));
  let written = 0;
  try {
    for (const item of items) {
      const answer = answers.get(`${item.id}\u0000${item.sample ?? 0}`);
      if (answer === undefined) continue;
      const line: TranscriptLine = {
        id: answer.id,
        sample: answer.sample,
        model: answer.model,
        messages: item.request.messages,
        response: answer.response,
        usage: answer.usage,
        ...(answer.costUsd === undefined ? {} : { costUsd: answer.costUsd }),
        latencyMs: answer.latencyMs,
        cached: answer.cached,
        ...(answer.finishReason === undefined ? {} : { finishReason: answer.finishReason }),
        endpoint: options.model.endpoint,
        parameters:
          answer.sentWithout === undefined
            ? { temperature }
            : { temperature, sentWithout: answer.sentWithout },
      };
      await writeLine(stream, line);
      written++;
    }
    if (file !== undefined) {
      await closeStream(file);
      await rename(partialPath, options.outPath);
    }
  } catch (error) {
    await discardOutput();
    throw error;
  }
  return { written, failures: result.failures, stats: result.stats };
}
