/**
 * Markdown tables of an RSE result, like the paper's Table 3 but with intervals: one row per reference,
 * one column per dataset plus the unweighted average; then the axes, then the paired comparisons.
 */
import type { AxisScores } from "../judges/similarity-embedded.ts";
import { axes } from "../judges/similarity-llm-judge.ts";
import type { Interval } from "../metrics/stats.ts";
import type { RseResult } from "./run.ts";

/** Makes text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/[\\|`*_<>[\]]/g, (character) => `\\${character}`).replace(/\s+/g, " ");
}

function withInterval(value: number, interval: Interval): string {
  if (!Number.isFinite(value)) return "n/a";
  const bounds = Number.isFinite(interval.low)
    ? ` [${interval.low.toFixed(2)}, ${interval.high.toFixed(2)}]`
    : "";
  return `${value.toFixed(3)}${bounds}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** Renders the result's tables as Markdown. */
export function renderRseTables(result: RseResult): string {
  const datasets = Object.keys(result.datasets);
  const lines: string[] = [];
  lines.push(
    `RSE of ${cell(result.target)} (judge: ${cell(result.judge)}; 1-5, 5 = same answers; 95% intervals, clustered by conversation)`,
    "",
    "Overall similarity per dataset",
    "",
    row(["Reference", ...datasets.map(cell), "Avg"]),
    row(["---", ...datasets.map(() => "---"), "---"]),
  );
  for (const reference of result.references) {
    const summary = result.byReference[reference]!;
    lines.push(
      row([
        cell(reference),
        ...datasets.map((name) => {
          const entry = result.datasets[name]!.references[reference]!;
          return withInterval(entry.scores.overall, entry.intervals.overall);
        }),
        withInterval(summary.scores.overall, summary.intervals.overall),
      ]),
    );
  }
  lines.push("", "Axes (average over datasets)", "", row(["Reference", ...axes, "n", "judge errors"]));
  lines.push(row(["---", ...axes.map(() => "---"), "---", "---"]));
  for (const reference of result.references) {
    const summary = result.byReference[reference]!;
    lines.push(
      row([
        cell(reference),
        ...axes.map((axis) =>
          withInterval(summary.scores[axis as keyof AxisScores], summary.intervals[axis]),
        ),
        String(summary.n),
        String(summary.judgeErrors),
      ]),
    );
  }
  if (result.comparisons.length > 0) {
    lines.push(
      "",
      "Paired comparisons (mean over conversations of similarity to first minus to second; two-sided sign-flip p, Holm-adjusted)",
      "",
      row(["First", "Second", ...axes.map((axis) => `${axis} difference (p)`), "nearer"]),
      row(["---", "---", ...axes.map(() => "---"), "---"]),
    );
    for (const comparison of result.comparisons) {
      lines.push(
        row([
          cell(comparison.first),
          cell(comparison.second),
          ...axes.map((axis) => {
            const entry = comparison.axes[axis];
            return `${withInterval(entry.difference, entry.interval)} (p=${entry.pValueHolm.toPrecision(2)})`;
          }),
          comparison.nearer === null ? "neither (not significant)" : cell(comparison.nearer),
        ]),
      );
    }
  }
  if (result.positionBias !== undefined && result.positionBias.n > 0) {
    const bias = result.positionBias;
    lines.push(
      "",
      `Judge position bias (target shown first minus second, overall; cancelled by averaging both orders): ${withInterval(bias.difference, bias.interval)} over ${bias.n} items`,
    );
  }
  const failed = result.failures.collection.length;
  if (failed > 0 || result.failures.judge > 0)
    lines.push(
      "",
      `Not scored: ${failed} turn(s) without an answer, ${result.failures.judge} judge error(s).`,
    );
  return `${lines.join("\n")}\n`;
}
