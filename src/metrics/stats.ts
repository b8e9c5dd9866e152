/**
 * Statistics shared by ICE, RSE and lineage: means, quantiles, percentile bootstrap (plain and
 * clustered), the Wilson interval for a proportion, and a paired sign-flip permutation test.
 * Every resampling takes a seed so that results are repeatable.
 */
import { randomIndex, seededRandom } from "./random.ts";

export interface Interval {
  low: number;
  high: number;
  /** Nominal coverage, e.g. 0.95. */
  level: number;
  method: string;
  /** Why the bounds are missing (NaN, null in JSON) when they are, e.g. "too few conversations (2 < 5)". */
  note?: string;
}

/**
 * Fewest clusters (conversations for RSE, templates for ICE) a clustered interval is computed from:
 * a bootstrap over 1-4 clusters gives intervals that look certain and are not.
 */
export const minimumClusters = 5;

/**
 * An interval without bounds (NaN, null in JSON) because too few clusters were scored; the note says
 * why, e.g. "too few templates (2 < 5)".
 */
export function tooFewClusters(level: number, method: string, clusters: number, unit: string): Interval {
  return {
    low: Number.NaN,
    high: Number.NaN,
    level,
    method,
    note: `too few ${unit} (${clusters} < ${minimumClusters})`,
  };
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}

export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const average = mean(values);
  let total = 0;
  for (const value of values) total += (value - average) ** 2;
  return Math.sqrt(total / (values.length - 1));
}

/** Linear-interpolation quantile (type 7) of already sorted values. */
export function quantileSorted(sorted: readonly number[], probability: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * probability;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const weight = position - lower;
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

export function quantile(values: readonly number[], probability: number): number {
  return quantileSorted(
    values.slice().sort((a, b) => a - b),
    probability,
  );
}

/** Wilson score interval for successes out of total. */
export function wilsonInterval(successes: number, total: number, level = 0.95): Interval {
  if (total === 0) return { low: 0, high: 1, level, method: "wilson" };
  const z = normalQuantile(1 - (1 - level) / 2);
  const proportion = successes / total;
  const denominator = 1 + (z * z) / total;
  const centre = (proportion + (z * z) / (2 * total)) / denominator;
  const margin =
    (z * Math.sqrt((proportion * (1 - proportion)) / total + (z * z) / (4 * total * total))) / denominator;
  return { low: Math.max(0, centre - margin), high: Math.min(1, centre + margin), level, method: "wilson" };
}

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
  seed?: number;
}

/** Percentile bootstrap interval of the mean of values, resampling values independently. */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions = {}): Interval {
  const clusters = values.map((value) => [value]);
  return { ...clusterBootstrapMeanInterval(clusters, options), method: "bootstrap" };
}

/**
 * Percentile bootstrap interval of the pooled mean when observations come in clusters (answers to one
 * template, prompts of one conversation): whole clusters are resampled, so within-cluster correlation
 * widens the interval as it should.
 */
export function clusterBootstrapMeanInterval(
  clusters: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): Interval {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed ?? 1);
  const nonEmpty = clusters.filter((cluster) => cluster.length > 0);
  if (nonEmpty.length === 0) return { low: Number.NaN, high: Number.NaN, level, method: "cluster-bootstrap" };
  const sums = nonEmpty.map((cluster) => cluster.reduce((total, value) => total + value, 0));
  const sizes = nonEmpty.map((cluster) => cluster.length);
  const estimates = new Float64Array(resamples);
  for (let round = 0; round < resamples; round++) {
    let total = 0;
    let count = 0;
    for (let draw = 0; draw < nonEmpty.length; draw++) {
      const chosen = randomIndex(random, nonEmpty.length);
      total += sums[chosen]!;
      count += sizes[chosen]!;
    }
    estimates[round] = total / count;
  }
  estimates.sort();
  const tail = (1 - level) / 2;
  return {
    low: quantileSorted(Array.from(estimates), tail),
    high: quantileSorted(Array.from(estimates), 1 - tail),
    level,
    method: "cluster-bootstrap",
  };
}

export interface SignFlipOptions {
  /**
   * Random sign flips drawn at least when the exact distribution is too large to enumerate (default
   * 2,000); more are drawn while the observed mean is still rare, up to what `smallestPValue` needs.
   */
  permutations?: number;
  seed?: number;
  /** "greater" (default): is the mean of differences above 0? "two-sided": is it away from 0? */
  alternative?: "greater" | "two-sided";
  /**
   * The smallest p-value the test must be able to return, e.g. alpha / (number of tests x 10) when the
   * p-values are Holm-adjusted; sets the Monte Carlo budget (at most 1 / smallestPValue flips).
   */
  smallestPValue?: number;
}

/** At most this many non-zero differences are enumerated exactly (2 x 2^15 half sums, meet in the middle). */
export const exactSignFlipLimit = 30;
/** Monte Carlo flips stop early once this many reach the observed statistic (the p-value is then known well enough). */
const enoughExceedances = 20;

/** All 2^k signed sums of values (k <= 15), sorted. */
function signedSums(values: readonly number[]): Float64Array {
  let sums = new Float64Array([0]);
  for (const value of values) {
    const next = new Float64Array(sums.length * 2);
    for (let index = 0; index < sums.length; index++) {
      next[2 * index] = sums[index]! + value;
      next[2 * index + 1] = sums[index]! - value;
    }
    sums = next;
  }
  return sums.sort();
}

/** Number of sorted values >= bound. */
function countAtLeast(sorted: Float64Array, bound: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! >= bound) high = middle;
    else low = middle + 1;
  }
  return sorted.length - low;
}

/** Exact p-value over all 2^k sign assignments: half sums enumerated, the other half counted by search. */
function exactSignFlipPValue(values: readonly number[], threshold: number, twoSided: boolean): number {
  const half = Math.floor(values.length / 2);
  const left = signedSums(values.slice(0, half));
  const right = signedSums(values.slice(half));
  let count = 0;
  for (const sum of left) {
    count += countAtLeast(right, threshold - sum);
    // By symmetry, the sums <= -threshold are as many as the sums >= threshold of the negated half.
    if (twoSided) count += countAtLeast(right, threshold + sum);
  }
  return count / (left.length * right.length);
}

/**
 * Paired permutation (sign-flip) test of the mean of differences: "greater" asks whether it is above 0,
 * "two-sided" whether it is away from 0 (|mean| at least as large under random signs). With at most
 * `exactSignFlipLimit` non-zero differences the p-value is exact (every sign assignment counted);
 * otherwise it is a Monte Carlo estimate with the +1 correction, so it is never exactly 0: at least
 * `permutations` random flips, continued (doubling) while fewer than 20 reached the observed value, up
 * to 1 / `smallestPValue` flips. A clear non-effect stops at `permutations`. When Hoeffding's bound on
 * the exact p-value is already below 1 / (that many flips), the bound is returned instead: a valid,
 * conservative p-value for a strong effect, as small as the data supports. Deterministic for a seed.
 */
export function signFlipPermutationTest(
  differences: readonly number[],
  options: SignFlipOptions = {},
): number {
  const twoSided = options.alternative === "two-sided";
  const observed = differences.reduce((total, value) => total + value, 0);
  if (differences.length === 0 || !Number.isFinite(observed)) return 1;
  const nonZero = differences.filter((value) => value !== 0);
  // Tolerance for floating-point sums that equal the observed one in exact arithmetic.
  const tolerance = 1e-9 * nonZero.reduce((total, value) => total + Math.abs(value), 0);
  const threshold = (twoSided ? Math.abs(observed) : observed) - tolerance;
  if (nonZero.length === 0 || (twoSided && threshold <= 0)) return 1;
  if (nonZero.length <= exactSignFlipLimit) return exactSignFlipPValue(nonZero, threshold, twoSided);
  const minimum = options.permutations ?? 2000;
  const budget = Math.max(minimum, Math.ceil(1 / (options.smallestPValue ?? 1 / minimum)));
  // Hoeffding's inequality bounds the exact p-value: P(sum of random signs x d >= t) <= exp(-t^2 / (2 sum d^2)).
  // When that bound is below what the flips can resolve, it is the (conservative) p-value, at no cost.
  const squares = nonZero.reduce((total, value) => total + value * value, 0);
  const bound = (twoSided ? 2 : 1) * Math.exp(-(Math.max(0, threshold) ** 2) / (2 * squares));
  if (bound <= 1 / budget) return bound;
  const random = seededRandom(options.seed ?? 1);
  let exceedances = 0;
  let drawn = 0;
  let target = Math.min(minimum, budget);
  for (;;) {
    for (; drawn < target; drawn++) {
      let total = 0;
      let bits = 0;
      for (let index = 0; index < nonZero.length; index++) {
        // One random number gives 32 signs.
        if (index % 32 === 0) bits = Math.floor(random() * 4294967296);
        total += (bits & 1) === 1 ? -nonZero[index]! : nonZero[index]!;
        bits >>>= 1;
      }
      if ((twoSided ? Math.abs(total) : total) >= threshold) exceedances++;
    }
    if (exceedances >= enoughExceedances || drawn >= budget) break;
    target = Math.min(budget, drawn * 2);
  }
  return (exceedances + 1) / (drawn + 1);
}

/** Inverse of the standard normal distribution function (Acklam's rational approximation). */
export function normalQuantile(probability: number): number {
  if (probability <= 0) return Number.NEGATIVE_INFINITY;
  if (probability >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (probability < low) {
    const q = Math.sqrt(-2 * Math.log(probability));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (probability > 1 - low) return -normalQuantile(1 - probability);
  const q = probability - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Holm-Bonferroni adjustment of p-values (same order as given). */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = pValues.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const adjusted = new Array<number>(pValues.length);
  let running = 0;
  order.forEach(({ value, index }, rank) => {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * value));
    adjusted[index] = running;
  });
  return adjusted;
}
