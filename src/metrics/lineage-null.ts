/**
 * The between-model null of the lineage test (docs/design/lineage-statistic.md).
 *
 * A(m, c): mean over prompts of the distinctive similarity of model m to model c.
 * D(m, c) = A(m, c) - median_{k not m, c} A(m, k): m's closeness to c beyond its closeness to models in
 * general (a model with generic or terse answers is close to everybody).
 * For student s and candidate c the reference population is D(m, c) over every other model m (not s, not c):
 * how close models are to c when nothing says they learned from it. With robust location and scale (median,
 * 1.4826 x MAD) the few real students of c in that population do not move the null, and
 *   z = (D(s, c) - median) / sqrt(scale^2 (1 + pi / 2n) + se^2)
 * adds to the between-model spread the uncertainty of the median over n reference models (pi/2n is the
 * variance of a normal sample median in units of scale^2) and the prompt-sampling standard error se of
 * A(s, c): a random-effects test, "is s an outlier among models in how close it is to c".
 */

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

/** Median of the non-NaN values (NaN when there are none). */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).filter((value) => !Number.isNaN(value));
  sorted.sort();
  const size = sorted.length;
  if (size === 0) return Number.NaN;
  return size % 2 === 1 ? sorted[(size - 1) / 2]! : (sorted[size / 2 - 1]! + sorted[size / 2]!) / 2;
}

/** 1.4826 x median absolute deviation: the standard deviation of a normal population, robustly. */
export function robustScale(values: ArrayLike<number>): number {
  const centre = median(values);
  return 1.4826 * median(Array.from(values, (value) => Math.abs(value - centre)));
}

/** D(m, c) = A(m, c) - median over k (not m, not c) of A(m, k), [m * models + c] (NaN on the diagonal). */
export function relativeAffinities(affinities: PairAffinities): Float64Array {
  const { models, mean } = affinities;
  const relative = new Float64Array(models * models).fill(Number.NaN);
  for (let model = 0; model < models; model++) {
    const row = mean.subarray(model * models, (model + 1) * models);
    for (let candidate = 0; candidate < models; candidate++) {
      if (candidate === model) continue;
      const others = Array.from(row).filter((_, other) => other !== model && other !== candidate);
      relative[model * models + candidate] = row[candidate]! - (others.length > 0 ? median(others) : 0);
    }
  }
  return relative;
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

/** The random-effects outlier test of student s's relative affinity to candidate c. */
export function betweenModelTest(
  relative: Float64Array,
  affinities: PairAffinities,
  student: number,
  candidate: number,
): NullTest {
  const models = affinities.models;
  const reference: number[] = [];
  for (let model = 0; model < models; model++)
    if (model !== student && model !== candidate) {
      const value = relative[model * models + candidate]!;
      if (!Number.isNaN(value)) reference.push(value);
    }
  const observed = relative[student * models + candidate]!;
  const n = reference.length;
  if (n < 3 || Number.isNaN(observed)) return { excess: Number.NaN, z: Number.NaN, pValue: 1, references: n };
  const centre = median(reference);
  const scale = robustScale(reference);
  const standardError = affinities.standardError[student * models + candidate]!;
  const spread = Math.sqrt(scale * scale * (1 + Math.PI / (2 * n)) + standardError * standardError);
  const excess = observed - centre;
  const z = spread > 0 ? excess / spread : Number.NaN;
  return { excess, z, pValue: normalUpperTail(z), references: n };
}

/** P(Z > z) for a standard normal Z (complementary error function, Numerical Recipes erfcc, |error| < 1.2e-7). */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return 1;
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const coefficients = [
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
    -0.82215223, 0.17087277,
  ];
  let polynomial = 0;
  for (let index = coefficients.length - 1; index >= 0; index--)
    polynomial = polynomial * t + coefficients[index]!;
  const complement = t * Math.exp(-x * x + polynomial);
  return x >= 0 ? complement / 2 : 1 - complement / 2;
}
