/**
 * Decodes a Parquet file safely: a cheap structural check first, then hyparquet in a worker thread under
 * a time limit scaled to the file size. A third-party decoder can loop forever on crafted bytes; here
 * that ends with an InputError naming the file instead of a hang.
 */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { InputError } from "../../errors.ts";
import { checkParquetStructure } from "./parquet-structure.ts";

/** What the worker is asked to do. */
export interface DecodeRequest {
  path: string;
  footerStart: number;
  /** Column sets in order of preference: the first set whose first column exists is read. */
  columnChoices: string[][];
  /** Only these row ranges (0-based, end exclusive), their rows concatenated in order; all rows when absent. */
  rowRanges?: Array<[number, number]>;
  /** When no choice's first column exists: rows without those columns (true), or the columns the file has. */
  allowMissingColumns?: boolean;
}

/** What the worker answers: rows, a decoding error, or the file's columns when none of the choices is there. */
export type DecodeAnswer =
  | { rows: Record<string, unknown>[] }
  | { error: string }
  | { missingColumns: string[]; fileColumns: string[] };

export interface DecodeOptions {
  /** Overrides the size-scaled limit (tests). */
  timeLimitMs?: number;
  /** Read only these row ranges (0-based, end exclusive); see `DecodeRequest.rowRanges`. */
  rowRanges?: Array<[number, number]>;
  /** See `DecodeRequest.allowMissingColumns`; by default a file with none of the columns is an InputError. */
  allowMissingColumns?: boolean;
}

const bytesPerExtraSecond = 10_000_000;

/** 10 s plus 1 s per started 10 MB of file. */
export function decodeTimeLimitMs(sizeBytes: number): number {
  return 10_000 + 1_000 * Math.ceil(sizeBytes / bytesPerExtraSecond);
}

const hint = "give a NuminaMath .parquet or .jsonl file";
// The worker module sits beside this one, with the same extension (`.ts` from source, `.js` once built).
const workerUrl = new URL(
  `./parquet-decode-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/** Reads the chosen columns of `path` as row objects; throws an InputError for any corrupt file. */
export async function decodeParquetColumns(
  path: string,
  columnChoices: string[][],
  options: DecodeOptions = {},
): Promise<Record<string, unknown>[]> {
  const layout = await checkParquetStructure(path);
  const timeLimitMs = options.timeLimitMs ?? decodeTimeLimitMs(layout.size);
  const request: DecodeRequest = {
    path,
    footerStart: layout.footerStart,
    columnChoices,
    ...(options.rowRanges ? { rowRanges: options.rowRanges } : {}),
    ...(options.allowMissingColumns === true ? { allowMissingColumns: true } : {}),
  };
  const worker = new Worker(workerUrl, { workerData: request });
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await new Promise<DecodeAnswer | "timeout">((resolve, reject) => {
      timer = setTimeout(() => resolve("timeout"), timeLimitMs);
      worker.once("message", resolve);
      worker.once("error", (error) => resolve({ error: error.message.split("\n")[0] ?? String(error) }));
      worker.once("exit", (code) =>
        reject(new InputError(`${path}: Parquet decoder stopped (exit ${code}); ${hint}`)),
      );
    });
    if (answer === "timeout") {
      const seconds = Math.round(timeLimitMs / 100) / 10;
      throw new InputError(
        `could not decode ${path} as Parquet within ${seconds} s (corrupt file?); ${hint}`,
      );
    }
    if ("error" in answer) throw new InputError(`${path}: cannot read as Parquet (${answer.error}); ${hint}`);
    if ("missingColumns" in answer) {
      const wanted = answer.missingColumns.map((name) => JSON.stringify(name)).join(" or ");
      const has = answer.fileColumns.length > 0 ? answer.fileColumns.join(", ") : "none";
      throw new InputError(
        `${path}: no column ${wanted} (the file's columns: ${has}); ` +
          `name the column that holds the prompts ${JSON.stringify(answer.missingColumns[0])}, or ${hint}`,
      );
    }
    return answer.rows;
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
