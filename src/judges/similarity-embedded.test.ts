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
  it("scores blank answers 1 (nothing in common), even two of them, never 5", () => {
    for (const [left, right] of [
      ["", ""],
      [" \n\t", "   "],
      ["", reference],
    ] as const) {
      const scores = embeddedSimilarity(left, right, documentFrequencies([left, right]));
      assert.deepEqual(scores, { overall: 1, style: 1, logic: 1, content: 1 }, JSON.stringify([left, right]));
    }
    // Two answers without any word share no content (only their characters count).
    assert.ok(embeddedSimilarity("?!", "...").content < 2);
  });
  it("content in Chinese follows shared facts more than a shared answer template", () => {
    const templated = (title: string, points: string[]) =>
      `## ${title}\n\n### 要点\n\n${points.map((point, index) => `${index + 1}. ${point}`).join("\n")}\n\n**总结**：以上就是主要内容，希望对你有帮助！`;
    const topics = [
      {
        templated: templated("潮汐", [
          "**成因**：月球引力拉动海水。",
          "**周期**：大约每天两次涨落。",
          "**大潮**：日月连成一线时潮差最大。",
        ]),
        prose: "海水每天大约涨落两次，主要是月球引力拉着海水走；太阳和月亮连成一线的时候，潮差最大，叫大潮。",
      },
      {
        templated: templated("疫苗", [
          "**原理**：把减毒或灭活的病原体注入身体。",
          "**免疫**：免疫系统产生抗体和记忆细胞。",
          "**效果**：再遇到病原体时能迅速清除。",
        ]),
        prose:
          "打疫苗就是把灭活或减毒的病原体放进身体，让免疫系统先练一练，产生抗体和记忆细胞，以后真碰上病原体就能很快清除。",
      },
      {
        templated: templated("复利", [
          "**定义**：利息也会继续产生利息。",
          "**关键**：时间越长增长越快。",
          "**建议**：尽早开始储蓄和投资。",
        ]),
        prose:
          "复利说白了就是利滚利，利息本身还会再生利息，时间拉得越长涨得越快，所以储蓄和投资最好早点开始。",
      },
    ];
    const frequencies = documentFrequencies(topics.flatMap((topic) => [topic.templated, topic.prose]));
    let sameFacts = 0;
    let sameTemplate = 0;
    for (const [index, topic] of topics.entries()) {
      sameFacts += embeddedSimilarity(topic.templated, topic.prose, frequencies).content / topics.length;
      const other = topics[(index + 1) % topics.length]!;
      sameTemplate +=
        embeddedSimilarity(topic.templated, other.templated, frequencies).content / topics.length;
    }
    assert.ok(sameFacts > sameTemplate + 0.3, `same facts ${sameFacts} vs same template ${sameTemplate}`);
  });
  it("handles empty answers without NaN", () => {
    const scores = embeddedSimilarity("", "Some answer.");
    for (const value of Object.values(scores)) assert.ok(Number.isFinite(value));
    assert.ok(scores.content < 2);
  });
});
