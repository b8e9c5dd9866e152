/**
 * RSE scores from judged items: per dataset and reference, means with conversation-clustered bootstrap
 * intervals; the unweighted mean over datasets (the paper's "Avg") with a stratified cluster bootstrap;
 * and paired comparisons between references (is the target nearer one reference than another?) with a
 * bootstrap interval of the mean paired difference and a two-sided sign-flip permutation p-value
 * (Holm-adjusted over all comparisons and axes). An interval from fewer than `minimumConversations`
 * conversations has no bounds (NaN, null in JSON) and a note: a bootstrap over 1-4 clusters gives
 * intervals that look certain and are not. Pure: no model calls.
 */
import type { AxisScores } from "../judges/similarity-embedded.ts";
import { type Axis, axes } from "../judges/similarity-llm-judge.ts";
import { randomIndex, seededRandom } from "./random.ts";
import {
  bootstrapMeanInterval,
  clusterBootstrapMeanInterval,
  holmAdjust,
  type Interval,
  mean,
  minimumClusters,
  quantileSorted,
  signFlipPermutationTest,
  tooFewClusters,
} from "./stats.ts";

/** The part of a judged item the statistics need. */
export interface RseScoredItem {
  dataset: string;
  /** Cluster key: the conversation (prompt) the turn belongs to. */
  conversation: string;
  turn: number;
  reference: string;
  scores: AxisScores | null;
}

export type AxisIntervals = Record<Axis, Interval>;

export interface ReferenceSummary {
  /** Judged items (turns) with scores. */
  n: number;
  conversations: number;
  /** Items whose judge failed (not counted as scores). */
  judgeErrors: number;
  scores: AxisScores;
  intervals: AxisIntervals;
}

export interface AxisComparison {
  /** Mean over conversations of (similarity to first) - (similarity to second). */
  difference: number;
  interval: Interval;
  pValue: number;
  pValueHolm: number;
}

export interface ReferenceComparison {
  first: string;
  second: string;
  /** Conversations scored against both references. */
  n: number;
  axes: Record<Axis, AxisComparison>;
  /** The reference the target is significantly nearer on overall (Holm-adjusted p < alpha), or null. */
  nearer: string | null;
}

/** One dataset: the primary (first) reference's summary at the top, every reference's under `references`. */
export interface DatasetSummary extends ReferenceSummary {
  references: Record<string, ReferenceSummary>;
}

export interface RseStatistics {
  /** Significance level of `nearer` (Holm-adjusted p below it). */
  alpha: number;
  /** Per reference: unweighted mean over datasets, with a stratified cluster-bootstrap interval. */
  byReference: Record<string, ReferenceSummary>;
  datasets: Record<string, DatasetSummary>;
  comparisons: ReferenceComparison[];
}

export interface RseStatisticsOptions {
  references: readonly string[];
  seed?: number;
  resamples?: number;
  level?: number;
  alpha?: number;
}

/** Fewest conversations (clusters) an interval is computed from; below it the interval has no bounds. */
export const minimumConversations = minimumClusters;

/** An interval without bounds because too few conversations were scored. */
function tooFewConversations(level: number, method: string, conversations: number): Interval {
  return tooFewClusters(level, method, conversations, "conversations");
}

const nanScores = (): AxisScores => ({
  overall: Number.NaN,
  style: Number.NaN,
  logic: Number.NaN,
  content: Number.NaN,
});

function clustersOf(items: readonly RseScoredItem[], axis: Axis): number[][] {
  const clusters = new Map<string, number[]>();
  for (const item of items) {
    if (item.scores === null) continue;
    const list = clusters.get(item.conversation) ?? [];
    list.push(item.scores[axis]);
    clusters.set(item.conversation, list);
  }
  return [...clusters.values()];
}

function pooledMean(clusters: readonly number[][]): number {
  return mean(clusters.flat());
}

/** Interval of the unweighted mean over strata (datasets), resampling conversations within each. */
function stratifiedInterval(
  strata: readonly number[][][],
  resamples: number,
  level: number,
  seed: number,
): Interval {
  const usable = strata.filter((clusters) => clusters.length > 0);
  if (usable.length === 0)
    return { low: Number.NaN, high: Number.NaN, level, method: "stratified-cluster-bootstrap" };
  const random = seededRandom(seed);
  const estimates: number[] = [];
  for (let round = 0; round < resamples; round++) {
    let total = 0;
    for (const clusters of usable) {
      let sum = 0;
      let count = 0;
      for (let draw = 0; draw < clusters.length; draw++) {
        const cluster = clusters[randomIndex(random, clusters.length)]!;
        for (const value of cluster) sum += value;
        count += cluster.length;
      }
      total += sum / count;
    }
    estimates.push(total / usable.length);
  }
  estimates.sort((left, right) => left - right);
  const tail = (1 - level) / 2;
  return {
    low: quantileSorted(estimates, tail),
    high: quantileSorted(estimates, 1 - tail),
    level,
    method: "stratified-cluster-bootstrap",
  };
}

function summarise(
  items: readonly RseScoredItem[],
  options: Required<Omit<RseStatisticsOptions, "references">>,
): ReferenceSummary {
  const scored = items.filter((item) => item.scores !== null);
  const scores = nanScores();
  const intervals = {} as AxisIntervals;
  for (const axis of axes) {
    const clusters = clustersOf(items, axis);
    scores[axis] = pooledMean(clusters);
    intervals[axis] =
      clusters.length < minimumConversations
        ? tooFewConversations(options.level, "cluster-bootstrap", clusters.length)
        : clusterBootstrapMeanInterval(clusters, {
            resamples: options.resamples,
            level: options.level,
            seed: options.seed,
          });
  }
  return {
    n: scored.length,
    conversations: new Set(scored.map((item) => item.conversation)).size,
    judgeErrors: items.length - scored.length,
    scores,
    intervals,
  };
}

function twoSidedPValue(differences: readonly number[], seed: number, smallestPValue: number): number {
  return signFlipPermutationTest(differences, { seed, alternative: "two-sided", smallestPValue });
}

/** Mean score per conversation for one reference and axis, over its scored turns. */
function conversationMeans(
  items: readonly RseScoredItem[],
  reference: string,
  axis: Axis,
): Map<string, number> {
  const sums = new Map<string, { total: number; count: number }>();
  for (const item of items) {
    if (item.reference !== reference || item.scores === null) continue;
    const key = `${item.dataset}\u0000${item.conversation}`;
    const entry = sums.get(key) ?? { total: 0, count: 0 };
    entry.total += item.scores[axis];
    entry.count++;
    sums.set(key, entry);
  }
  return new Map([...sums].map(([key, { total, count }]) => [key, total / count]));
}

/** Computes every RSE statistic from judged items. */
export function rseStatistics(items: readonly RseScoredItem[], options: RseStatisticsOptions): RseStatistics {
  const settings = {
    seed: options.seed ?? 1,
    resamples: options.resamples ?? 2000,
    level: options.level ?? 0.95,
    alpha: options.alpha ?? 0.05,
  };
  const datasetNames = [...new Set(items.map((item) => item.dataset))];
  const datasets: RseStatistics["datasets"] = {};
  for (const name of datasetNames) {
    const references: Record<string, ReferenceSummary> = {};
    for (const reference of options.references)
      references[reference] = summarise(
        items.filter((item) => item.dataset === name && item.reference === reference),
        settings,
      );
    datasets[name] = { ...references[options.references[0]!]!, references };
  }
  const byReference: RseStatistics["byReference"] = {};
  for (const reference of options.references) {
    const own = items.filter((item) => item.reference === reference);
    const scored = own.filter((item) => item.scores !== null);
    const scores = nanScores();
    const intervals = {} as AxisIntervals;
    for (const axis of axes) {
      const strata = datasetNames.map((name) =>
        clustersOf(
          own.filter((item) => item.dataset === name),
          axis,
        ),
      );
      const usable = strata.filter((clusters) => clusters.length > 0);
      scores[axis] = mean(usable.map(pooledMean));
      // Every dataset weighs the same in the average, so one with too few conversations has an unknown
      // share of the spread: no interval rather than one that ignores it.
      const fewest = Math.min(...usable.map((clusters) => clusters.length));
      intervals[axis] =
        usable.length > 0 && fewest < minimumConversations
          ? tooFewConversations(settings.level, "stratified-cluster-bootstrap", fewest)
          : stratifiedInterval(strata, settings.resamples, settings.level, settings.seed);
    }
    byReference[reference] = {
      n: scored.length,
      conversations: new Set(scored.map((item) => `${item.dataset}\u0000${item.conversation}`)).size,
      judgeErrors: own.length - scored.length,
      scores,
      intervals,
    };
  }
  const comparisons: ReferenceComparison[] = [];
  const pairCount = (options.references.length * (options.references.length - 1)) / 2;
  // Holm's first step needs p < alpha / tests: the permutation test must be able to go well below it.
  const smallestPValue = settings.alpha / (10 * Math.max(1, pairCount * axes.length));
  for (let first = 0; first < options.references.length; first++) {
    for (let second = first + 1; second < options.references.length; second++) {
      const firstName = options.references[first]!;
      const secondName = options.references[second]!;
      const result = {} as Record<Axis, AxisComparison>;
      let n = 0;
      for (const axis of axes) {
        const left = conversationMeans(items, firstName, axis);
        const right = conversationMeans(items, secondName, axis);
        const differences = [...left]
          .filter(([key]) => right.has(key))
          .map(([key, value]) => value - right.get(key)!);
        n = differences.length;
        result[axis] = {
          difference: mean(differences),
          interval:
            differences.length < minimumConversations
              ? tooFewConversations(settings.level, "bootstrap", differences.length)
              : bootstrapMeanInterval(differences, {
                  resamples: settings.resamples,
                  level: settings.level,
                  seed: settings.seed,
                }),
          pValue: twoSidedPValue(differences, settings.seed, smallestPValue),
          pValueHolm: Number.NaN,
        };
      }
      comparisons.push({ first: firstName, second: secondName, n, axes: result, nearer: null });
    }
  }
  // A pair with no conversation in common (a reference that answered nothing) is no test: p = 1, and
  // it does not count among the Holm-adjusted tests.
  const flat = comparisons
    .filter((comparison) => comparison.n > 0)
    .flatMap((comparison) => axes.map((axis) => comparison.axes[axis]));
  const adjusted = holmAdjust(flat.map((entry) => entry.pValue));
  for (const comparison of comparisons) for (const axis of axes) comparison.axes[axis].pValueHolm = 1;
  flat.forEach((entry, index) => {
    entry.pValueHolm = adjusted[index]!;
  });
  for (const comparison of comparisons) {
    const overall = comparison.axes.overall;
    if (overall.pValueHolm < settings.alpha)
      comparison.nearer = overall.difference > 0 ? comparison.first : comparison.second;
  }
  return { alpha: settings.alpha, byReference, datasets, comparisons };
}
