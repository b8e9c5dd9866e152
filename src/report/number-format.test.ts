import assert from "node:assert/strict";
import test from "node:test";
import { formatInterval, formatPValue, formatScore, pValueLabel, roundScore } from "./number-format.ts";

test("p-values get at most 3 significant digits, and '< 0.001' below 0.001", () => {
  assert.equal(formatPValue(0.02657275948493136), "0.0266");
  assert.equal(formatPValue(0.5), "0.5");
  assert.equal(formatPValue(0.004), "0.004");
  assert.equal(formatPValue(0.123456), "0.123");
  assert.equal(formatPValue(1), "1");
  assert.equal(formatPValue(0.001), "0.001");
  assert.equal(formatPValue(0.000999), "< 0.001");
  assert.equal(formatPValue(3.2e-12), "< 0.001");
  assert.equal(formatPValue(Number.NaN), "n/a");
  assert.equal(formatPValue(null), "n/a");
  assert.equal(pValueLabel(0.02657275948493136), "p = 0.0266");
  assert.equal(pValueLabel(1e-6), "p < 0.001");
});

test("scores get 3 decimals; missing ones a dash", () => {
  assert.equal(formatScore(3.0591234), "3.059");
  assert.equal(formatScore(0.5, 2), "0.50");
  assert.equal(formatScore(Number.NaN), "–");
  assert.equal(formatScore(undefined), "–");
  assert.equal(roundScore(0.98765432), 0.988);
  assert.equal(roundScore(Number.NaN), null);
});

test("an interval without bounds reads n/a with the result's reason, without the counts", () => {
  assert.equal(formatInterval({ low: 0.25, high: 0.75 }, 3), "[0.250, 0.750]");
  assert.equal(formatInterval(undefined, 3, "too few templates (2 < 5)"), "n/a (too few templates)");
  assert.equal(formatInterval(undefined, 2, "too few conversations (3 < 5)"), "n/a (too few conversations)");
  assert.equal(formatInterval(undefined, 3), undefined);
});
