import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateGate } from "../audit/gate.ts";
import { parseThreshold } from "../config/thresholds.ts";
import { RuntimeFailure, ThresholdCrossed } from "../errors.ts";
import { failOnGateOutcome } from "./fail-on.ts";

const outcomeMessage = (threshold: string, result: Record<string, unknown>): string => {
  const checks = evaluateGate([parseThreshold(threshold)], [{ subject: "target", result }]);
  try {
    failOnGateOutcome(checks);
  } catch (error) {
    assert.ok(error instanceof ThresholdCrossed || error instanceof RuntimeFailure);
    return error.message;
  }
  return "";
};

test("the crossed line writes the value as the reports round it", () => {
  assert.equal(
    outcomeMessage("rse.overall < 4.5", { kind: "rse", n: 10, scores: { overall: 4.238444770875199 } }),
    "fail-on: 1 threshold check(s) crossed, first: rse.overall < 4.5 for target (value 4.238)",
  );
  const lineage = (pValue: number) => ({
    kind: "lineage",
    attributions: [{ model: "student", teacher: "x", pValue }],
  });
  assert.match(outcomeMessage("lineage.pValue < 0.05", lineage(0.0004)), /for student \(value < 0\.001\)$/);
  assert.match(outcomeMessage("lineage.pValue < 0.05", lineage(0.026634)), /for student \(value 0\.0266\)$/);
  assert.match(outcomeMessage("lineage.teacher != null", lineage(0.01)), /for student \(value x\)$/);
});

test("an unmeasured line keeps '<' as written", () => {
  const result = {
    kind: "rse",
    n: 4,
    scores: { overall: 4.5 },
    intervals: { overall: { low: null, high: null, note: "too few conversations (1 < 5)" } },
  };
  assert.match(outcomeMessage("rse.overall.lower >= 4.2", result), /too few conversations \(1 < 5\)$/);
});

test("a crossed check and an unmeasured one: exit 1 (ThresholdCrossed), and the line counts the unmeasured one", () => {
  const checks = evaluateGate(
    [parseThreshold("rse.overall < 4.5"), parseThreshold("rse.style < 4.5")],
    [{ subject: "target", result: { kind: "rse", n: 10, scores: { overall: 4.2, style: null } } }],
  );
  assert.equal(checks.filter((check) => check.unmeasured).length, 1);
  assert.throws(
    () => failOnGateOutcome(checks),
    (error: unknown) =>
      error instanceof ThresholdCrossed &&
      /^fail-on: 1 threshold check\(s\) crossed, first: rse\.overall < 4\.5 for target \(value 4\.200\); 1 other check\(s\) could not be evaluated \(see the table\)$/.test(
        error.message,
      ),
  );
  // Alone, the unmeasured check is exit 3.
  assert.throws(() => failOnGateOutcome(checks.filter((check) => check.unmeasured)), RuntimeFailure);
});
