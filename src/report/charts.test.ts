import assert from "node:assert/strict";
import test from "node:test";
import {
  attributionGraph,
  iceRseScatter,
  leftMarginForSlantedLabels,
  lineageHeatmap,
  loadChartLibrary,
  rseDatasetChart,
  scatterAxisExtent,
  valueAxis,
} from "./charts.ts";
import { buildReportModel } from "./report-model.ts";
import {
  sampleIceResult,
  sampleLineageResult,
  sampleRseResult,
  sampleTwoReferenceRseResult,
} from "./sample-results.ts";

await loadChartLibrary();

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

test("the RSE bars stand on the rubric's whole 1-5 scale, so 3.059 and 3.099 look alike", () => {
  assert.deepEqual(valueAxis({ yName: "similarity", yMin: 1, yMax: 5 }), {
    type: "value",
    name: "similarity",
    min: 1,
    max: 5,
  });
  assert.deepEqual(valueAxis({ yName: "share" }), { type: "value", name: "share", scale: true });
  const reference = (overall: number) => ({
    reference: "openai:gpt-4o",
    scores: { overall, style: overall, logic: overall, content: overall },
    intervals: {},
    datasets: [
      { name: "arena-hard", scores: { overall }, interval: { low: overall - 0.2, high: overall + 0.2 } },
    ],
  });
  const view = (label: string, overall: number) => ({
    label,
    references: ["openai:gpt-4o"],
    scores: reference(overall).scores,
    intervals: {},
    datasets: reference(overall).datasets,
    byReference: [reference(overall)],
    comparisons: [],
    items: [],
  });
  const texts = svgTexts(rseDatasetChart([view("first", 3.059), view("second", 3.099)]).svg);
  // The value axis is labelled from 1 to 5 (not fitted to 2.98-3.10 around the two bars).
  for (const label of ["1", "5"]) assert.ok(texts.includes(label), JSON.stringify(texts));
  assert.ok(!texts.some((text) => /^(?:2\.9\d*|3\.0\d+|3\.1\d*)$/.test(text)), JSON.stringify(texts));
});

test("a slanted first category label gets a left margin wide enough to stay inside the chart", () => {
  assert.equal(leftMarginForSlantedLabels(["a", "b"], 0), 56);
  assert.equal(leftMarginForSlantedLabels(["short"], 35), 56);
  const long = leftMarginForSlantedLabels(["claude-3-5-sonnet-20241022"], 35);
  assert.ok(long > 140 && long <= 180, `margin ${long}`);
  assert.equal(leftMarginForSlantedLabels(["x".repeat(200)], 35), 180);
});

test("the ICE-versus-RSE scatter stays on each metric's scale, with ticks at both ends", () => {
  assert.deepEqual(scatterAxisExtent([0, 1, 1], { low: 0, high: 1 }), { low: 0, high: 1 });
  assert.deepEqual(scatterAxisExtent([3.234, 3.504, 3.769, 3.87, 3.987, 4.1], { low: 1, high: 5 }), {
    low: 3,
    high: 4.2,
  });
  assert.deepEqual(scatterAxisExtent([4.9, 5], { low: 1, high: 5 }), { low: 4.85, high: 5 });
  assert.deepEqual(scatterAxisExtent([0.01, 0.03], { low: 0, high: 1 }), { low: 0, high: 0.04 });
  const ice = buildReportModel([{ result: sampleIceResult({ target: "t", items: 20 }) }]).ice[0];
  const rse = buildReportModel([{ result: sampleRseResult({ target: "t" }) }]).rse[0];
  assert.ok(ice && rse);
  ice.scores.strict = 1;
  delete ice.intervals.strict;
  const texts = svgTexts(iceRseScatter([{ ice, rse, iceIndex: 0 }]).svg);
  assert.ok(texts.includes("1"), JSON.stringify(texts));
  assert.ok(!texts.some((text) => /^1\.\d/.test(text)), `no tick past 1: ${JSON.stringify(texts)}`);
});
