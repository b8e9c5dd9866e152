/**
 * The between-model null of the lineage test (docs/design/lineage-statistic.md).
 *
 * A(m, c): mean over prompts of the distinctive similarity of model m to model c.
 * D(m, c) = A(m, c) - median_{k not m, c} A(m, k): m's closeness to c beyond its closeness to models in
 * general (a model with generic or terse answers is close to everybody).
 * For student s and candidate c the reference population is D(m, c) over every other model m (not s, not c):
 * how close models are to c when nothing says they learned from it. With robust location and scale (median,
 * 1.4826 x MAD) the few real students of c in that population do not move the null, and
 *   T = (D(s, c) - median) / sqrt(scale^2 (1 + pi / 2n) + se^2)
 * adds to the between-model spread the uncertainty of the median over n reference models (pi/2n is the
 * variance of a normal sample median in units of scale^2) and the prompt-sampling standard error se of
 * A(s, c): a random-effects test, "is s an outlier among models in how close it is to c".
 * The scale itself is estimated from only n models, so T has heavier tails than a normal: its p-value is
 * read from Student's t with 0.3676 (n - 1) degrees of freedom (0.3676 is the MAD's efficiency at the
 * normal; against simulation of T under a normal reference this is exact for large n and conservative
 * for small n). Copies of one model (lineage-copies.ts) count once, in rows and in the reference.
 */
import studentTCdf from "@stdlib/stats-base-dists-t-cdf";
import { type CopyGroups, noCopies } from "./lineage-copies.ts";

export interface PairAffinities {
  models: number;
  /** Mean similarity over prompts, [left * models + right] (NaN on the diagonal). */
  mean: Float64Array;
  /** Standard error of that mean over prompts. */
  standardError: Float64Array;
}

/** Means and standard errors over prompts of per-prompt values laid out [prompt][left][right]. */
export function pairAffinities(values: Float32Array, models: number, prompts: number): PairAffinities {
  const square = models * models;
  const total = new Float64Array(square);
  const totalSquares = new Float64Array(square);
  const count = new Uint32Array(square);
  for (let prompt = 0; prompt < prompts; prompt++) {
    const base = prompt * square;
    for (let index = 0; index < square; index++) {
      const value = values[base + index]!;
      if (Number.isNaN(value)) continue;
      total[index]! += value;
      totalSquares[index]! += value * value;
      count[index]!++;
    }
  }
  const mean = new Float64Array(square).fill(Number.NaN);
  const standardError = new Float64Array(square).fill(Number.NaN);
  for (let left = 0; left < models; left++)
    for (let right = 0; right < models; right++) {
      const index = left * models + right;
      const n = count[index]!;
      if (left === right || n === 0) continue;
      const average = total[index]! / n;
      mean[index] = average;
      const variance = n > 1 ? Math.max(0, (totalSquares[index]! - n * average * average) / (n - 1)) : 0;
      standardError[index] = Math.sqrt(variance / n);
    }
  return { models, mean, standardError };
}

/** Reused buffer of `median` (synchronous, so one is enough); grows to the largest input seen. */
let medianBuffer = new Float64Array(256);

/**
 * Partially orders `values[0..size)` in place so that values[k] is the k-th smallest, everything before it
 * is no larger and everything after it no smaller (Hoare's selection, median-of-three pivot): linear time
 * on average, where sorting would be n log n. Lineage takes tens of thousands of medians of a few hundred
 * values each.
 */
function selectInPlace(values: Float64Array, size: number, k: number): number {
  let low = 0;
  let high = size - 1;
  while (high > low) {
    const middle = (low + high) >> 1;
    const a = values[low]!;
    const b = values[middle]!;
    const c = values[high]!;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let left = low;
    let right = high;
    while (left <= right) {
      while (values[left]! < pivot) left++;
      while (values[right]! > pivot) right--;
      if (left <= right) {
        const swap = values[left]!;
        values[left] = values[right]!;
        values[right] = swap;
        left++;
        right--;
      }
    }
    if (k <= right) high = right;
    else if (k >= left) low = left;
    else return values[k]!;
  }
  return values[k]!;
}

/** Median of the non-NaN values (NaN when there are none). */
export function median(values: ArrayLike<number>): number {
  if (medianBuffer.length < values.length) medianBuffer = new Float64Array(values.length * 2);
  const buffer = medianBuffer;
  let size = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (!Number.isNaN(value)) buffer[size++] = value;
  }
  if (size === 0) return Number.NaN;
  const half = size >> 1;
  const upper = selectInPlace(buffer, size, half);
  if (size % 2 === 1) return upper;
  // After selection every value before `half` is no larger than `upper`: the lower middle is their maximum.
  let lower = buffer[0]!;
  for (let index = 1; index < half; index++) if (buffer[index]! > lower) lower = buffer[index]!;
  return (lower + upper) / 2;
}

/** 1.4826 x median absolute deviation: the standard deviation of a normal population, robustly. */
export function robustScale(values: ArrayLike<number>): number {
  const centre = median(values);
  const deviations = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) deviations[index] = Math.abs(values[index]! - centre);
  return 1.4826 * median(deviations);
}

/**
 * D(m, c) = A(m, c) - median over k (not m, not c) of A(m, k), [m * models + c] (NaN on the diagonal).
 * The k are counted once per copy group, leaving out m's and c's own groups. With `centreModels` (the
 * candidates) the k are taken among them only: a model's general closeness is then measured against the
 * models the question is about, not against a corpus in which most models may be its own siblings (a
 * popular teacher's students are close to one another, which would make every student's centre a
 * sibling's value). When no centre model is left for a row (two candidates, the row one of them), the
 * centre is taken over every other model.
 */
export function relativeAffinities(
  affinities: PairAffinities,
  copies?: CopyGroups,
  centreModels?: readonly number[],
): Float64Array {
  const { models, mean } = affinities;
  const { representative } = copies ?? noCopies(models);
  const relative = new Float64Array(models * models).fill(Number.NaN);
  const others = new Float64Array(models);
  const everyModel = Array.from({ length: models }, (_, index) => index);
  const centreOf = (row: Float64Array, model: number, candidate: number, pool: readonly number[]) => {
    let count = 0;
    for (const other of pool)
      if (
        representative[other] === other &&
        representative[other] !== representative[model] &&
        representative[other] !== representative[candidate]
      )
        others[count++] = row[other]!;
    return count > 0 ? median(others.subarray(0, count)) : undefined;
  };
  for (let model = 0; model < models; model++) {
    const row = mean.subarray(model * models, (model + 1) * models);
    for (let candidate = 0; candidate < models; candidate++) {
      if (candidate === model) continue;
      const centre =
        (centreModels ? centreOf(row, model, candidate, centreModels) : undefined) ??
        centreOf(row, model, candidate, everyModel) ??
        0;
      relative[model * models + candidate] = row[candidate]! - centre;
    }
  }
  return relative;
}

/** Degrees of freedom of the t reference for a MAD scale from n reference models (see the header). */
export function referenceDegreesOfFreedom(references: number): number {
  return 0.3676 * (references - 1);
}

/** P(T > t) for Student's t with `degreesOfFreedom` (any positive real). */
export function studentUpperTail(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t)) return 1;
  return studentTCdf(-t, degreesOfFreedom);
}

export interface NullTest {
  /** D(s, c) minus the reference median. */
  excess: number;
  z: number;
  /** One-sided p-value P(Z > z). */
  pValue: number;
  /** Reference models used. */
  references: number;
}

/** Robust spread of the reference: 1.4826 x MAD, or 1.2533 x mean absolute deviation when over half tie. */
function referenceScale(reference: readonly number[]): number {
  const scale = robustScale(reference);
  if (scale > 0) return scale;
  const centre = median(reference);
  return (
    (1.2533 * reference.reduce((total, value) => total + Math.abs(value - centre), 0)) / reference.length
  );
}

/**
 * The random-effects outlier test of student s's relative affinity to candidate c. The reference is every
 * model outside s's and c's copy groups, one per copy group.
 */
export function betweenModelTest(
  relative: Float64Array,
  affinities: PairAffinities,
  student: number,
  candidate: number,
  copies?: CopyGroups,
): NullTest {
  const models = affinities.models;
  const { representative } = copies ?? noCopies(models);
  const reference: number[] = [];
  for (let model = 0; model < models; model++)
    if (
      representative[model] === model &&
      representative[model] !== representative[student] &&
      representative[model] !== representative[candidate]
    ) {
      const value = relative[model * models + candidate]!;
      if (!Number.isNaN(value)) reference.push(value);
    }
  const observed = relative[student * models + candidate]!;
  const n = reference.length;
  if (n < 3 || Number.isNaN(observed)) return { excess: Number.NaN, z: Number.NaN, pValue: 1, references: n };
  const centre = median(reference);
  const scale = referenceScale(reference);
  const standardError = affinities.standardError[student * models + candidate]!;
  const spread = Math.sqrt(scale * scale * (1 + Math.PI / (2 * n)) + standardError * standardError);
  const excess = observed - centre;
  const z = spread > 0 ? excess / spread : Number.NaN;
  return { excess, z, pValue: studentUpperTail(z, referenceDegreesOfFreedom(n)), references: n };
}
