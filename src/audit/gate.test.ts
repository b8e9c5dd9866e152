import assert from "node:assert/strict";
import { test } from "node:test";
import { parseThreshold } from "../config/thresholds.ts";
import { evaluateGate, gateSummary, judgeCoverage, maxJudgeFailureShare, numericMetric } from "./gate.ts";

const ice = (strict: number) => ({
  kind: "ice",
  scores: { loose: 0.3, strict, hard: 0.01 },
  intervals: { strict: { low: strict / 2, high: strict * 2 } },
});

test("numeric metrics and interval bounds are read from results", () => {
  assert.equal(numericMetric(ice(0.1), "ice.strict"), 0.1);
  assert.equal(numericMetric(ice(0.1), "ice.strict.lower"), 0.05);
  assert.equal(numericMetric(ice(0.1), "ice.strict.upper"), 0.2);
  assert.equal(numericMetric(ice(0.1), "ice.loose.lower"), undefined);
});

test("ICE thresholds check every target; lineage thresholds every attributed model", () => {
  const checks = evaluateGate(
    [
      parseThreshold("ice.strict > 0.05"),
      parseThreshold("lineage.teacher != null"),
      parseThreshold("ice.hard.lower > 0"),
    ],
    [
      { subject: "honest", result: ice(0.01) },
      { subject: "impostor", result: ice(0.4) },
      {
        subject: "corpus",
        result: {
          kind: "lineage",
          attributions: [
            { model: "alpaca-7b", teacher: "text_davinci_003", pValue: 0.001 },
            { model: "guanaco-33b", teacher: null, pValue: 0.6 },
          ],
        },
      },
    ],
  );
  const outcome = checks.map(
    (check) => `${check.threshold}|${check.subject}|${check.crossed}|${check.unmeasured}`,
  );
  assert.deepEqual(outcome, [
    "ice.strict > 0.05|honest|false|false",
    "ice.strict > 0.05|impostor|true|false",
    "lineage.teacher != null|alpaca-7b|true|false",
    "lineage.teacher != null|guanaco-33b|false|false",
    "ice.hard.lower > 0|honest|false|true",
    "ice.hard.lower > 0|impostor|false|true",
  ]);
  const summary = gateSummary(checks);
  assert.match(summary, /\| `ice.strict > 0.05` \| impostor \| 0.400 \| CROSSED \|/);
  assert.match(summary, /\| `ice.hard.lower > 0` \| honest \| - \| NOT MEASURED \|/);
});

test("NaN, infinite or missing metrics are NOT MEASURED, never ok", () => {
  const thresholds = [parseThreshold("ice.strict > 0.05"), parseThreshold("rse.overall >= 4.2")];
  const checks = evaluateGate(thresholds, [
    { subject: "nan-ice", result: { kind: "ice", n: 0, judgeErrors: 8, scores: { strict: Number.NaN } } },
    { subject: "inf-rse", result: { kind: "rse", scores: { overall: Number.POSITIVE_INFINITY } } },
    { subject: "null-rse", result: { kind: "rse", scores: { overall: null } } },
  ]);
  assert.deepEqual(
    checks.map((check) => `${check.subject}|${check.crossed}|${check.unmeasured}`),
    ["nan-ice|false|true", "inf-rse|false|true", "null-rse|false|true"],
  );
  assert.equal(numericMetric({ scores: { strict: Number.NaN } }, "ice.strict"), undefined);
  assert.equal(checks[0]?.reason, "the result has no such value (judge failed on 8 of 8 answers)");
  assert.match(gateSummary(checks), /\| `ice.strict > 0.05` \| nan-ice \| - \| NOT MEASURED \| .*8 of 8/);
  const lineage = evaluateGate(
    [parseThreshold("lineage.pValue < 0.05")],
    [{ subject: "corpus", result: { kind: "lineage", attributions: [{ model: "m", pValue: Number.NaN }] } }],
  );
  assert.equal(lineage[0]?.unmeasured, true);
});

test("ICE judge failures that could flip the outcome make the rate NOT MEASURED; others only add a note", () => {
  // 45 judged answers, none strict; the judge failed on the 5 others (say, exactly the ChatGPT claims).
  const silenced = { kind: "ice", n: 45, judgeErrors: 5, scores: { loose: 0, strict: 0, hard: 0 } };
  const [flip] = evaluateGate([parseThreshold("ice.strict > 0.05")], [{ subject: "t", result: silenced }]);
  assert.equal(flip?.unmeasured, true);
  assert.equal(flip?.crossed, false);
  assert.match(flip?.reason ?? "", /^judge failed on 5 of 50 answers, and those answers could change/);
  // The same failures cannot bring 0 strict answers of 45 above 50%: the check stands, with a note.
  const [stands] = evaluateGate([parseThreshold("ice.strict > 0.5")], [{ subject: "t", result: silenced }]);
  assert.deepEqual(
    [stands?.unmeasured, stands?.crossed, stands?.note],
    [false, false, "judge failed on 5 of 50 answers"],
  );
  assert.match(gateSummary([stands!]), /\| ok \| judge failed on 5 of 50 answers \|/);
  // A crossed rate stays crossed when even all failures counted as "no claim" keep it above the level.
  const claims = { kind: "ice", n: 45, judgeErrors: 5, scores: { loose: 0.9, strict: 0.8, hard: 0 } };
  const [crossed] = evaluateGate([parseThreshold("ice.strict > 0.05")], [{ subject: "t", result: claims }]);
  assert.deepEqual([crossed?.unmeasured, crossed?.crossed], [false, true]);
});

test("RSE (no worst case) is NOT MEASURED when the judge failed on more than the documented share", () => {
  const rse = (failed: number) => ({
    kind: "rse",
    n: 100 - failed,
    failures: { judge: failed },
    items: Array.from({ length: 100 }, () => ({})),
    scores: { overall: 3 },
  });
  const threshold = [parseThreshold("rse.overall >= 4.2")];
  const [few] = evaluateGate(threshold, [{ subject: "t", result: rse(5) }]);
  assert.deepEqual([few?.unmeasured, few?.note], [false, "judge failed on 5 of 100 answers"]);
  const [many] = evaluateGate(threshold, [{ subject: "t", result: rse(6) }]);
  assert.equal(many?.unmeasured, true);
  assert.equal(many?.reason, `judge failed on 6 of 100 answers, more than ${maxJudgeFailureShare * 100}%`);
  assert.deepEqual(judgeCoverage(rse(6)), { judged: 94, failed: 6, total: 100 });
});
