import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AxisScores } from "../judges/similarity-embedded.ts";
import { type RseScoredItem, rseStatistics } from "../metrics/rse.ts";
import type { RseResult } from "./run.ts";
import { renderRseTables } from "./table.ts";

const flat = (value: number): AxisScores => ({ overall: value, style: value, logic: value, content: value });

function scored(reference: string, dataset: string, values: readonly number[]): RseScoredItem[] {
  return values.map((value, index) => ({
    dataset,
    conversation: `${dataset}/${index}`,
    turn: 0,
    reference,
    scores: flat(value),
  }));
}

/** A result around the statistics of the given items (only the fields the tables read). */
function resultOf(items: RseScoredItem[], references: string[]): RseResult {
  const statistics = rseStatistics(items, { references, resamples: 200 });
  return {
    ...statistics,
    target: "t",
    references,
    judge: "embedded",
    failures: { collection: [], judge: 0, emptyAnswers: [] },
    answerCounts: {},
  } as unknown as RseResult;
}

describe("renderRseTables", () => {
  it("shows n/a (too few conversations) for an interval from one conversation, never a zero-width interval", () => {
    const result = resultOf(
      [...scored("a", "one", [4.2]), ...scored("a", "many", [4, 4.1, 3.9, 4.2, 4, 4.3])],
      ["a"],
    );
    const tables = renderRseTables(result);
    assert.match(
      tables,
      /\| a \| 4\.200 \[n\/a \(too few conversations\)\] \| 4\.083 \[\d\.\d\d, \d\.\d\d\] \|/,
    );
    assert.ok(!tables.includes("[4.20, 4.20]"), tables);
  });

  it("marks a difference interval that excludes 0 beside a test that is not significant", () => {
    // Six conversations: the bootstrap interval of the difference is far from 0, but the exact
    // two-sided sign-flip p is at best 2/64, and Holm over 3 pairs x 4 axes makes it 0.375.
    const near = [4, 4.1, 3.9, 4.2, 4, 4.3];
    const result = resultOf(
      [
        ...scored("a", "d", near),
        ...scored(
          "b",
          "d",
          near.map((value) => value - 2),
        ),
        ...scored(
          "c",
          "d",
          near.map((value) => value - 2.1),
        ),
      ],
      ["a", "b", "c"],
    );
    const first = result.comparisons[0]!.axes.overall;
    assert.ok(first.interval.low > 0 && first.pValueHolm >= 0.05, JSON.stringify(first));
    const tables = renderRseTables(result);
    assert.match(tables, /\| a \| b \| 2\.000 \[\d\.\d\d, \d\.\d\d\] \(p = 0\.375\) † \|/);
    assert.match(tables, /† The bootstrap interval excludes 0 but the Holm-adjusted test is not significant/);
  });

  it("writes Holm p-values as the reports do: 3 significant digits, < 0.001, n/a when not computed", () => {
    const near = [4, 4.1, 3.9, 4.2, 4, 4.3];
    const result = resultOf(
      [
        ...scored("a", "d", near),
        ...scored(
          "b",
          "d",
          near.map((value) => value - 1),
        ),
      ],
      ["a", "b"],
    );
    const axesOfFirst = result.comparisons[0]!.axes;
    axesOfFirst.overall.pValueHolm = 0.0004;
    axesOfFirst.style.pValueHolm = 0.02664;
    axesOfFirst.logic.pValueHolm = Number.NaN;
    axesOfFirst.content.pValueHolm = 1;
    const tables = renderRseTables(result);
    const row = tables.split("\n").find((line) => line.startsWith("| a | b |")) ?? "";
    const pValues = [...row.matchAll(/\((p [^)]*)\)/g)].map((match) => match[1]);
    // Columns in axis order: style, logic, content, overall.
    assert.deepEqual(pValues, ["p = 0.0266", "p n/a", "p = 1", "p < 0.001"], row);
  });

  it("says which records of a prompt file were left out and why, and nothing when none were", () => {
    const result = resultOf(scored("a", "sharegpt", [4, 4.1, 3.9, 4.2, 4, 4.3]), ["a"]);
    result.prompts = [
      { dataset: "default", source: "built-in", prompts: 84, turns: 96, skipped: {} },
      {
        dataset: "sharegpt",
        source: "data/sg.json",
        prompts: 11,
        turns: 20,
        skipped: { "no human turn": 1, "duplicate id": 1 },
      },
    ];
    const tables = renderRseTables(result);
    assert.ok(
      tables.includes(
        'Left out of sharegpt (data/sg.json): 2 record(s) of the file (no human turn: 1, duplicate id: 1); see "prompts" in the result.',
      ),
      tables,
    );
    assert.ok(!tables.includes("Left out of default"), tables);
    assert.match(tables, /Axes \(average over datasets; n = turns scored against the reference\)/);
  });

  it("says which conversations were cut short and why, and nothing when none were", () => {
    const result = resultOf(scored("a", "sharegpt", [4, 4.1, 3.9, 4.2, 4, 4.3]), ["a"]);
    result.prompts = [
      { dataset: "default", source: "built-in", prompts: 84, turns: 96, skipped: {} },
      {
        dataset: "sharegpt",
        source: "data/sg.json",
        prompts: 11,
        turns: 20,
        skipped: {},
        shortened: { "cut at a system turn after a human turn": 3 },
      },
    ];
    const tables = renderRseTables(result);
    assert.ok(
      tables.includes(
        'Shortened in sharegpt (data/sg.json): 3 record(s) of the file (cut at a system turn after a human turn: 3); see "prompts" in the result.',
      ),
      tables,
    );
    assert.ok(!tables.includes("Shortened in default"), tables);
    assert.ok(!tables.includes("Left out of"), tables);
  });

  it("counts the turns without an answer by why they have none", () => {
    const result = resultOf(scored("a", "d", [4, 4.1, 3.9, 4.2, 4, 4.3]), ["a"]);
    const failure = (error: string) => ({ model: "a", promptId: "p", dataset: "d", turn: 0, error });
    result.failures.collection = [
      failure("too_long: a: request too long for the model (400): maximum context length is 8192 tokens"),
      failure("retryable: a: server error (500): oops"),
      failure("retryable: a: network error (ECONNRESET)"),
      failure("not asked: an earlier turn has no answer"),
    ];
    const tables = renderRseTables(result);
    assert.ok(
      tables.includes(
        "Not scored: 4 turn(s) without an answer (too_long: 1, retryable: 2, not asked: 1), 0 empty answer(s), 0 judge error(s).",
      ),
      tables,
    );
  });

  it("shows names with terminal controls as visible escapes, still escaped for Markdown", () => {
    const hostile = "ref\u001b[2J|x\u202e";
    const result = resultOf(scored(hostile, "set", [4, 4.1, 3.9, 4.2, 4, 4.3]), [hostile]);
    const tables = renderRseTables(result);
    assert.ok(!/[\u001b\u202e]/.test(tables), tables);
    assert.ok(tables.includes("| ref\\u001b\\[2J\\|x\\u202e |"), tables);
  });
});
