/**
 * Markdown tables of an RSE result, like the paper's Table 3 but with intervals: one row per reference,
 * one column per dataset plus the unweighted average; then the axes, then the paired comparisons.
 */
import type { AxisScores } from "../judges/similarity-embedded.ts";
import { axes } from "../judges/similarity-llm-judge.ts";
import type { Interval } from "../metrics/stats.ts";
import { pValueLabel } from "../report/number-format.ts";
import { promptSetNotes } from "../report/prompt-set-note.ts";
import { terminalSafeLine } from "../text/terminal-text.ts";
import type { RseResult } from "./run.ts";

/** Makes text safe inside a Markdown table cell and on a terminal (names come from files and flags). */
function cell(text: string): string {
  // Markdown escapes first: the visible \uXXXX escapes of terminal controls must stay as they are.
  return terminalSafeLine(
    text.replace(/\s+/g, " ").replace(/[\\|`*_<>[\]]/g, (character) => `\\${character}`),
  );
}

function withInterval(value: number, interval: Interval): string {
  if (!Number.isFinite(value)) return "n/a";
  let bounds = "";
  if (Number.isFinite(interval.low)) bounds = ` [${interval.low.toFixed(2)}, ${interval.high.toFixed(2)}]`;
  else if (interval.note?.startsWith("too few conversations")) bounds = " [n/a (too few conversations)]";
  return `${value.toFixed(3)}${bounds}`;
}

/** Marks an interval that excludes 0 beside a test that is not significant (the two disagree). */
const disagreementMark = "†";

function excludesZero(interval: Interval): boolean {
  return interval.low > 0 || interval.high < 0;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/**
 * Why turns have no answer, by the class their error starts with ("too_long: ...", "not asked: ..."):
 * " (retryable: 2, too_long: 1)", so that the line says what to look for in `failures.collection`.
 */
function failureKinds(result: RseResult): string {
  const counts = new Map<string, number>();
  for (const failure of result.failures.collection) {
    const kind = /^([a-z_ ]+):/.exec(failure.error)?.[1] ?? "other";
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  if (counts.size === 0) return "";
  return ` (${[...counts].map(([kind, count]) => `${kind}: ${count}`).join(", ")})`;
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
  lines.push(
    "",
    "Axes (average over datasets; n = turns scored against the reference)",
    "",
    row(["Reference", ...axes, "n", "judge errors"]),
  );
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
    const alpha = result.alpha;
    let marked = false;
    for (const comparison of result.comparisons) {
      lines.push(
        row([
          cell(comparison.first),
          cell(comparison.second),
          ...axes.map((axis) => {
            const entry = comparison.axes[axis];
            const disagree = excludesZero(entry.interval) && !(entry.pValueHolm < alpha);
            if (disagree) marked = true;
            return `${withInterval(entry.difference, entry.interval)} (${pValueLabel(entry.pValueHolm)})${disagree ? ` ${disagreementMark}` : ""}`;
          }),
          comparison.nearer === null ? "neither (not significant)" : cell(comparison.nearer),
        ]),
      );
    }
    if (marked)
      lines.push(
        "",
        `${disagreementMark} The bootstrap interval excludes 0 but the Holm-adjusted test is not significant ` +
          `(p >= ${alpha}): few conversations, or many tests. Trust the test: the difference is not established.`,
      );
  }
  if (result.positionBias !== undefined && result.positionBias.n > 0) {
    const bias = result.positionBias;
    lines.push(
      "",
      `Judge position bias (target shown first minus second, overall; cancelled by averaging both orders): ${withInterval(bias.difference, bias.interval)} over ${bias.n} items`,
    );
  }
  const failed = result.failures.collection.length;
  const empty = result.failures.emptyAnswers.length;
  if (failed > 0 || empty > 0 || result.failures.judge > 0)
    lines.push(
      "",
      `Not scored: ${failed} turn(s) without an answer${failureKinds(result)}, ${empty} empty answer(s), ${result.failures.judge} judge error(s).`,
    );
  // Records a loader could not use (a ShareGPT conversation without a human turn...) are left out, and
  // records kept in part (a conversation cut at a system turn after a human turn): say so.
  for (const line of promptSetNotes(result.prompts ?? [], { name: cell })) lines.push("", line);
  const silent = Object.entries(result.answerCounts).filter(
    ([, count]) => count.turns > 0 && count.answered === 0,
  );
  for (const [model, count] of silent)
    lines.push(
      `${cell(model)} gave no usable answer to any of its ${count.turns} turn(s): nothing measured against it.`,
    );
  return `${lines.join("\n")}\n`;
}
