// biome-ignore-all lint/suspicious/noExplicitAny: provider wire JSON is untyped; every field read is checked at use
/**
 * replay:<file-or-dir>#<model>: answers from transcript JSONL files written by `collect`, looked up by
 * model and canonical messages (and sample). Files are streamed line by line on first use.
 */
import { createReadStream, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
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

/** The model name part of a recorded `model` field matches the wanted one (with or without provider). */
function modelMatches(recorded: string, wanted: string | undefined): boolean {
  if (wanted === undefined) return true;
  return recorded === wanted || recorded.endsWith(`:${wanted}`);
}

function transcriptFiles(path: string): string[] {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats)
    throw new Error(`replay: ${path} does not exist; give a transcripts .jsonl file or a directory of them`);
  if (stats.isFile()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .map((name) => join(path, name));
}

async function load(
  files: string[],
  wanted: string | undefined,
): Promise<Map<string, Map<number, Recorded>>> {
  const answers = new Map<string, Map<number, Recorded>>();
  for (const file of files) {
    const lines = createInterface({
      input: createReadStream(file, "utf8"),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      if (line.trim() === "") continue;
      let record: any;
      try {
        record = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof record?.response !== "string" || !Array.isArray(record.messages)) continue;
      if (!modelMatches(String(record.model ?? ""), wanted)) continue;
      const key = messagesKey(record.messages);
      let samples = answers.get(key);
      if (!samples) {
        samples = new Map();
        answers.set(key, samples);
      }
      const usage: Usage = {
        inputTokens: Number(record.usage?.inputTokens ?? 0),
        outputTokens: Number(record.usage?.outputTokens ?? 0),
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
  }
  return answers;
}

/** Creates a replay Model; `spec` is the part after "replay:" (path, optionally "#model"). */
export function createReplayModel(id: string, spec: string): Model {
  const hash = spec.lastIndexOf("#");
  const path = hash === -1 ? spec : spec.slice(0, hash);
  const wanted = hash === -1 ? undefined : spec.slice(hash + 1) || undefined;
  const files = transcriptFiles(path);
  const source = files.length === 1 ? files[0] : `${path} (${files.length} files)`;
  let loaded: Promise<Map<string, Map<number, Recorded>>> | undefined;
  const generate = async (request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> => {
    if (signal.aborted) return { ok: false, errorClass: "retryable", message: `${id}: request aborted` };
    loaded ??= load(files, wanted);
    const answers = await loaded;
    const samples = answers.get(messagesKey(request.messages));
    const sample = request.sample ?? 0;
    const recorded =
      samples?.get(sample) ?? (request.sample === undefined ? samples?.values().next().value : undefined);
    if (!recorded) {
      const first = (request.messages.at(-1)?.content ?? "").replace(/\s+/g, " ").slice(0, 60);
      return {
        ok: false,
        errorClass: "fatal",
        message: `${id}: no recorded answer in ${source} for${wanted ? ` model ${wanted},` : ""} sample ${sample}, prompt "${first}"`,
        fix: "--target",
      };
    }
    const result: GenerateResult = { ok: true, text: recorded.text, usage: recorded.usage };
    if (recorded.costUsd !== undefined) result.costUsd = recorded.costUsd;
    if (recorded.finishReason !== undefined) result.finishReason = recorded.finishReason;
    return result;
  };
  return { id, provider: "replay", model: wanted ?? path, endpoint: "replay", generate };
}
