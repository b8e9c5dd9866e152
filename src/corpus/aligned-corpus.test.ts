import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { alignAnswers } from "./aligned-corpus.ts";

const prompts = ["p1", "p2", "p3", "p4"];
/** A model's answers to the four prompts; `empty` lists the prompts it answered with "". */
const answers = (model: string, empty: string[] = []) =>
  new Map(prompts.map((prompt) => [prompt, empty.includes(prompt) ? " " : `${model} on ${prompt}`]));

test("a model whose every answer is empty is left out and named, not kept as a model with no similarity", () => {
  const corpus = alignAnswers(
    "memory",
    new Map([
      ["a", answers("a")],
      ["b", answers("b")],
      ["failed", answers("failed", prompts)],
    ]),
  );
  assert.deepEqual(corpus.models, ["a", "b"]);
  assert.equal(corpus.answers.length, 2);
  assert.deepEqual(corpus.counts.emptyModels, ["failed"]);
  assert.equal(corpus.counts.missingAnswers, 0);
  assert.deepEqual(corpus.counts.notes, ["failed left out: all 4 of its answers are empty"]);
});

test("when the empty models leave fewer than two, the error names them", () => {
  assert.throws(
    () =>
      alignAnswers(
        "memory",
        new Map([
          ["a", answers("a")],
          ["failed", answers("failed", prompts)],
        ]),
      ),
    (error: unknown) =>
      error instanceof InputError &&
      error.message ===
        "memory: found 1 model(s) with an answer; lineage needs at least two models' answers (failed left out: all 4 of its answers are empty)",
  );
});

test("a model with most of its aligned answers empty is named with the prompts its comparisons rest on", () => {
  const corpus = alignAnswers(
    "memory",
    new Map([
      ["a", answers("a")],
      ["b", answers("b", ["p1"])],
      ["sparse", answers("sparse", ["p1", "p2", "p3"])],
    ]),
  );
  assert.deepEqual(corpus.models, ["a", "b", "sparse"]);
  assert.equal(corpus.counts.missingAnswers, 4);
  assert.equal(corpus.counts.emptyModels, undefined);
  // b's one empty answer of four is not worth a note; sparse's three are.
  assert.deepEqual(corpus.counts.notes, [
    "sparse has 3 empty answers of 4, so its comparisons rest on 1 prompts",
  ]);
});
