import assert from "node:assert/strict";
import { test } from "node:test";
import { parseThreshold } from "../config/thresholds.ts";
import { alignAnswers } from "../corpus/aligned-corpus.ts";
import { runLineage } from "../metrics/lineage.ts";
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

test("RSE failures count over the primary reference, whose scores the gate reads, not over all references", () => {
  // 10 references of 12 items each; the judge failed on 4 items of the primary (ref1) and none else.
  const references = Array.from({ length: 10 }, (_, index) => `ref${index + 1}`);
  const items = references.flatMap((reference) =>
    Array.from({ length: 12 }, (_, index) => ({
      reference,
      scores: reference === "ref1" && index < 4 ? null : { overall: 5 },
    })),
  );
  const byReference = Object.fromEntries(
    references.map((reference) => [
      reference,
      { n: reference === "ref1" ? 8 : 12, judgeErrors: reference === "ref1" ? 4 : 0 },
    ]),
  );
  const result = {
    kind: "rse",
    references,
    primaryReference: "ref1",
    n: 8,
    byReference,
    failures: { judge: 4 },
    items,
    scores: { overall: 5 },
  };
  assert.deepEqual(judgeCoverage(result), {
    judged: 8,
    failed: 4,
    total: 12,
    allReferences: { failed: 4, total: 120, references: 10 },
  });
  const [check] = evaluateGate([parseThreshold("rse.overall >= 4.2")], [{ subject: "t", result }]);
  assert.deepEqual([check?.unmeasured, check?.crossed], [true, false]);
  assert.equal(
    check?.reason,
    "judge failed on 4 of 12 answers against the primary reference (4 of 120 over all 10 references), more than 5%",
  );
  // Without byReference (an older result), the primary's own items are counted.
  const { byReference: _, ...withoutSummary } = result;
  assert.deepEqual([judgeCoverage(withoutSummary)?.failed, judgeCoverage(withoutSummary)?.total], [4, 12]);
  // Failures on another reference only leave the primary's metric measured, with a note saying so.
  const elsewhere = {
    ...result,
    n: 12,
    byReference: { ...byReference, ref1: { n: 12, judgeErrors: 0 }, ref2: { n: 8, judgeErrors: 4 } },
  };
  const [measured] = evaluateGate(
    [parseThreshold("rse.overall >= 4.2")],
    [{ subject: "t", result: elsewhere }],
  );
  assert.deepEqual([measured?.unmeasured, measured?.crossed], [false, true]);
  assert.equal(
    measured?.note,
    "judge failed on 0 of 12 answers against the primary reference (4 of 120 over all 10 references)",
  );
});

test("an interval bound missing for too few conversations says so, not 'no such value'", () => {
  const result = {
    kind: "rse",
    n: 4,
    scores: { overall: 4.5 },
    intervals: {
      overall: { low: null, high: null, level: 0.95, method: "m", note: "too few conversations (2 < 5)" },
    },
  };
  const [check] = evaluateGate([parseThreshold("rse.overall.lower >= 4.2")], [{ subject: "t", result }]);
  assert.deepEqual([check?.unmeasured, check?.reason], [true, "no interval: too few conversations (2 < 5)"]);
  assert.match(
    gateSummary([check!]),
    // Printed on the terminal: "<" as written, not "&lt;".
    /\| NOT MEASURED \| no interval: too few conversations \(2 < 5\) \|$/,
  );
  const [plain] = evaluateGate([parseThreshold("rse.style.lower >= 1")], [{ subject: "t", result }]);
  assert.equal(plain?.reason, "the result has no such value");
});

test("the fail-on table escapes model names: no line break, pipe, markup or HTML gets through", () => {
  const hostile = "<img src=x onerror=alert(1)>|md|\n# heading \u202eevil";
  const checks = evaluateGate(
    [parseThreshold("lineage.teacher != null"), parseThreshold("ice.strict > 0.05")],
    [
      {
        subject: "corpus",
        result: {
          kind: "lineage",
          attributions: [{ model: hostile, teacher: "<b>gpt</b>\n| x |", pValue: 0.01 }],
        },
      },
      { subject: `target ${hostile}`, result: { kind: "ice", n: 45, judgeErrors: 5, scores: { strict: 0 } } },
    ],
  );
  const summary = gateSummary(checks);
  const lines = summary.split("\n");
  assert.equal(lines.length, 4, summary);
  for (const line of lines.slice(2)) {
    assert.equal(line.split(/(?<!\\)\|/).length, 7, `six cells in ${line}`);
    assert.doesNotMatch(line, /<img|<b>|\u202e/);
  }
  // No tag can open: each "<" that could start one is "&lt;" ("&gt;" is not needed once none can).
  assert.match(lines[2]!, /&lt;img src=x onerror=alert\(1\)>\\\|md\\\| # heading \\u202eevil/);
  assert.match(lines[2]!, /&lt;b>gpt&lt;\/b> \\\| x \\\|/);
});

test("the fail-on table writes values as the reports do and keeps comparisons readable", () => {
  const checks = evaluateGate(
    [parseThreshold("rse.overall < 4.5"), parseThreshold("lineage.pValue < 0.05")],
    [
      { subject: "t", result: { kind: "rse", n: 10, scores: { overall: 4.238444770875199 } } },
      {
        subject: "corpus",
        result: {
          kind: "lineage",
          attributions: [
            { model: "a", teacher: "x", pValue: 0.0004 },
            { model: "b", teacher: null, pValue: 0.026634 },
          ],
        },
      },
    ],
  );
  const summary = gateSummary(checks);
  assert.match(summary, /\| `rse.overall < 4.5` \| t \| 4\.238 \| CROSSED \|/);
  assert.match(summary, /\| `lineage.pValue < 0.05` \| a \| < 0\.001 \| CROSSED \|/);
  assert.match(summary, /\| `lineage.pValue < 0.05` \| b \| 0\.0266 \| CROSSED \|/);
  assert.doesNotMatch(summary, /&lt;|&amp;|4\.2384/);
  // An entity-like "&" is still escaped: the table cannot be made to show another character.
  const [check] = evaluateGate(
    [parseThreshold("lineage.teacher != null")],
    [{ subject: "c", result: { kind: "lineage", attributions: [{ model: "m", teacher: "AT&T &lt; x" }] } }],
  );
  assert.match(gateSummary([check!]), /\| AT&T &amp;lt; x \|/);
});

/** Answers of `models` to 12 prompts; the student copies the first candidate's phrasing. */
function smallCorpus(models: readonly string[]): Map<string, Map<string, string>> {
  const phrasing: Record<string, (topic: string) => string> = {
    student: (topic) => `I'd be glad to help with ${topic}. The short answer: it depends. Hope this helps!`,
    teacher: (topic) =>
      `I'd be happy to help with ${topic}. The short answer: it depends. I hope this helps!`,
    other: (topic) => `### ${topic}\n1. **Define** it.\n2. **Measure** it.\nIn summary, ${topic} matters.`,
    third: (topic) => `Okay, let's dive into ${topic}! * **Key takeaway:** start small.`,
  };
  const topics = [
    "sleep",
    "money",
    "gardens",
    "bridges",
    "coffee",
    "chess",
    "tides",
    "bread",
    "stars",
    "music",
    "code",
    "tea",
  ];
  return new Map(
    models.map((model) => [
      model,
      new Map(
        topics.map((topic, index) => [
          `p${index}`,
          (phrasing[model] ?? ((t) => `${model} says ${t}.`))(topic),
        ]),
      ),
    ]),
  );
}

test("a lineage check on a model the lineage module could not test is NOT MEASURED, not ok", () => {
  // Four models (a student and three candidates): fewer than 5, so no between-model reference.
  const result = runLineage(alignAnswers("memory", smallCorpus(["student", "teacher", "other", "third"])), {
    candidates: ["teacher", "other", "third"],
  });
  const attribution = result.attributions[0];
  assert.equal(attribution?.teacher, null);
  assert.equal(attribution?.pValue, 1);
  const thresholds = [parseThreshold("lineage.teacher != null"), parseThreshold("lineage.pValue < 0.05")];
  for (const given of [result, JSON.parse(JSON.stringify(result))]) {
    const checks = evaluateGate(thresholds, [{ subject: "corpus", result: given }]);
    assert.deepEqual(
      checks.map((check) => `${check.metric}|${check.subject}|${check.crossed}|${check.unmeasured}`),
      ["lineage.teacher|student|false|true", "lineage.pValue|student|false|true"],
    );
    assert.match(checks[0]?.reason ?? "", /^not tested: fewer than 5 models/);
    assert.match(
      gateSummary(checks),
      /\| student \| null \| NOT MEASURED \| not tested: fewer than 5 models/,
    );
  }
});

test("a lineage attribution that was tested is checked as before, even when it names no teacher", () => {
  const checks = evaluateGate(
    [parseThreshold("lineage.teacher != null")],
    [
      {
        subject: "corpus",
        result: {
          kind: "lineage",
          attributions: [
            {
              model: "m",
              teacher: null,
              pValue: 0.4,
              ranking: [{ candidate: "c", score: 0.3, excess: 0.01 }],
            },
          ],
        },
      },
    ],
  );
  assert.deepEqual(
    checks.map((check) => [check.crossed, check.unmeasured]),
    [[false, false]],
  );
});
