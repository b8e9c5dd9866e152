import assert from "node:assert/strict";
import { test } from "node:test";
import { copyGroups } from "./lineage-copies.ts";
import {
  betweenModelTest,
  median,
  pairAffinities,
  referenceDegreesOfFreedom,
  relativeAffinities,
  robustScale,
  studentUpperTail,
} from "./lineage-null.ts";
import { seededRandom } from "./random.ts";

test("Student's t upper tail matches known quantiles, for whole and fractional degrees of freedom", () => {
  assert.ok(Math.abs(studentUpperTail(0, 3) - 0.5) < 1e-12);
  assert.ok(Math.abs(studentUpperTail(2.015048, 5) - 0.05) < 1e-6);
  assert.ok(Math.abs(studentUpperTail(6.313752, 1) - 0.05) < 1e-6);
  assert.ok(Math.abs(studentUpperTail(-1.812461, 10) - 0.95) < 1e-6);
  const fractional = studentUpperTail(2.5, 2.5);
  assert.ok(fractional > studentUpperTail(2.5, 3) && fractional < studentUpperTail(2.5, 2));
  assert.equal(studentUpperTail(Number.NaN, 4), 1);
});

/** T of one draw: a new normal value against n normal reference values, as betweenModelTest forms it. */
function pivotUnderNull(references: number, random: () => number): number {
  const normal = () => {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const reference = Array.from({ length: references }, normal);
  const centre = median(reference);
  const scale = robustScale(reference);
  return (normal() - centre) / (scale * Math.sqrt(1 + Math.PI / (2 * references)));
}

test("the p-value is calibrated: under a normal reference of n models, P(p < 0.05) is at most about 0.05", () => {
  // The normal p-value this replaced gave a rate of 0.14 for n = 5 and 0.08 for n = 14 (heavy tails of a
  // MAD from few models); the t reference keeps the rate at or under the nominal level.
  const random = seededRandom(11);
  for (const references of [4, 5, 8, 14, 30]) {
    const draws = 8_000;
    let rejected = 0;
    for (let draw = 0; draw < draws; draw++) {
      const pivot = pivotUnderNull(references, random);
      if (studentUpperTail(pivot, referenceDegreesOfFreedom(references)) < 0.05) rejected++;
    }
    const rate = rejected / draws;
    assert.ok(rate < 0.06 && rate > 0.02, `n ${references}: rejection rate ${rate}`);
  }
});

test("median by selection equals the median of the sorted values, with ties, NaN and both parities", () => {
  const random = seededRandom(11);
  for (let trial = 0; trial < 2000; trial++) {
    const size = 1 + Math.floor(random() * 60);
    // Few distinct values in half of the trials, so ties are common.
    const distinct = trial % 2 === 0 ? 3 : 1000;
    const values = Array.from({ length: size }, () =>
      random() < 0.1 ? Number.NaN : Math.floor(random() * distinct) - distinct / 2,
    );
    const sorted = values.filter((value) => !Number.isNaN(value)).sort((left, right) => left - right);
    const half = sorted.length >> 1;
    const expected =
      sorted.length === 0
        ? Number.NaN
        : sorted.length % 2 === 1
          ? sorted[half]!
          : (sorted[half - 1]! + sorted[half]!) / 2;
    const input = Float64Array.from(values);
    const actual = median(input);
    assert.ok(
      Object.is(actual, expected) || actual === expected,
      `${values.join(",")}: ${actual} vs ${expected}`,
    );
    // The input is left as it was (the selection works on a copy).
    assert.deepEqual(Array.from(input), values);
  }
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
  assert.ok(student.pValue < 0.01, `student p ${student.pValue}`);
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

test("copies of one model count once, and tied references cannot shrink the spread to zero", () => {
  // Candidate 0, student 1; models 2..5 are one model under four names (the same D to the candidate),
  // models 6 and 7 differ. The student is a hair above the copies. Before: MAD 0, so z = excess / se = 10.
  const models = 8;
  const relative = new Float64Array(models * models).fill(Number.NaN);
  const toCandidate = [Number.NaN, 0.01, 0, 0, 0, 0, -0.05, 0.05];
  toCandidate.forEach((value, model) => {
    relative[model * models] = value;
  });
  const affinities = {
    models,
    mean: new Float64Array(models * models).fill(0.1),
    standardError: new Float64Array(models * models).fill(0.001),
  };
  const answers = Array.from({ length: models }, (_, model) =>
    Array.from({ length: 10 }, (_, prompt) =>
      model >= 2 && model <= 5
        ? `one model under four names gives this answer to prompt ${prompt}`
        : `model ${model} writes its own answer to prompt ${prompt}`,
    ),
  );
  const copies = copyGroups(answers);
  assert.deepEqual(copies.groups, [[2, 3, 4, 5]]);
  const grouped = betweenModelTest(relative, affinities, 1, 0, copies);
  assert.equal(grouped.references, 3, "the four copies count once beside models 6 and 7");
  assert.ok(grouped.pValue > 0.05, `grouped p ${grouped.pValue}`);
  const ungrouped = betweenModelTest(relative, affinities, 1, 0);
  assert.equal(ungrouped.references, 6);
  assert.ok(ungrouped.z < 1 && ungrouped.pValue > 0.05, `ungrouped z ${ungrouped.z}`);
});

test("copy groups: the same substantial text on more than half of the prompts either answered at length", () => {
  const long = (label: string) => `${label}: an answer long enough to count as evidence of copying`;
  const answers = [
    [long("a"), long("b"), long("c"), long("d")],
    [`${long("a")} `, `${long("b")}\n`, long("x"), long("d")],
    [long("a"), long("y"), long("z"), long("w")],
    ["", "", "", ""],
  ];
  // Model 1 gives model 0's text on 3 of 4 prompts; model 2 on 1 of 4 (not more than half); model 3
  // answered nothing.
  assert.deepEqual(copyGroups(answers).groups, [[0, 1]]);
  assert.deepEqual(Array.from(copyGroups(answers).representative), [0, 0, 2, 3]);
});

test("short answers alike by chance and a model that answered almost nothing are not copies", () => {
  // Eight independent models answering a numeric benchmark mostly agree ("4", "Yes"): no evidence.
  const short = Array.from({ length: 8 }, (_, model) =>
    Array.from({ length: 50 }, (_, prompt) => (prompt % 7 === model % 7 ? `${prompt + 1}` : `${prompt}`)),
  );
  assert.deepEqual(copyGroups(short).groups, []);
  // A model with 2 answers out of 50, both the same as a full model's, is not that model's copy.
  const full = Array.from(
    { length: 50 },
    (_, prompt) => `a long answer of the full model to prompt ${prompt}`,
  );
  const sparse = full.map((text, prompt) => (prompt < 2 ? text : ""));
  assert.deepEqual(copyGroups([full, sparse]).groups, []);
});
