/**
 * Transcript JSONL: the public record of answers, written by `collect` and `transcripts export`, read by
 * `transcripts import` and by the `replay:` adapter. One answer per line, streamed both ways.
 */

import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { modelMatches } from "../models/model-matches.ts";
import type { ChatMessage, RecordedParameters, Usage } from "../models/types.ts";
import { shownValue } from "../options/option-name.ts";
import { redactKnownKeys } from "../secrets/known-keys.ts";
import { cacheKey } from "./cache-key.ts";
import type { PendingAnswer, Store } from "./store.ts";
import type { StoredAnswer } from "./types.ts";

/** One transcript line. `endpoint` and `parameters` are extra fields that let an import rebuild the cache key. */
export interface TranscriptLine {
  id: string;
  sample: number;
  model: string;
  messages: ChatMessage[];
  response: string;
  usage: Usage;
  costUsd?: number;
  latencyMs: number;
  cached: boolean;
  finishReason?: string;
  endpoint?: string;
  /** As asked, with `sentWithout` naming those the model refused (it answered at its default for them). */
  parameters?: RecordedParameters;
}

const messageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

const lineSchema = z.object({
  id: z.string().min(1),
  sample: z.number().int().nonnegative().default(0),
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  response: z.string(),
  usage: z
    .object({
      inputTokens: z.number().nonnegative(),
      outputTokens: z.number().nonnegative(),
      cachedInputTokens: z.number().nonnegative().optional(),
      reasoningTokens: z.number().nonnegative().optional(),
    })
    .default({ inputTokens: 0, outputTokens: 0 }),
  costUsd: z.number().nonnegative().optional(),
  latencyMs: z.number().nonnegative().default(0),
  cached: z.boolean().default(false),
  finishReason: z.string().optional(),
  endpoint: z.string().optional(),
  parameters: z
    .object({
      temperature: z.number().optional(),
      topP: z.number().optional(),
      maxTokens: z.number().optional(),
      seed: z.number().optional(),
      stop: z.array(z.string()).optional(),
      sentWithout: z.array(z.enum(["temperature", "topP"])).optional(),
    })
    .optional(),
});

/** The transcript line of an answer. */
export function toTranscriptLine(answer: StoredAnswer, cached: boolean): TranscriptLine {
  const line: TranscriptLine = {
    id: answer.id,
    sample: answer.sample,
    model: answer.model,
    messages: answer.messages,
    // Answers stored before reflected keys were redacted may hold one: never written out.
    response: redactKnownKeys(answer.response),
    usage: answer.usage,
    latencyMs: answer.latencyMs,
    cached,
    endpoint: answer.endpoint,
    parameters: answer.parameters,
  };
  if (answer.costUsd !== undefined) line.costUsd = answer.costUsd;
  if (answer.finishReason !== undefined) line.finishReason = answer.finishReason;
  return line;
}

/** Writes one line, waiting when the stream's buffer is full so memory stays flat on big exports. */
export async function writeLine(stream: NodeJS.WritableStream, line: unknown): Promise<void> {
  if (!stream.write(`${JSON.stringify(line)}\n`)) await once(stream, "drain");
}

/** Closes a write stream and waits until everything is on disk (or the error). */
export async function closeStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    stream.once("error", reject);
    stream.end(() => resolvePromise());
  });
}

/** Opens a JSONL output file; InputError naming the file when it cannot be created. */
export async function openOutput(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  try {
    await once(stream, "open");
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    throw new InputError(`cannot write ${path} (${code}): choose a writable outPath (--out)`);
  }
  return stream;
}

/**
 * Streams every stored answer (optionally of one model) to `output` (a file path, or a stream such as
 * stdout, which is not ended); returns how many lines. The model is matched as `replay:` matches it
 * (`gpt-4o-mini` is any provider's); a model the store does not hold is an InputError naming the ones it
 * does, before the file is made.
 */
export async function exportTranscripts(
  store: Store,
  output: string | NodeJS.WritableStream,
  filter: { model?: string } = {},
): Promise<number> {
  checkStore(store);
  const writable = typeof (output as { write?: unknown } | undefined)?.write === "function";
  if (!writable && (typeof output !== "string" || output === ""))
    throw new InputError(
      `the transcripts output must be a file path or a writable stream, got ${shownValue(output)}`,
    );
  const wanted = filter?.model;
  const stored = wanted === undefined ? [] : store.models();
  const models = wanted === undefined ? [undefined] : stored.filter((model) => modelMatches(model, wanted));
  if (models.length === 0) {
    throw new InputError(
      `model (--model) ${wanted}: no stored answers of this model; ${stored.length === 0 ? "the store has no answers" : `models in the store: ${stored.join(", ")}`}`,
    );
  }
  const file = typeof output === "string" ? await openOutput(output) : undefined;
  const stream = file ?? (output as NodeJS.WritableStream);
  let lines = 0;
  for (const model of models)
    for (const answer of store.answers(model === undefined ? {} : { model })) {
      await writeLine(stream, toTranscriptLine(answer, false));
      lines++;
    }
  if (file !== undefined) await closeStream(file);
  return lines;
}

/** A library caller's store argument: a Store, or an InputError saying how to open one. */
function checkStore(store: unknown): void {
  if (typeof (store as Store | undefined)?.answers !== "function")
    throw new InputError('store must be a Store, e.g. openStore(".distillscope")');
}

/** Parses one transcript line; InputError `file:N: ...` when it is not a transcript line. */
export function parseTranscriptLine(text: string, fileLabel: string, lineNumber: number): TranscriptLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${fileLabel}:${lineNumber}: not valid JSON; each line must be one JSON object`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new InputError(`${fileLabel}:${lineNumber}: not a JSON object; each line must be one JSON object`);
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "line";
    const where = `${fileLabel}:${lineNumber}`;
    if (issue?.path.length === 1 && (json as Record<string, unknown>)[field] === undefined) {
      throw new InputError(
        `${where}: field "${field}" is missing; a transcript line has id, model, messages and response ` +
          "(what collect or transcripts export writes)",
      );
    }
    throw new InputError(`${where}: ${field}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data as TranscriptLine;
}

function splitModelId(modelId: string): { provider: string; model: string } {
  const colon = modelId.indexOf(":");
  return colon < 0
    ? { provider: "unknown", model: modelId }
    : { provider: modelId.slice(0, colon), model: modelId.slice(colon + 1) };
}

/**
 * Reads a transcript JSONL file line by line into the store. Lines whose cache key is already stored are
 * skipped, so importing twice adds nothing. Lines without `endpoint` are keyed under endpoint "imported"
 * (kept as records; they do not answer live requests to a real endpoint). `endpoint` is taken as written
 * (`Model.endpoint`): lines exported before base URL paths counted carry the bare host, which is still
 * the endpoint of a usual base URL (models/endpoint-identity.ts), so they answer the same requests as then.
 */
export async function importTranscripts(
  store: Store,
  inPath: string,
): Promise<{ imported: number; skipped: number }> {
  checkStore(store);
  checkPathArgument(inPath, "the transcripts file");
  const input = createReadStream(inPath);
  const opened = once(input, "open").catch((error: unknown) => {
    const code = (error as { code?: string }).code ?? String(error);
    throw new InputError(`cannot read ${inPath} (${code}): check the path`);
  });
  await opened;
  const label = basename(inPath);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  const counts = { imported: 0, skipped: 0 };
  const batch = new ImportBatch(store, counts);
  try {
    for await (const raw of lines) {
      lineNumber++;
      const text = lineNumber === 1 && raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
      if (text.trim() === "") continue;
      batch.add(toPending(parseTranscriptLine(text, label, lineNumber)), text.length);
    }
  } catch (error) {
    // Lines before a bad one are kept, as when each line was stored on its own; the message says so.
    batch.flush();
    const kept =
      counts.imported + counts.skipped === 0
        ? ""
        : ` (the ${counts.imported + counts.skipped} lines before it are in the store; importing the fixed file skips them)`;
    const code = (error as { code?: string }).code;
    if (code === "EISDIR") throw new InputError(`${label}: a folder, not a file; pass one transcripts file`);
    // File-system read errors (EIO...) and a line over V8's string limit are input problems.
    if (typeof code === "string" && (/^E[A-Z]+$/.test(code) || code === "ERR_STRING_TOO_LONG"))
      throw new InputError(`${label}:${lineNumber + 1}: cannot read the file (${code})${kept}`);
    if (error instanceof InputError) throw new InputError(`${error.message}${kept}`);
    throw error;
  } finally {
    lines.close();
    input.destroy();
  }
  batch.flush();
  return counts;
}

/**
 * Imported lines waiting to be stored: looked up and written in groups (one lookup and one transaction
 * per group instead of per line), bounded by count and characters so memory stays flat.
 */
class ImportBatch {
  #entries: PendingAnswer[] = [];
  #characters = 0;
  readonly #store: Store;
  readonly #counts: { imported: number; skipped: number };
  constructor(store: Store, counts: { imported: number; skipped: number }) {
    this.#store = store;
    this.#counts = counts;
  }
  add(entry: PendingAnswer, characters: number): void {
    this.#entries.push(entry);
    this.#characters += characters;
    if (this.#entries.length >= 1000 || this.#characters >= 16_000_000) this.flush();
  }
  flush(): void {
    if (this.#entries.length === 0) return;
    const entries = this.#entries;
    this.#entries = [];
    this.#characters = 0;
    const stored = this.#store.findCachedMany(entries.map((entry) => entry.cacheKey));
    const fresh: PendingAnswer[] = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      if (stored.has(entry.cacheKey) || seen.has(entry.cacheKey)) this.#counts.skipped++;
      else {
        seen.add(entry.cacheKey);
        fresh.push(entry);
      }
    }
    this.#store.saveAnswers(null, fresh);
    this.#counts.imported += fresh.length;
  }
}

/** The store entry of one imported line. */
function toPending(line: TranscriptLine): PendingAnswer {
  const endpoint = line.endpoint ?? "imported";
  const parameters = line.parameters ?? {};
  const key = cacheKey({
    ...splitModelId(line.model),
    endpoint,
    messages: line.messages,
    parameters,
    sample: line.sample,
  });
  const answer: StoredAnswer = {
    id: line.id,
    sample: line.sample,
    model: line.model,
    endpoint,
    messages: line.messages,
    parameters,
    response: line.response,
    usage: line.usage,
    latencyMs: line.latencyMs,
    attempts: 0,
  };
  if (line.costUsd !== undefined) answer.costUsd = line.costUsd;
  if (line.finishReason !== undefined) answer.finishReason = line.finishReason;
  return { cacheKey: key, answer, attempts: [] };
}
