import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { documentFrequencies, embeddedSimilarity } from "./similarity-embedded.ts";

const reference = [
  "## Overview",
  "",
  "Great question! Here is a clear breakdown of how to bake bread at home.",
  "",
  "1. **Mix** flour, water, salt and yeast.",
  "2. **Knead** the dough for ten minutes.",
  "3. **Proof** it until it doubles.",
  "",
  "## Summary",
  "",
  "In short, patience is the key ingredient. Let me know if you have any other questions!",
].join("\n");

const similar = [
  "## Overview",
  "",
  "Great question! Here is a clear breakdown of how to make bread yourself.",
  "",
  "1. **Combine** flour, water, salt and yeast.",
  "2. **Work** the dough for about ten minutes.",
  "3. **Rest** it until it has doubled.",
  "",
  "## Summary",
  "",
  "In short, time is the key ingredient. Let me know if you have any other questions!",
].join("\n");

const dissimilar =
  "bread? mix stuff, wait a while, throw it in a hot oven. done. honestly store bought is fine too";

describe("embedded similarity", () => {
  it("scores identical answers 5 on every axis", () => {
    const scores = embeddedSimilarity(reference, reference);
    for (const value of Object.values(scores)) assert.ok(Math.abs(value - 5) < 1e-9, String(value));
  });
  it("is symmetric and stays within 1-5", () => {
    const forward = embeddedSimilarity(reference, dissimilar);
    const backward = embeddedSimilarity(dissimilar, reference);
    for (const axis of ["style", "logic", "content", "overall"] as const) {
      assert.ok(Math.abs(forward[axis] - backward[axis]) < 1e-9, axis);
      assert.ok(forward[axis] >= 1 && forward[axis] <= 5, axis);
    }
  });
  it("ranks a same-style answer above a different-style one on every axis", () => {
    const frequencies = documentFrequencies([reference, similar, dissimilar]);
    const near = embeddedSimilarity(reference, similar, frequencies);
    const far = embeddedSimilarity(reference, dissimilar, frequencies);
    for (const axis of ["style", "logic", "content", "overall"] as const)
      assert.ok(near[axis] > far[axis] + 0.5, `${axis}: ${near[axis]} vs ${far[axis]}`);
  });
  it("works on Chinese answers", () => {
    const chineseReference =
      "## 概述\n\n好问题！以下是学习做饭的步骤：\n\n1. **准备**食材。\n2. **切菜**要小心。\n3. **炒菜**控制火候。\n\n总之，多练习就好。如有其他问题请告诉我！";
    const chineseSimilar =
      "## 概述\n\n好问题！以下是学做菜的步骤：\n\n1. **准备**调料。\n2. **洗菜**要仔细。\n3. **炒菜**注意火候。\n\n总之，多实践就好。如有其他问题请告诉我！";
    const chineseDissimilar = "做饭嘛，随便炒炒就行了，别想太多，网上视频一大堆。";
    const near = embeddedSimilarity(chineseReference, chineseSimilar);
    const far = embeddedSimilarity(chineseReference, chineseDissimilar);
    for (const axis of ["style", "logic", "content"] as const) assert.ok(near[axis] > far[axis], axis);
  });
  it("handles empty answers without NaN", () => {
    const scores = embeddedSimilarity("", "Some answer.");
    for (const value of Object.values(scores)) assert.ok(Number.isFinite(value));
    assert.ok(scores.content < 2);
  });
});
