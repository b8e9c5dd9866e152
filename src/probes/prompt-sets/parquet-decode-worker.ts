/**
 * Worker side of `decodeParquetColumns`: decodes one Parquet file with hyparquet and posts the rows back.
 * It runs in a worker so that a decoder loop on crafted bytes can be stopped by terminating the thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
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

async function decode(request: DecodeRequest): Promise<DecodeAnswer> {
  try {
    const file = await asyncBufferFromFile(request.path);
    const metadata = await parquetMetadataAsync(file);
    const problem = chunkProblem(metadata, request.footerStart);
    if (problem !== undefined) return { error: problem };
    const present = new Set(metadata.schema.map((element) => element.name));
    const choice =
      request.columnChoices.find((columns) => columns[0] !== undefined && present.has(columns[0])) ??
      request.columnChoices.at(-1) ??
      [];
    const columns = choice.filter((name) => present.has(name));
    if (request.rowRanges === undefined)
      return { rows: (await parquetReadObjects({ file, metadata, columns })) as Record<string, unknown>[] };
    const rows: Record<string, unknown>[] = [];
    for (const [rowStart, rowEnd] of request.rowRanges) {
      const part = await parquetReadObjects({ file, metadata, columns, rowStart, rowEnd });
      for (const row of part) rows.push(row as Record<string, unknown>);
    }
    return { rows };
  } catch (error) {
    return { error: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  }
}

parentPort?.postMessage(await decode(workerData as DecodeRequest));
