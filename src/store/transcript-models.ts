/**
 * The models a recorded transcript says answered, and where: each distinct `model` and `endpoint` pair
 * of its JSONL lines (`collect` and `transcripts export` write both), for results judged from
 * transcripts (`ice judge`) to record where the answers were asked. Lines without an `endpoint` (other
 * tools' files) add nothing; unreadable lines are left to the reader that judges the file. An ICE result
 * judged again gives the models its own `models` list says answered (not its judge: that is another run's).
 */
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { redactSecrets } from "../secrets/redact.ts";

/** More distinct pairs than this is not a transcript of a few models: the rest are not listed. */
const mostModels = 50;

export interface TranscriptModel {
  role: string;
  id: string;
  endpoint: string;
}

/** Distinct (model, endpoint) pairs of a JSONL transcript, in first-seen order, with `role` on each. */
export async function transcriptModels(file: string, role: string): Promise<TranscriptModel[]> {
  const found = new Map<string, TranscriptModel>();
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (found.size >= mostModels) break;
    if (!line.includes('"endpoint"')) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    const { model, endpoint } = (record ?? {}) as { model?: unknown; endpoint?: unknown };
    if (typeof model !== "string" || typeof endpoint !== "string" || model === "" || endpoint === "")
      continue;
    const key = `${model}\u0000${endpoint}`;
    if (!found.has(key))
      found.set(key, { role, id: redactSecrets(model), endpoint: redactSecrets(endpoint) });
  }
  lines.close();
  return [...found.values()];
}

/**
 * The models that answered what `ice judge` judges: from a JSONL transcript's lines, or from a judged
 * ICE result's `models` (all but its judge); none for formats that record no endpoint (lee2025).
 */
export async function answeringModels(file: string, format: string): Promise<TranscriptModel[]> {
  if (format === "jsonl") return transcriptModels(file, "target");
  if (format !== "ice-result") return [];
  let recorded: unknown;
  try {
    recorded = (JSON.parse(readFileSync(file, "utf8")) as { models?: unknown }).models;
  } catch {
    return [];
  }
  if (!Array.isArray(recorded)) return [];
  return recorded
    .flatMap((entry: unknown) => {
      const { role, id, endpoint } = (entry ?? {}) as Record<string, unknown>;
      if (
        typeof role !== "string" ||
        role === "judge" ||
        typeof id !== "string" ||
        typeof endpoint !== "string"
      )
        return [];
      return [{ role, id: redactSecrets(id), endpoint: redactSecrets(endpoint) }];
    })
    .slice(0, mostModels);
}

/**
 * The models of a lineage transcripts corpus and where their answers were asked, from its JSONL files'
 * lines: `candidate` for a candidate teacher, `student` for every other model.
 */
export async function corpusTranscriptModels(
  files: readonly string[],
  candidates: readonly string[],
): Promise<TranscriptModel[]> {
  const found = new Map<string, TranscriptModel>();
  for (const file of files)
    for (const entry of await transcriptModels(file, "student")) {
      const role = candidates.includes(entry.id) ? "candidate" : "student";
      const key = `${entry.id}\u0000${entry.endpoint}`;
      if (!found.has(key) && found.size < mostModels) found.set(key, { ...entry, role });
    }
  return [...found.values()];
}
