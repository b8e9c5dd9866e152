/**
 * The data block embedded in the HTML report: every prompt and answer behind every score, with each
 * distinct string stored once (templates and queries repeat across thousands of ICE items), so the
 * drill-down can show them verbatim without bloating the file.
 */
import { gzipSync } from "node:zlib";
import { formatPValue, roundScore } from "./number-format.ts";
import type { ReportModel } from "./report-model.ts";

/** Bit flags of an ICE item in the data block. */
export const iceFlags = { loose: 1, strict: 2, hard: 4, notJudged: 8 } as const;

/** Drill-down keys: what a click on a score opens. */
export const drillKeys = {
  ice: (target: number, metric: "loose" | "strict" | "hard" | "all") => `ice/${target}/${metric}`,
  rse: (target: number, dataset: number | "all") => `rse/${target}/${dataset}`,
  lineagePair: (lineage: number, row: number, column: number) => `pair/${lineage}/${row}/${column}`,
  attribution: (lineage: number, attribution: number) => `attribution/${lineage}/${attribution}`,
};

/** Which drill key each clickable chart element opens: chart id -> series index -> data index -> key. */
export type ChartDrillMap = Record<string, Record<number, Array<string | null>>>;

export interface ReportData {
  version: 1;
  /**
   * Every distinct string once; other fields refer to strings by position. Large tables are stored as
   * the gzip of their JSON, in base64 (see `compressStrings`).
   */
  strings: string[] | { gzipBase64: string };
  ice: Array<{
    label: string;
    /**
     * Six numbers per item: index, template (-1 if none), query, response, flags, details (-1 if
     * none: claims found and judge errors).
     */
    items: number[];
  }>;
  rse: Array<{
    label: string;
    datasets: string[];
    /** Per item: [dataset (-1 if none), reference (-1), prompt, target response, reference response, overall (3 decimals) or null]. */
    items: Array<[number, number, number, number, number, number | null]>;
  }>;
  lineage: Array<{
    label: string;
    rows: string[];
    columns: string[];
    /** Similarities rounded to 3 decimals. */
    values: Array<Array<number | null>>;
    /** Per example: [model A, model B, prompt, response A, response B] as string positions. */
    examples: Array<[number, number, number, number, number]>;
    attributions: Array<{
      model: string;
      teacher: string | null;
      /** As the report writes p-values (`formatPValue`: "0.0266", "< 0.001", "n/a"); "not tested" when no test could be made. */
      pValue: string;
      /** Scores rounded to 3 decimals, as the tables show them. */
      ranking: Array<[string, number | null]>;
    }>;
  }>;
  charts: ChartDrillMap;
}

/** Interns strings: the same text always gets the same position. */
export class StringTable {
  readonly strings: string[] = [];
  readonly #positions = new Map<string, number>();

  intern(text: string): number {
    const known = this.#positions.get(text);
    if (known !== undefined) return known;
    const position = this.strings.length;
    this.strings.push(text);
    this.#positions.set(text, position);
    return position;
  }
}

function claimsSummary(claims: unknown[] | undefined): string | undefined {
  if (!claims || claims.length === 0) return undefined;
  return claims
    .map((claim) => {
      const record = (typeof claim === "object" && claim !== null ? claim : {}) as Record<string, unknown>;
      const developer = record.developer ?? record.identity ?? record.key ?? "?";
      const words = record.words ?? record.text ?? record.match ?? "";
      const kind = record.kind ?? record.stance ?? record.voice ?? "";
      const counted = record.counted === false ? ", not counted" : "";
      return `${String(developer)}: "${String(words)}"${kind ? ` (${String(kind)}${counted})` : ""}`;
    })
    .join("; ");
}

/** Builds the embedded data block from the report views and the charts' drill maps. */
export function buildReportData(model: ReportModel, charts: ChartDrillMap): ReportData {
  const table = new StringTable();
  const ice = model.ice.map((view) => {
    const items: number[] = [];
    for (const item of view.items) {
      const flags =
        (item.loose ? iceFlags.loose : 0) |
        (item.strict ? iceFlags.strict : 0) |
        (item.hard ? iceFlags.hard : 0) |
        (item.loose === null ? iceFlags.notJudged : 0);
      const details = [
        claimsSummary(item.claims),
        item.judgeError ? `judge error: ${item.judgeError}` : undefined,
      ]
        .filter((part) => part !== undefined)
        .join("\n");
      items.push(
        item.index,
        item.template === null ? -1 : table.intern(item.template),
        table.intern(item.query),
        table.intern(item.response),
        flags,
        details === "" ? -1 : table.intern(details),
      );
    }
    return { label: view.label, items };
  });
  const rse = model.rse.map((view) => {
    const datasets = view.datasets.map((dataset) => dataset.name);
    for (const item of view.items)
      if (item.dataset !== undefined && !datasets.includes(item.dataset)) datasets.push(item.dataset);
    return {
      label: view.label,
      datasets,
      items: view.items.map((item): [number, number, number, number, number, number | null] => [
        item.dataset === undefined ? -1 : datasets.indexOf(item.dataset),
        item.reference === undefined ? -1 : table.intern(item.reference),
        table.intern(item.prompt),
        table.intern(item.targetResponse),
        table.intern(item.referenceResponse),
        item.overall === undefined ? null : roundScore(item.overall),
      ]),
    };
  });
  const lineage = model.lineage.map((view) => ({
    label: view.label,
    rows: view.matrix.rows,
    columns: view.matrix.columns,
    values: view.matrix.values.map((row) => row.map((value) => roundScore(value))),
    examples: view.examples.map((example): [number, number, number, number, number] => [
      table.intern(example.modelA),
      table.intern(example.modelB),
      table.intern(example.prompt),
      table.intern(example.responseA),
      table.intern(example.responseB),
    ]),
    attributions: view.attributions.map((attribution) => ({
      model: attribution.model,
      teacher: attribution.teacher,
      pValue: attribution.untested ? "not tested" : formatPValue(attribution.pValue),
      ranking: attribution.ranking.map((entry): [string, number | null] => [
        entry.candidate,
        roundScore(entry.score),
      ]),
    })),
  }));
  return { version: 1, strings: table.strings, ice, rse, lineage, charts };
}

/** String tables larger than this (bytes of JSON) are gzip-compressed in the report. */
export const compressionThresholdBytes = 1_000_000;

/** Compresses the data block's string table when it is large; small tables stay readable JSON. */
export function compressStrings(data: ReportData, thresholdBytes = compressionThresholdBytes): ReportData {
  if (!Array.isArray(data.strings)) return data;
  const json = JSON.stringify(data.strings);
  if (Buffer.byteLength(json, "utf8") <= thresholdBytes) return data;
  return { ...data, strings: { gzipBase64: gzipSync(json).toString("base64") } };
}
