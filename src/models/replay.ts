// biome-ignore-all lint/suspicious/noExplicitAny: provider wire JSON is untyped; every field read is checked at use
/**
 * replay:<file-or-dir>#<model>: answers from transcript JSONL files written by `collect`, looked up by
 * model and canonical messages (and sample). Files are streamed line by line on first use.
 */
import { createReadStream, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { modelMatches } from "./model-matches.ts";
import type { GenerateRequest, GenerateResult, Model, Usage } from "./types.ts";

interface Recorded {
  text: string;
  usage: Usage;
  costUsd?: number;
  finishReason?: string;
}

function messagesKey(messages: ReadonlyArray<{ role: string; content: string }>): string {
  return JSON.stringify(messages.map((message) => [message.role, message.content]));
}

/** The transcript files a replay source reads: the file itself, or every `*.jsonl` in the folder. */
export function transcriptFiles(path: string): string[] {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats)
    throw new Error(`replay: ${path} does not exist; give a transcripts .jsonl file or a directory of them`);
  if (stats.isFile()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .map((name) => join(path, name));
}

/** What a replay source holds: answers by messages and sample, plus the lines that could not be used. */
export interface ReplayAnswers {
  answers: Map<string, Map<number, Recorded>>;
  /** Lines that were not a transcript line (bad JSON, no `response` or `messages`). */
  malformedLines: number;
  /** `file:line` of the first such line. */
  firstMalformed?: string;
  /** Every model the transcript lines name, wanted or not (a file with several needs `#model`). */
  models: Set<string>;
}

/**
 * Streams transcript files line by line (never whole) into a lookup of answers. A line that is not a
 * transcript line is counted and skipped (a run killed mid-write leaves a cut last line); a file that
 * cannot be read is an Error naming it.
 */
export async function loadReplayAnswers(files: string[], wanted: string | undefined): Promise<ReplayAnswers> {
  const loaded: ReplayAnswers = { answers: new Map(), malformedLines: 0, models: new Set() };
  const { answers } = loaded;
  for (const file of files) {
    const input = createReadStream(file, "utf8");
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let lineNumber = 0;
    const malformed = () => {
      loaded.malformedLines++;
      loaded.firstMalformed ??= `${file}:${lineNumber}`;
    };
    try {
      for await (const raw of lines) {
        lineNumber++;
        const line = lineNumber === 1 && raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
        if (line.trim() === "") continue;
        let record: any;
        try {
          record = JSON.parse(line);
        } catch {
          malformed();
          continue;
        }
        if (
          typeof record?.response !== "string" ||
          !Array.isArray(record.messages) ||
          !record.messages.every(
            (message: any) => typeof message?.role === "string" && typeof message.content === "string",
          )
        ) {
          malformed();
          continue;
        }
        const model = String(record.model ?? "");
        if (model !== "") loaded.models.add(model);
        if (wanted !== undefined && !modelMatches(model, wanted)) continue;
        const key = messagesKey(record.messages);
        let samples = answers.get(key);
        if (!samples) {
          samples = new Map();
          answers.set(key, samples);
        }
        const usage: Usage = {
          inputTokens: Number(record.usage?.inputTokens ?? 0) || 0,
          outputTokens: Number(record.usage?.outputTokens ?? 0) || 0,
        };
        if (typeof record.usage?.cachedInputTokens === "number")
          usage.cachedInputTokens = record.usage.cachedInputTokens;
        if (typeof record.usage?.reasoningTokens === "number")
          usage.reasoningTokens = record.usage.reasoningTokens;
        const recorded: Recorded = { text: record.response, usage };
        if (typeof record.costUsd === "number") recorded.costUsd = record.costUsd;
        if (typeof record.finishReason === "string") recorded.finishReason = record.finishReason;
        const sample = Number.isInteger(record.sample) ? (record.sample as number) : 0;
        if (!samples.has(sample)) samples.set(sample, recorded);
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).message;
      throw new Error(`replay: cannot read ${file} at line ${lineNumber + 1} (${code})`);
    } finally {
      lines.close();
      input.destroy();
    }
  }
  return loaded;
}

function skippedNote(replay: ReplayAnswers): string {
  if (replay.malformedLines === 0) return "";
  return ` (${replay.malformedLines} unusable line(s) skipped, first at ${replay.firstMalformed})`;
}

/**
 * Creates a replay Model; `spec` is the part after "replay:" (path, optionally "#model"). `modelFlag` is
 * the flag that names it, given as the fix when an answer is missing (e.g. "--judge" for a judge).
 */
export function createReplayModel(id: string, spec: string, modelFlag = "--target"): Model {
  const hash = spec.lastIndexOf("#");
  const path = hash === -1 ? spec : spec.slice(0, hash);
  const wanted = hash === -1 ? undefined : spec.slice(hash + 1) || undefined;
  const files = transcriptFiles(path);
  const source = files.length === 1 ? files[0] : `${path} (${files.length} files)`;
  let loaded: Promise<ReplayAnswers> | undefined;
  const generate = async (request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> => {
    if (signal.aborted) return { ok: false, errorClass: "retryable", message: `${id}: request aborted` };
    loaded ??= loadReplayAnswers(files, wanted);
    let replay: ReplayAnswers;
    try {
      replay = await loaded;
    } catch (error) {
      return {
        ok: false,
        errorClass: "fatal",
        message: `${id}: ${(error as Error).message}`,
        fix: modelFlag,
      };
    }
    if (wanted === undefined && replay.models.size > 1) {
      const models = [...replay.models].sort();
      const shown = models.length > 5 ? [...models.slice(0, 5), `${models.length - 5} more`] : models;
      return {
        ok: false,
        errorClass: "fatal",
        message:
          `${id}: the ${files.length === 1 && files[0] === path ? "file" : "folder"} holds ${models.length} models ` +
          `(${shown.join(", ")}); add #<model> to ${modelFlag}, e.g. ${id}#${models[0]}`,
        fix: modelFlag,
      };
    }
    const samples = replay.answers.get(messagesKey(request.messages));
    // A request that names its sample (collect's repeated sampling) gets exactly that recorded sample,
    // and a sample never recorded is fatal. A request without one (a judge's retry, a single probe) takes
    // sample 0, else the first one recorded for these messages.
    const sample = request.sample ?? 0;
    const recorded =
      samples?.get(sample) ?? (request.sample === undefined ? samples?.values().next().value : undefined);
    if (!recorded) {
      const first = (request.messages.at(-1)?.content ?? "").replace(/\s+/g, " ").slice(0, 60);
      return {
        ok: false,
        errorClass: "fatal",
        message: `${id}: no recorded answer in ${source} for${wanted ? ` model ${wanted},` : ""} sample ${sample}, prompt "${first}"${skippedNote(replay)}`,
        fix: modelFlag,
      };
    }
    const result: GenerateResult = { ok: true, text: recorded.text, usage: recorded.usage };
    if (recorded.costUsd !== undefined) result.costUsd = recorded.costUsd;
    if (recorded.finishReason !== undefined) result.finishReason = recorded.finishReason;
    return result;
  };
  // Not cached: replay is local and free, and its answers must follow the file (an edited transcript, or a
  // store filled by an older replay) rather than what an earlier run stored.
  return { id, provider: "replay", model: wanted ?? path, endpoint: "replay", cacheable: false, generate };
}
