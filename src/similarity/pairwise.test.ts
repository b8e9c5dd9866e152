import assert from "node:assert/strict";
import { test } from "node:test";
import { answerTerms } from "./features.ts";
import { meanSimilarity, pairwiseSimilarity } from "./pairwise.ts";

test("near-identical answers are more similar than unrelated ones; identical answers score 1", () => {
  const answers = [
    [
      "The capital of France is Paris, a city on the Seine.",
      "Water boils at 100 degrees Celsius at sea level.",
    ],
    [
      "The capital of France is Paris, which sits on the Seine.",
      "At sea level, water boils at 100 degrees Celsius.",
    ],
    ["Bananas are yellow fruit rich in potassium.", "Cats sleep for most of the day."],
    [
      "The capital of France is Paris, a city on the Seine.",
      "Water boils at 100 degrees Celsius at sea level.",
    ],
  ];
  const similarity = pairwiseSimilarity(answers);
  assert.ok(meanSimilarity(similarity, 0, 1) > meanSimilarity(similarity, 0, 2) + 0.2);
  assert.ok(Math.abs(meanSimilarity(similarity, 0, 3) - 1) < 1e-5);
});

test("CJK answers compare by character n-grams", () => {
  const similarity = pairwiseSimilarity([["我是一个人工智能助手"], ["我是人工智能助手"], ["今天天气很好"]]);
  assert.ok(meanSimilarity(similarity, 0, 1) > 0.5);
  assert.ok(meanSimilarity(similarity, 0, 2) < 0.2);
});

test("empty answers are skipped (NaN) rather than counted as dissimilar", () => {
  const similarity = pairwiseSimilarity([
    ["alpha beta", ""],
    ["alpha beta", "gamma"],
  ]);
  assert.ok(Math.abs(meanSimilarity(similarity, 0, 1) - 1) < 1e-5);
});

test("style markers capture formatting habits", () => {
  const terms = answerTerms("## Title\n- item\n1. step\n**bold**\n```js\n```");
  for (const marker of ["§header", "§bullet", "§numbered", "§bold", "§fence"])
    assert.ok(terms.includes(marker), marker);
});
