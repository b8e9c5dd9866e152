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
    assert.ok(summary.intervals.overall.low <= 3 && summary.intervals.overall.high >= 3);
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
