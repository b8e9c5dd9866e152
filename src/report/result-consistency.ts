/**
 * Do a result's headline figures follow from its own evidence? A result file carries its items (every
 * judged answer) beside the scores computed from them; a report shows both. A hand-edited or damaged file
 * whose scores no longer match its items would make a report that contradicts itself, so the figures
 * that are plain functions of the items are computed again here and compared:
 *
 * - ice: `n` (judged items), the loose / strict / hard rates (over items with a verdict) and `counts`;
 *   every item with `hard` true must be `strict` true (hard is strict on rows that name no vendor).
 * - rse: for the primary reference, `n` and the four axis scores (the unweighted mean over datasets of
 *   each dataset's pooled item mean, as src/metrics/rse.ts computes them), and every dataset's `n` and
 *   scores where the result lists them.
 * - lineage: a named teacher is one of the candidates and the top of the student's ranking; the
 *   attribution's p-value is its top candidate's; with `method.alpha`, a teacher is named exactly when
 *   that p-value is below it.
 *
 * A result without items (written by hand, or with its items cut out to share it) has nothing to
 * contradict its scores and is not checked; the report then has no drill-down either.
 * Intervals and p-values from resampling are not recomputed (they need the seed and the resampling
 * scheme, and an older version may have used another); neither is any judge's verdict.
 */
import type { IceResult, LineageResult, ReportableResult, RseResult } from "./result-schema.ts";

/** Two figures agree within this (sums in a different order differ in the last bits). */
const tolerance = 1e-9;

const iceMetrics = ["loose", "strict", "hard"] as const;
const rseAxes = ["overall", "style", "logic", "content"] as const;

function sameFigure(stated: unknown, computed: number): boolean {
  if (Number.isNaN(computed)) return stated === null || (typeof stated === "number" && Number.isNaN(stated));
  return typeof stated === "number" && Math.abs(stated - computed) <= tolerance;
}

function shown(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return JSON.stringify(value) ?? "missing";
}

function computedShown(value: number): string {
  return Number.isNaN(value) ? "none (nothing judged)" : shown(value);
}

function disagreement(field: string, stated: unknown, computed: number, from: string): string {
  return `${field} is ${shown(stated)} but ${from} give ${computedShown(computed)}`;
}

function iceDisagreements(result: IceResult): string[] {
  const found: string[] = [];
  const items = result.items;
  const judged = items.filter((item) => item.loose !== null).length;
  const from = `its ${items.length} items`;
  if (result.n !== judged) found.push(disagreement("n", result.n, judged, from));
  const counts = (result as { counts?: Record<string, unknown> }).counts;
  for (const metric of iceMetrics) {
    const scored = items.filter((item) => item[metric] !== null);
    const positive = scored.filter((item) => item[metric] === true).length;
    const rate = scored.length === 0 ? Number.NaN : positive / scored.length;
    if (!sameFigure(result.scores[metric], rate))
      found.push(disagreement(`scores.${metric}`, result.scores[metric], rate, from));
    if (counts !== undefined && counts[metric] !== undefined && counts[metric] !== positive)
      found.push(disagreement(`counts.${metric}`, counts[metric], positive, from));
  }
  const hardNotStrict = items.filter((item) => item.hard === true && item.strict !== true);
  if (hardNotStrict.length > 0)
    found.push(
      `item ${hardNotStrict[0]!.index} is hard but not strict (hard counts strict answers only; ${hardNotStrict.length} such items)`,
    );
  return found;
}

interface RseItemFigures {
  dataset: string;
  reference: string;
  scores: Record<(typeof rseAxes)[number], number> | null;
}

/** The fields the figures need, or undefined when an item lacks them (a file too old or too damaged to re-check). */
function rseItemFigures(item: Record<string, unknown>): RseItemFigures | undefined {
  const { dataset, reference, scores } = item;
  if (typeof dataset !== "string" || typeof reference !== "string") return undefined;
  if (scores === null) return { dataset, reference, scores: null };
  if (typeof scores !== "object" || scores === undefined) return undefined;
  const record = scores as Record<string, unknown>;
  if (!rseAxes.every((axis) => typeof record[axis] === "number")) return undefined;
  return { dataset, reference, scores: record as RseItemFigures["scores"] };
}

function meanOf(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((total, value) => total + value, 0) / values.length;
}

function rseDisagreements(result: RseResult): string[] {
  const record = result as RseResult & {
    primaryReference?: unknown;
    references?: unknown;
    datasets: Record<string, unknown>;
  };
  const references = Array.isArray(record.references) ? (record.references as unknown[]) : [];
  const primary = typeof record.primaryReference === "string" ? record.primaryReference : references[0];
  if (typeof primary !== "string") return [];
  const figures = result.items.map((item) => rseItemFigures(item));
  if (figures.some((item) => item === undefined)) return [];
  const own = (figures as RseItemFigures[]).filter((item) => item.reference === primary);
  const scored = own.filter((item) => item.scores !== null);
  const from = `its ${own.length} items against ${primary}`;
  const found: string[] = [];
  const stated = (result as { n?: unknown }).n;
  if (stated !== undefined && stated !== scored.length)
    found.push(disagreement("n", stated, scored.length, from));
  const datasetNames = [...new Set(own.map((item) => item.dataset))];
  const datasetMean = (name: string, axis: (typeof rseAxes)[number]): number =>
    meanOf(scored.filter((item) => item.dataset === name).map((item) => item.scores![axis]));
  for (const axis of rseAxes) {
    const overAll = meanOf(
      datasetNames.map((name) => datasetMean(name, axis)).filter((value) => !Number.isNaN(value)),
    );
    if (!sameFigure(result.scores[axis], overAll))
      found.push(disagreement(`scores.${axis}`, result.scores[axis], overAll, from));
  }
  for (const name of datasetNames) {
    const summary = record.datasets[name];
    if (typeof summary !== "object" || summary === null) continue;
    const { n, scores } = summary as { n?: unknown; scores?: Record<string, unknown> };
    const datasetItems = scored.filter((item) => item.dataset === name).length;
    if (n !== undefined && n !== datasetItems)
      found.push(disagreement(`datasets.${name}.n`, n, datasetItems, from));
    for (const axis of rseAxes) {
      const computed = datasetMean(name, axis);
      if (scores !== undefined && scores[axis] !== undefined && !sameFigure(scores[axis], computed))
        found.push(disagreement(`datasets.${name}.scores.${axis}`, scores[axis], computed, from));
    }
  }
  return found;
}

function lineageDisagreements(result: LineageResult): string[] {
  const found: string[] = [];
  const alpha = (result as { method?: { alpha?: unknown } }).method?.alpha;
  const candidates = new Set(result.candidates);
  for (const attribution of result.attributions) {
    const label = `attribution of ${JSON.stringify(attribution.model)}`;
    // A null score (no test could be made) ranks below every number.
    const ranking = attribution.ranking.map((entry) => ({ ...entry, score: entry.score ?? -Infinity }));
    const top = ranking.reduce<(typeof ranking)[number] | undefined>(
      (best, entry) => (best === undefined || entry.score > best.score ? entry : best),
      undefined,
    );
    if (attribution.teacher !== null) {
      const entry = ranking.find((candidate) => candidate.candidate === attribution.teacher);
      if (!candidates.has(attribution.teacher))
        found.push(`${label}: teacher ${JSON.stringify(attribution.teacher)} is not one of the candidates`);
      else if (top !== undefined && (entry === undefined || entry.score < top.score - tolerance))
        found.push(
          `${label}: teacher ${JSON.stringify(attribution.teacher)} is not the top of its ranking (${JSON.stringify(top.candidate)} scores higher)`,
        );
    }
    const topPValue = (ranking[0] as { pValue?: unknown } | undefined)?.pValue;
    if (
      typeof topPValue === "number" &&
      attribution.pValue !== null &&
      !sameFigure(attribution.pValue, topPValue)
    )
      found.push(
        disagreement(`${label}: pValue`, attribution.pValue, topPValue, "its ranking's first entry"),
      );
    if (typeof alpha === "number" && attribution.pValue !== null) {
      const significant = attribution.pValue < alpha;
      if (attribution.teacher !== null && !significant)
        found.push(
          `${label}: a teacher is named with p ${shown(attribution.pValue)}, not below alpha ${alpha}`,
        );
      if (attribution.teacher === null && significant && top !== undefined && top.score > 0)
        found.push(
          `${label}: no teacher is named though p ${shown(attribution.pValue)} is below alpha ${alpha} for ${JSON.stringify(top.candidate)}`,
        );
    }
  }
  return found;
}

/** Every disagreement between a result's headline figures and its own items (none: an empty list). */
export function resultDisagreements(result: ReportableResult): string[] {
  if (result.kind !== "lineage" && result.items.length === 0) return [];
  if (result.kind === "ice") return iceDisagreements(result as IceResult);
  if (result.kind === "rse") return rseDisagreements(result as RseResult);
  return lineageDisagreements(result as LineageResult);
}
