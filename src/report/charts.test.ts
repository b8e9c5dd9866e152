import assert from "node:assert/strict";
import test from "node:test";
import { attributionGraph, lineageHeatmap, rseDatasetChart } from "./charts.ts";
import { buildReportModel } from "./report-model.ts";
import { sampleLineageResult, sampleTwoReferenceRseResult } from "./sample-results.ts";

function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1] ?? "");
}

test("a model name holding chart template markers ({a}, {b}, {c}, {x|y}) is drawn as written", () => {
  const lineage = sampleLineageResult({ models: 4, candidates: 1 });
  const name = "{a|rich}{b}{c} x";
  const attribution = lineage.attributions[0];
  assert.ok(attribution);
  const previous = attribution.model;
  attribution.model = name;
  const similarity = (lineage as { similarity?: { models: string[] } }).similarity;
  if (similarity) similarity.models = similarity.models.map((model) => (model === previous ? name : model));
  const view = buildReportModel([{ result: lineage }]).lineage[0];
  assert.ok(view);
  for (const chart of [attributionGraph(view, 0), lineageHeatmap(view, 0)]) {
    const texts = svgTexts(chart.svg);
    assert.ok(texts.includes(name), `${chart.id}: ${JSON.stringify(texts)}`);
    assert.ok(!texts.some((text) => text.includes("undefined") || text.includes("{a|rich}{a|rich}")));
  }
});

test("the RSE chart has a bar group per target and reference when a result has several references", () => {
  const view = buildReportModel([{ result: sampleTwoReferenceRseResult() }]).rse[0];
  assert.ok(view);
  const texts = svgTexts(rseDatasetChart([view]).svg);
  assert.ok(texts.includes("deepseek:de… vs openai:gpt-…"), JSON.stringify(texts));
  assert.ok(texts.includes("deepseek:de… vs anthropic:c…"), JSON.stringify(texts));
});
