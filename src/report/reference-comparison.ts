/**
 * The "compared with published figures" part of the ICE section: for every ICE target whose result
 * carries `referenceFigures`, the published figure, the figure recomputed from the source's files and
 * ours, and the mean absolute difference between ours and each. Both reports draw it from here, so
 * the Markdown and the HTML always show the same numbers.
 */
import { formatScore, missingValue } from "./number-format.ts";
import type { IceMetric, IceReferenceView, IceView } from "./report-model.ts";
import { iceMetrics } from "./report-model.ts";

export interface ReferenceComparisonRow {
  view: IceView;
  reference: IceReferenceView;
  /** 1-based position of the row's source in `sources`. */
  sourceNumber: number;
}

/** Mean |ours - theirs| over the targets that have both numbers, and how many targets that is. */
export interface MeanDifference {
  mean: number;
  targets: number;
}

export interface ReferenceComparison {
  rows: ReferenceComparisonRow[];
  /** Distinct sources, in the order rows first name them. */
  sources: string[];
  /** Distinct notes, in the order rows first give them. */
  notes: string[];
  /** Against the published figures and against the recomputed ones; NaN mean where no target has both. */
  meanDifference: Record<"published" | "recomputed", Record<IceMetric, MeanDifference>>;
}

function meanDifference(rows: readonly ReferenceComparisonRow[], kind: "published" | "recomputed") {
  const result = {} as Record<IceMetric, MeanDifference>;
  for (const metric of iceMetrics) {
    const differences = rows
      .map((row) => Math.abs(row.view.scores[metric] - row.reference[kind][metric]))
      .filter((difference) => Number.isFinite(difference));
    result[metric] = {
      mean:
        differences.length === 0
          ? Number.NaN
          : differences.reduce((sum, difference) => sum + difference, 0) / differences.length,
      targets: differences.length,
    };
  }
  return result;
}

/** The comparison, or undefined when no ICE result carries reference figures. */
export function referenceComparison(views: readonly IceView[]): ReferenceComparison | undefined {
  const sources: string[] = [];
  const notes: string[] = [];
  const rows: ReferenceComparisonRow[] = [];
  for (const view of views) {
    const reference = view.reference;
    if (reference === undefined) continue;
    if (!sources.includes(reference.source)) sources.push(reference.source);
    if (reference.note !== undefined && !notes.includes(reference.note)) notes.push(reference.note);
    rows.push({ view, reference, sourceNumber: sources.indexOf(reference.source) + 1 });
  }
  if (rows.length === 0) return undefined;
  return {
    rows,
    sources,
    notes,
    meanDifference: {
      published: meanDifference(rows, "published"),
      recomputed: meanDifference(rows, "recomputed"),
    },
  };
}

/** The source's name for the target, when it has one that differs from ours. */
export function sourceTargetLabel(row: ReferenceComparisonRow): string | undefined {
  const theirs = row.reference.label;
  return theirs === undefined || theirs === row.view.label ? undefined : theirs;
}

/** The target as the Markdown table names it: ours, then the source's name in brackets when it differs. */
export function comparedTargetLabel(row: ReferenceComparisonRow): string {
  const theirs = sourceTargetLabel(row);
  return theirs === undefined ? row.view.label : `${row.view.label} (${theirs})`;
}

/**
 * "Mean |ours - recomputed|: loose 0.056 (9 targets), strict ..."; undefined when no target has both
 * numbers for any metric. Numbers only, so it is safe as is in either report.
 */
export function meanDifferenceLine(
  comparison: ReferenceComparison,
  kind: "published" | "recomputed",
): string | undefined {
  const means = comparison.meanDifference[kind];
  if (iceMetrics.every((metric) => means[metric].targets === 0)) return undefined;
  const parts = iceMetrics.map((metric) => {
    const { mean, targets } = means[metric];
    return targets === 0
      ? `${metric} ${missingValue}`
      : `${metric} ${formatScore(mean, 3)} (${targets} target${targets === 1 ? "" : "s"})`;
  });
  return `Mean |ours - ${kind}|: ${parts.join(", ")}`;
}

/** The heading and the sentence that say what each column is; shared by both reports. */
export const referenceComparisonTitle = "Compared with published figures";
export const referenceComparisonExplanation =
  "Figures another study published for the same targets, beside ours; when it scored the same answers (as the paper behind the demo did), a small difference means our judge agrees with its judges. published = the figure as the study prints it; recomputed = the study's own verdicts counted again from the files it released (more digits than a printed figure); ours = this report's score with its 95% interval. A dash: the study has no such figure. The study's name for a target is in brackets after ours; the Source column numbers the study's figure or table, listed under the table.";
