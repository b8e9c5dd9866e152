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

test("holm adjustment is monotone and capped at 1", () => {
  assert.deepEqual(holmAdjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
  assert.deepEqual(holmAdjust([0.5, 0.9]), [1, 1]);
});
