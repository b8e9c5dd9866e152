import assert from "node:assert/strict";
import { test } from "node:test";
import {
  bootstrapMeanInterval,
  clusterBootstrapMeanInterval,
  holmAdjust,
  mean,
  normalQuantile,
  quantile,
  signFlipPermutationTest,
  wilsonInterval,
} from "./stats.ts";

test("mean and quantile", () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
  assert.ok(Number.isNaN(mean([])));
});

test("normal quantile matches known values", () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-5);
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-9);
  assert.ok(Math.abs(normalQuantile(0.01) + 2.326348) < 1e-5);
});

test("wilson interval brackets the proportion and stays in [0, 1]", () => {
  const interval = wilsonInterval(30, 100);
  assert.ok(interval.low < 0.3 && interval.high > 0.3);
  assert.ok(Math.abs(interval.low - 0.2189) < 0.001 && Math.abs(interval.high - 0.3958) < 0.001);
  assert.equal(wilsonInterval(0, 10).low, 0);
});

test("cluster bootstrap is wider than the plain one when clusters are homogeneous", () => {
  const clusters = Array.from({ length: 20 }, (_, index) =>
    Array.from({ length: 50 }, () => (index % 3 === 0 ? 1 : 0)),
  );
  const clustered = clusterBootstrapMeanInterval(clusters, { seed: 7 });
  const plain = bootstrapMeanInterval(clusters.flat(), { seed: 7 });
  assert.ok(clustered.high - clustered.low > 2 * (plain.high - plain.low));
  assert.deepEqual(clusterBootstrapMeanInterval(clusters, { seed: 7 }), clustered, "seeded runs repeat");
});

test("sign-flip permutation test separates a real shift from noise", () => {
  const shifted = Array.from({ length: 200 }, (_, index) => 0.1 + Math.sin(index) * 0.2);
  const noise = Array.from({ length: 200 }, (_, index) => Math.sin(index * 1.7) * 0.2);
  assert.ok(signFlipPermutationTest(shifted, { seed: 3 }) < 0.01);
  assert.ok(signFlipPermutationTest(noise, { seed: 3 }) > 0.05);
});

/** p-value by listing all 2^n sign assignments (the definition). */
function enumeratedPValue(differences: readonly number[], twoSided: boolean): number {
  const observed = differences.reduce((total, value) => total + value, 0);
  let count = 0;
  for (let mask = 0; mask < 2 ** differences.length; mask++) {
    let total = 0;
    differences.forEach((value, index) => {
      total += (mask >> index) & 1 ? -value : value;
    });
    if ((twoSided ? Math.abs(total) : total) >= (twoSided ? Math.abs(observed) : observed) - 1e-9) count++;
  }
  return count / 2 ** differences.length;
}

test("sign-flip test is exact for few differences, one- and two-sided", () => {
  const differences = [0.3, -0.1, 0.5, 0.2, 0.25, -0.4, 0.1, 0.6, 0.2, 0.3, 0, 0.05, 0.7];
  assert.equal(signFlipPermutationTest(differences), enumeratedPValue(differences, false));
  assert.equal(
    signFlipPermutationTest(differences, { alternative: "two-sided" }),
    enumeratedPValue(differences, true),
  );
  // 30 differences of one sign: exactly 2 of 2^30 assignments are as extreme.
  const thirty = Array.from({ length: 30 }, (_, index) => 1 + Math.cos(index) * 0.3);
  assert.equal(signFlipPermutationTest(thirty, { alternative: "two-sided" }), 2 / 2 ** 30);
  assert.equal(signFlipPermutationTest([0, 0, 0], { alternative: "two-sided" }), 1);
});

test("sign-flip p-value reaches below alpha / tests for large n, and stays deterministic", () => {
  const tests = 60;
  const smallestPValue = 0.05 / (10 * tests);
  // 84 conversations, all nearer the same reference: the old 2,000-flip floor (0.001) x 60 tests > 0.05.
  const strong = Array.from({ length: 84 }, (_, index) => 2 + Math.sin(index));
  assert.ok(signFlipPermutationTest(strong, { alternative: "two-sided", smallestPValue }) < 1e-10);
  // A moderate effect (p about 1e-4) needs more flips than 2,000: the estimate goes below the old floor.
  const moderate = Array.from({ length: 400 }, (_, index) => 0.13 + Math.sin(index));
  const options = { alternative: "two-sided", smallestPValue, seed: 4 } as const;
  const p = signFlipPermutationTest(moderate, options);
  assert.ok(p < 0.05 / tests && p > 1e-6, String(p));
  assert.equal(signFlipPermutationTest(moderate, options), p, "same seed, same p");
  const noise = Array.from({ length: 400 }, (_, index) => Math.sin(index * 1.7));
  assert.ok(signFlipPermutationTest(noise, options) > 0.05);
});

test("holm adjustment is monotone and capped at 1", () => {
  assert.deepEqual(holmAdjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
  assert.deepEqual(holmAdjust([0.5, 0.9]), [1, 1]);
});
