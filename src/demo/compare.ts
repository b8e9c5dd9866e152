/**
 * The demo's comparison table: for each of the paper's targets, the published ICE figures, the
 * paper's own verdicts recomputed from its files, and our re-judging of the same answers, with the
 * 95% intervals of ours. Plain Markdown so it reads in a terminal, a CI log or a pull request.
 */

import type { PublishedIce } from "./paper-figures.ts";
import type { PaperFileScores } from "./paper-verdicts.ts";

export interface ScoreWithInterval {
  value: number;
  low?: number;
  high?: number;
}

export interface ComparisonRow {
  /** The paper's label of the target. */
  label: string;
  /** Developer key the answers were judged against. */
  identity: string;
  n: number;
  published?: PublishedIce;
  paperFile: PaperFileScores;
  ours: { loose: ScoreWithInterval; strict: ScoreWithInterval; hard: ScoreWithInterval };
}

const metrics = ["loose", "strict", "hard"] as const;

function formatNumber(value: number | undefined, digits: number): string {
  return value === undefined ? "-" : value.toFixed(digits);
}

function formatOurs(score: ScoreWithInterval): string {
  const interval =
    score.low !== undefined && score.high !== undefined
      ? ` [${score.low.toFixed(3)}, ${score.high.toFixed(3)}]`
      : "";
  return `${score.value.toFixed(3)}${interval}`;
}

/** Markdown table: one row per target, published / recomputed from the paper's files / ours, for loose, strict and hard (the report's words). */
export function comparisonTable(rows: readonly ComparisonRow[]): string {
  const header = [
    "Target",
    "n",
    ...metrics.flatMap((metric) => [
      `${metric} published`,
      `${metric} recomputed`,
      `${metric} ours [95% CI]`,
    ]),
  ];
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, index) => (index < 1 ? "---" : "---:")).join("|")}|`,
  ];
  for (const row of rows) {
    const cells = [
      `${row.label} (${row.identity})`,
      String(row.n),
      ...metrics.flatMap((metric) => [
        formatNumber(row.published?.[metric], metric === "loose" ? 2 : 3),
        formatNumber(row.paperFile[metric], 3),
        formatOurs(row.ours[metric]),
      ]),
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** Mean absolute difference between our scores and the paper's file verdicts, per metric. */
export function agreementSummary(
  rows: readonly ComparisonRow[],
): Record<(typeof metrics)[number], number | undefined> {
  const summary = {} as Record<(typeof metrics)[number], number | undefined>;
  for (const metric of metrics) {
    const differences = rows
      .filter((row) => row.paperFile[metric] !== undefined)
      .map((row) => Math.abs(row.ours[metric].value - (row.paperFile[metric] as number)));
    summary[metric] =
      differences.length === 0
        ? undefined
        : differences.reduce((sum, value) => sum + value, 0) / differences.length;
  }
  return summary;
}
