import assert from "node:assert/strict";
import { test } from "node:test";
import {
  betweenModelTest,
  median,
  normalUpperTail,
  pairAffinities,
  relativeAffinities,
  robustScale,
} from "./lineage-null.ts";

test("normal upper tail matches known quantiles", () => {
  assert.ok(Math.abs(normalUpperTail(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalUpperTail(1.6448536) - 0.05) < 1e-6);
  assert.ok(Math.abs(normalUpperTail(-1.959964) - 0.975) < 1e-6);
  assert.ok(normalUpperTail(8) < 1e-14);
  assert.equal(normalUpperTail(Number.NaN), 1);
});

test("median and MAD scale ignore NaN and resist one outlier", () => {
  assert.equal(median([3, 1, Number.NaN, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  const scale = robustScale([1, 2, 3, 4, 5, 1000]);
  assert.ok(scale > 1 && scale < 4, `scale ${scale}`);
});

/** Per-prompt values for `models` models where every pair has similarity `base(left, right)` plus noise. */
function perPrompt(models: number, prompts: number, base: (left: number, right: number) => number) {
  const values = new Float32Array(prompts * models * models);
  let state = 7;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648 - 0.5) * 0.02;
  };
  for (let prompt = 0; prompt < prompts; prompt++)
    for (let left = 0; left < models; left++)
      for (let right = left; right < models; right++) {
        const value = left === right ? 1 : base(left, right) + noise();
        values[prompt * models * models + left * models + right] = value;
        values[prompt * models * models + right * models + left] = value;
      }
  return pairAffinities(values, models, prompts);
}

test("a student that is an outlier in closeness to its teacher is significant; an ordinary model is not", () => {
  // Model 0 is the teacher, model 1 its student; models 2..9 vary in how close they are to everybody.
  const affinities = perPrompt(10, 200, (left, right) => {
    const pair = [left, right].sort().join(",");
    if (pair === "0,1") return 0.3;
    return 0.1 + 0.01 * ((left * 7 + right * 3) % 5);
  });
  const relative = relativeAffinities(affinities);
  const student = betweenModelTest(relative, affinities, 1, 0);
  const ordinary = betweenModelTest(relative, affinities, 5, 0);
  assert.ok(student.pValue < 1e-3, `student p ${student.pValue}`);
  assert.ok(ordinary.pValue > 0.05, `ordinary p ${ordinary.pValue}`);
  assert.equal(student.references, 8);
});

test("a model that is close to everybody is not mistaken for a student", () => {
  // Model 1 is generic: close to every model, including model 0, by the same amount.
  const affinities = perPrompt(10, 200, (left, right) =>
    left === 1 || right === 1 ? 0.3 : 0.1 + 0.01 * ((left + right) % 3),
  );
  const relative = relativeAffinities(affinities);
  assert.ok(betweenModelTest(relative, affinities, 1, 0).pValue > 0.05);
});

test("with too few reference models the test abstains (p = 1)", () => {
  const affinities = perPrompt(4, 20, (left, right) => (left + right === 1 ? 0.9 : 0.1));
  assert.equal(betweenModelTest(relativeAffinities(affinities), affinities, 1, 0).pValue, 1);
});
