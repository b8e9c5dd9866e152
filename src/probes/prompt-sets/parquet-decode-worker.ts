/**
 * Worker side of `decodeParquetColumns`: decodes one Parquet file with hyparquet and posts the rows back.
 * It runs in a worker so that a decoder loop on crafted bytes can be stopped by terminating the thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import type { DecodeAnswer, DecodeRequest } from "./parquet-decode.ts";

/** Column chunks must lie between the leading magic and the footer; anything else is corruption. */
function chunkProblem(
  metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>,
  footerStart: number,
): string | undefined {
  for (const [groupIndex, group] of metadata.row_groups.entries())
    for (const column of group.columns) {
      const meta = column.meta_data;
      if (meta === undefined) continue;
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      if (!(start >= 4 && end <= footerStart && end > start))
        return `row group ${groupIndex} column "${meta.path_in_schema.join(".")}" lies outside the data area`;
    }
  return undefined;
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Text values are decoded strictly, as every other input is (src/corpus/utf8.ts): bytes that are not UTF-8
 * stop the read instead of reaching a model or a metric as U+FFFD. Only the data pages are read this
 * way; the footer's statistics may hold prefixes cut mid-character by the writer, and stay lenient.
 */
const strictParsers = {
  stringFromBytes(bytes: Uint8Array | undefined): string | undefined {
    if (bytes === undefined || bytes === null) return bytes;
    try {
      return strictDecoder.decode(bytes);
    } catch {
      throw new Error("a text value is not UTF-8; re-save the file with UTF-8 text");
    }
  },
};

async function decode(request: DecodeRequest): Promise<DecodeAnswer> {
  try {
    const file = await asyncBufferFromFile(request.path);
    const metadata = await parquetMetadataAsync(file);
    const problem = chunkProblem(metadata, request.footerStart);
    if (problem !== undefined) return { error: problem };
    // Top-level columns only: a nested field of the same name (messages.list.element.content) is not one.
    const fileColumns = parquetSchema(metadata).children.map((child) => child.element.name);
    const present = new Set(fileColumns);
    const found = request.columnChoices.find(
      (columns) => columns[0] !== undefined && present.has(columns[0]),
    );
    if (found === undefined && request.allowMissingColumns !== true)
      return {
        missingColumns: request.columnChoices.flatMap((columns) => columns.slice(0, 1)),
        fileColumns,
      };
    const choice = found ?? request.columnChoices.at(-1) ?? [];
    const columns = choice.filter((name) => present.has(name));
    if (request.rowRanges === undefined)
      return {
        rows: (await parquetReadObjects({ file, metadata, columns, parsers: strictParsers })) as Record<
          string,
          unknown
        >[],
      };
    const rows: Record<string, unknown>[] = [];
    for (const [rowStart, rowEnd] of request.rowRanges) {
      const part = await parquetReadObjects({
        file,
        metadata,
        columns,
        rowStart,
        rowEnd,
        parsers: strictParsers,
      });
      for (const row of part) rows.push(row as Record<string, unknown>);
    }
    return { rows };
  } catch (error) {
    return { error: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  }
}

parentPort?.postMessage(await decode(workerData as DecodeRequest));
