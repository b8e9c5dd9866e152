import assert from "node:assert/strict";
import { test } from "node:test";
import { parseThreshold } from "../config/thresholds.ts";
import { evaluateGate, gateSummary, numericMetric } from "./gate.ts";

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
