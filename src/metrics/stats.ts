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

/**
 * Paired permutation (sign-flip) test that the mean of differences is greater than zero.
 * Returns a one-sided p-value with the +1 correction, so it is never exactly 0.
 */
export function signFlipPermutationTest(
  differences: readonly number[],
  options: { permutations?: number; seed?: number } = {},
): number {
  const permutations = options.permutations ?? 2000;
  const random = seededRandom(options.seed ?? 1);
  const observed = mean(differences);
  if (!Number.isFinite(observed)) return 1;
  let atLeastAsLarge = 0;
  for (let round = 0; round < permutations; round++) {
    let total = 0;
    for (const difference of differences) total += random() < 0.5 ? -difference : difference;
    if (total / differences.length >= observed - 1e-12) atLeastAsLarge++;
  }
  return (atLeastAsLarge + 1) / (permutations + 1);
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
