import assert from "node:assert/strict";
import { test } from "node:test";
import { distinctiveSimilarity } from "./distinctive.ts";

const at = (
  similarity: ReturnType<typeof distinctiveSimilarity>,
  prompt: number,
  left: number,
  right: number,
) => similarity.values[prompt * similarity.models * similarity.models + left * similarity.models + right]!;

test("topic words every model uses weigh nothing; a shared idiosyncratic choice weighs a lot", () => {
  const answers = [
    ["volcanoes erupt magma lava; consider mount vesuvius and pompeii"],
    ["volcanoes erupt magma lava; consider mount vesuvius and pompeii"],
    ["volcanoes erupt magma lava; for example krakatoa in indonesia"],
    ["volcanoes erupt magma lava; iceland has eyjafjallajokull"],
  ];
  const similarity = distinctiveSimilarity(answers);
  assert.ok(Math.abs(at(similarity, 0, 0, 1) - 1) < 1e-6, "same idiosyncratic example: identical vectors");
  assert.equal(at(similarity, 0, 2, 3), 0, "only topic words in common: no similarity at all");
  assert.equal(at(similarity, 0, 0, 2), 0);
});

test("words of the prompt are not evidence, and empty answers give NaN", () => {
  const answers = [
    ["indeed capital is paris today"],
    ["well capital is paris now"],
    ["lyon"],
    ["nice"],
    ["marseille"],
    [""],
  ];
  const withoutPrompt = distinctiveSimilarity(answers);
  const withPrompt = distinctiveSimilarity(answers, ["Which capital is Paris?"]);
  assert.ok(at(withoutPrompt, 0, 0, 1) > 0.05);
  // Everything the two answers share is in the prompt, so nothing is left to compare.
  assert.equal(at(withPrompt, 0, 0, 1), 0);
  assert.ok(Number.isNaN(at(withPrompt, 0, 0, 5)));
  assert.ok(Number.isNaN(at(withPrompt, 0, 5, 5)), "an empty answer has no self-similarity either");
});

test("a term most answers use is a majority choice and weighs nothing", () => {
  const answers = [["common rare"], ["common rare"], ["common x"], ["y"], ["z"]];
  const similarity = distinctiveSimilarity(answers);
  // "common" is in 3 of 5 answers (a majority): only the minority choice "rare" (and the markers) count.
  assert.ok(at(similarity, 0, 0, 1) > 0.99);
  assert.equal(at(similarity, 0, 0, 2), 0);
});

test("similarity is symmetric, bounded, and computed per prompt", () => {
  const answers = [
    ["alpha beta gamma delta", "one two three"],
    ["alpha beta epsilon zeta", "one two four"],
    ["eta theta iota kappa", "five six seven"],
    ["lambda mu", "eight nine"],
    ["nu xi", "ten eleven"],
  ];
  const similarity = distinctiveSimilarity(answers);
  for (let prompt = 0; prompt < 2; prompt++)
    for (let left = 0; left < 5; left++)
      for (let right = 0; right < 5; right++) {
        const value = at(similarity, prompt, left, right);
        assert.equal(value, at(similarity, prompt, right, left));
        assert.ok(value >= 0 && value <= 1 + 1e-6);
      }
  assert.ok(at(similarity, 0, 0, 1) > at(similarity, 0, 0, 2));
});
