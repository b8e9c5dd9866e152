import assert from "node:assert/strict";
import { test } from "node:test";
import { combineThresholds, crosses, parseThreshold } from "./thresholds.ts";

test("parses numeric and name thresholds", () => {
  assert.deepEqual(parseThreshold("rse.overall >= 4.2"), {
    source: "rse.overall >= 4.2",
    metric: "rse.overall",
    operator: ">=",
    value: 4.2,
  });
  assert.equal(parseThreshold("lineage.teacher != null").value, null);
  assert.equal(parseThreshold('lineage.teacher == "gpt4_0314"').value, "gpt4_0314");
  assert.equal(parseThreshold("lineage.teacher == gpt4_0314").value, "gpt4_0314");
  assert.equal(parseThreshold("ice.strict.lower>0").metric, "ice.strict.lower");
});

test("rejects malformed thresholds with the reason", () => {
  assert.throws(() => parseThreshold("ice.strict"), /write "<metric> <operator> <value>"/);
  assert.throws(() => parseThreshold("ice.strict > high"), /is not a number/);
  assert.throws(() => parseThreshold("lineage.teacher > 3"), /compare it with == or !=/);
  assert.throws(() => parseThreshold("ice.stric > 0.1"), /did you mean "ice.strict"/);
  assert.throws(() => parseThreshold("accuracy > 0.1"), /unknown metric "accuracy"; known: /);
  assert.throws(() => parseThreshold("ice.strict => 0.1"), /is not a number|cannot parse/);
});

test("crosses compares the way the operator says", () => {
  assert.equal(crosses(parseThreshold("ice.strict > 0.05"), 0.06), true);
  assert.equal(crosses(parseThreshold("ice.strict > 0.05"), 0.05), false);
  assert.equal(crosses(parseThreshold("rse.overall >= 4.2"), 4.2), true);
  assert.equal(crosses(parseThreshold("rse.overall < 3"), 3.5), false);
  assert.equal(crosses(parseThreshold("rse.overall <= 3"), 3), true);
  assert.equal(crosses(parseThreshold("lineage.teacher != null"), "gpt4_0314"), true);
  assert.equal(crosses(parseThreshold("lineage.teacher != null"), null), false);
  assert.equal(crosses(parseThreshold("lineage.teacher == claude-2"), "claude-2"), true);
  assert.equal(crosses(parseThreshold("ice.strict > 0.05"), null), false);
});

test("combineThresholds: a flag replaces the same metric and operator, and is added otherwise", () => {
  const config = ["ice.strict > 0.05", "ice.strict < 0.9", "rse.overall >= 4"].map(parseThreshold);
  const flags = ["ice.strict > 0.1", "lineage.teacher != null"].map(parseThreshold);
  assert.deepEqual(
    combineThresholds(config, flags).map((threshold) => threshold.source),
    ["ice.strict < 0.9", "rse.overall >= 4", "ice.strict > 0.1", "lineage.teacher != null"],
  );
  assert.deepEqual(combineThresholds(config, []), config);
});

test("an ICE rate may be written in percent, as the summary prints it; other metrics refuse %", () => {
  assert.equal(parseThreshold("ice.strict > 5%").value, 0.05);
  assert.equal(parseThreshold("ice.hard.upper >= 12.5 %").value, 0.125);
  assert.equal(parseThreshold("ice.loose < 0.3").value, 0.3);
  assert.throws(
    () => parseThreshold("rse.overall > 80%"),
    /"rse\.overall" is not a rate: write it without %, e\.g\. "rse\.overall > 4\.2"/,
  );
  assert.throws(
    () => parseThreshold("lineage.pValue < 5%"),
    /"lineage\.pValue" is not a rate: write it without %, e\.g\. "lineage\.pValue < 0\.05"/,
  );
  assert.throws(
    () => parseThreshold("ice.strict > high%"),
    /"ice\.strict" is a number: "high%" is not a number/,
  );
  assert.throws(() => parseThreshold("ice.strict > %"), /is not a number/);
});
