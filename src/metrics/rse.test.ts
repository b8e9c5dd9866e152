import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AxisScores } from "../judges/similarity-embedded.ts";
import { seededRandom } from "./random.ts";
import { type RseScoredItem, rseStatistics } from "./rse.ts";

const flat = (value: number): AxisScores => ({ overall: value, style: value, logic: value, content: value });

function items(reference: string, dataset: string, values: readonly number[]): RseScoredItem[] {
  return values.map((value, index) => ({
    dataset,
    conversation: `${dataset}/${index}`,
    turn: 0,
    reference,
    scores: flat(value),
  }));
}

describe("rseStatistics", () => {
  it("averages datasets without weighting by size, as the paper's Avg does", () => {
    const result = rseStatistics(
      [...items("r", "small", [5, 5]), ...items("r", "large", Array(20).fill(3))],
      {
        references: ["r"],
        resamples: 200,
      },
    );
    assert.equal(result.byReference.r!.scores.overall, 4);
    assert.equal(result.datasets.small!.references.r!.scores.overall, 5);
    assert.equal(result.byReference.r!.n, 22);
    assert.deepEqual(result.datasets.small!.scores, result.datasets.small!.references.r!.scores);
  });

  it("clusters turns of one conversation and leaves judge errors out of the scores", () => {
    const turns: RseScoredItem[] = [
      { dataset: "d", conversation: "c1", turn: 0, reference: "r", scores: flat(2) },
      { dataset: "d", conversation: "c1", turn: 1, reference: "r", scores: flat(4) },
      { dataset: "d", conversation: "c2", turn: 0, reference: "r", scores: null },
      { dataset: "d", conversation: "c3", turn: 0, reference: "r", scores: flat(3) },
    ];
    const summary = rseStatistics(turns, { references: ["r"], resamples: 200 }).datasets.d!.references.r!;
    assert.equal(summary.n, 3);
    assert.equal(summary.conversations, 2);
    assert.equal(summary.judgeErrors, 1);
    assert.equal(summary.scores.overall, 3);
    assert.equal(summary.intervals.overall.method, "cluster-bootstrap");
    // Two conversations are too few for an interval (see the next test).
    assert.ok(Number.isNaN(summary.intervals.overall.low));
    const more = [...turns, ...items("r", "d", [3, 3.5, 2.5])];
    const wider = rseStatistics(more, { references: ["r"], resamples: 200 }).datasets.d!.references.r!;
    assert.equal(wider.conversations, 5);
    assert.ok(wider.intervals.overall.low <= 3 && wider.intervals.overall.high >= 3);
  });

  it("gives no interval (null bounds, a note) from fewer than 5 conversations, never a zero-width one", () => {
    const scored = [
      ...items("a", "one", [4.2]),
      ...items("b", "one", [2.1]),
      ...items("a", "four", [4, 4.1, 3.9, 4.2]),
      ...items("b", "four", [2, 2.1, 1.9, 2.2]),
      ...items("a", "many", [4, 4.1, 3.9, 4.2, 4]),
      ...items("b", "many", [2, 2.1, 1.9, 2.2, 2.4]),
    ];
    const result = rseStatistics(scored, { references: ["a", "b"], resamples: 200 });
    for (const name of ["one", "four"]) {
      const interval = result.datasets[name]!.references.a!.intervals.overall;
      assert.ok(Number.isNaN(interval.low) && Number.isNaN(interval.high), name);
      assert.match(interval.note!, /too few conversations \([14] < 5\)/);
      assert.equal(JSON.parse(JSON.stringify(interval)).low, null);
    }
    const many = result.datasets.many!.references.a!.intervals.overall;
    assert.ok(many.low < many.high && many.note === undefined);
    // The average over datasets weighs "one" like the others: its spread is unknown, so no interval.
    assert.match(result.byReference.a!.intervals.overall.note!, /too few conversations \(1 < 5\)/);
    assert.ok(Number.isFinite(result.byReference.a!.scores.overall));
    // Paired differences: 4 conversations -> no interval; the test still gives its (exact) p-value.
    const four = rseStatistics(
      [...items("a", "four", [4, 4.1, 3.9, 4.2]), ...items("b", "four", [2, 2.1, 1.9, 2.2])],
      { references: ["a", "b"], resamples: 200 },
    ).comparisons[0]!;
    assert.equal(four.n, 4);
    assert.ok(Number.isNaN(four.axes.overall.interval.low));
    assert.equal(four.axes.overall.pValue, 0.125, "exact: 2 of the 16 sign assignments are as extreme");
    assert.equal(four.nearer, null);
  });

  it("can call a reference nearer with six references (60 Holm-adjusted tests)", () => {
    const random = seededRandom(5);
    const near = Array.from({ length: 84 }, () => 4 + random() * 0.5);
    const references = ["near", "far1", "far2", "far3", "far4", "far5"];
    const scored = references.flatMap((reference) =>
      items(reference, "d", reference === "near" ? near : near.map((value) => value - 2 + (random() - 0.5))),
    );
    const result = rseStatistics(scored, { references, resamples: 200 });
    assert.equal(result.comparisons.length, 15);
    const againstNear = result.comparisons.filter((comparison) => comparison.first === "near");
    assert.equal(againstNear.length, 5);
    for (const comparison of againstNear) {
      assert.equal(
        comparison.nearer,
        "near",
        `${comparison.second}: p=${comparison.axes.overall.pValueHolm}`,
      );
      assert.ok(comparison.axes.overall.pValueHolm < 1e-6);
    }
    // Far references differ by noise only: none is called nearer than another.
    for (const comparison of result.comparisons.filter((entry) => entry.first !== "near"))
      assert.equal(comparison.nearer, null, `${comparison.first} vs ${comparison.second}`);
    assert.deepEqual(rseStatistics(scored, { references, resamples: 200 }).comparisons, result.comparisons);
  });

  it("finds the nearer reference when the paired difference is real, and neither when it is noise", () => {
    const random = seededRandom(3);
    const near = Array.from({ length: 40 }, () => 4 + random());
    const far = near.map((value) => value - 1 + (random() - 0.5) * 0.4);
    const noise = near.map((value) => value + (random() - 0.5) * 0.4);
    const clear = rseStatistics([...items("gpt", "d", near), ...items("claude", "d", far)], {
      references: ["gpt", "claude"],
    }).comparisons[0]!;
    assert.equal(clear.nearer, "gpt");
    assert.ok(clear.axes.overall.pValueHolm < 0.05);
    assert.ok(clear.axes.overall.interval.low > 0.8 && clear.axes.overall.interval.high < 1.2);
    const unclear = rseStatistics([...items("gpt", "d", near), ...items("claude", "d", noise)], {
      references: ["gpt", "claude"],
    }).comparisons[0]!;
    assert.equal(unclear.nearer, null);
    assert.ok(unclear.axes.overall.pValue > 0.05);
    const reversed = rseStatistics([...items("claude", "d", far), ...items("gpt", "d", near)], {
      references: ["claude", "gpt"],
    }).comparisons[0]!;
    assert.equal(reversed.nearer, "gpt");
    assert.ok(reversed.axes.overall.difference < 0);
  });
});
