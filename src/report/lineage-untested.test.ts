/**
 * A lineage result where no test could be made (fewer than 5 models) carries placeholders: teacher null,
 * p-value 1, score 0 (`excess: null`). Both reports must say "not tested" instead of "none supported,
 * p-value 1", which a reader takes for evidence of no distillation.
 */
import assert from "node:assert/strict";
import test from "node:test";
import { alignAnswers } from "../corpus/aligned-corpus.ts";
import { runLineage } from "../metrics/lineage.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { buildReportModel } from "./report-model.ts";

const topics = [
  "sleep",
  "money",
  "gardens",
  "bridges",
  "coffee",
  "chess",
  "tides",
  "bread",
  "stars",
  "music",
];
const phrasing: Record<string, (topic: string) => string> = {
  student: (topic) => `I'd be glad to help with ${topic}. The short answer: it depends. Hope this helps!`,
  teacher: (topic) => `I'd be happy to help with ${topic}. The short answer: it depends. I hope this helps!`,
  other: (topic) => `### ${topic}\n1. **Define** it.\n2. **Measure** it.\nIn summary, ${topic} matters.`,
  third: (topic) => `Okay, let's dive into ${topic}! * **Key takeaway:** start small.`,
  fourth: (topic) => `${topic}: basically try it. done.`,
  fifth: (topic) => `Regarding ${topic}, one should note the following. Thank you for the question.`,
  sixth: (topic) => `Answer.\n- ${topic} -> start small\nEnd of answer.`,
};

/** The lineage result (as its JSON reads back) of the student and three candidates plus `controls`. */
function lineageJson(controls: readonly string[]): Record<string, unknown> {
  const models = ["student", "teacher", "other", "third", ...controls];
  const answers = new Map(
    models.map((model) => [
      model,
      new Map(topics.map((topic, index) => [`p${index}`, phrasing[model]!(topic)])),
    ]),
  );
  const result = runLineage(alignAnswers("memory", answers), { candidates: ["teacher", "other", "third"] });
  return JSON.parse(JSON.stringify(result));
}

test("an untested lineage attribution reads 'not tested' in both reports, never 'p-value 1'", async () => {
  const model = buildReportModel([{ result: lineageJson([]) as never }]);
  const markdown = renderMarkdown(model);
  assert.match(markdown, /\| student \| not tested \| not tested \| teacher \(most similar; no test\) \|/);
  assert.doesNotMatch(markdown, /\| student \| none supported \| 1 \|/);
  const html = await renderHtml(model);
  const row =
    /<tr><td>[\s\S]*?student[\s\S]*?<\/tr>/.exec(html.slice(html.indexOf("lineage-table")))?.[0] ?? "";
  assert.match(
    row,
    /<td>not tested<\/td><td>not tested<\/td><td><bdi>teacher<\/bdi> \(most similar; no test\)<\/td>/,
  );
  assert.ok(html.includes('"pValue":"not tested"'), "the drill-down data says not tested too");
});

test("a tested lineage attribution keeps its teacher, p-value and z", () => {
  const markdown = renderMarkdown(
    buildReportModel([{ result: lineageJson(["fourth", "fifth", "sixth"]) as never }]),
  );
  const row = markdown.split("\n").find((line) => line.startsWith("| student |")) ?? "";
  assert.doesNotMatch(row, /not tested/);
  assert.match(
    row,
    /\| student \| (teacher|none supported) \| [<\d.]+ [\d.]*\s*\| teacher \(-?\d+\.\d{3}\) \|/,
  );
});

test("the graph legend says grey is 'not tested' when nothing was tested, and the tables say the score is z", async () => {
  const untested = buildReportModel([{ result: lineageJson([]) as never }]);
  const html = await renderHtml(untested);
  assert.ok(html.includes("grey: not tested)"), "the graph legend of an untested lineage");
  assert.ok(!html.includes("grey: none supported"));
  assert.ok(html.includes("<th>Closest candidate (z)</th>"));
  assert.match(renderMarkdown(untested), /\| Model \| Teacher \| p-value \| Closest candidate \(z\) \|/);
  const tested = await renderHtml(
    buildReportModel([{ result: lineageJson(["fourth", "fifth", "sixth"]) as never }]),
  );
  assert.ok(tested.includes("grey: none supported)"), "a tested lineage keeps 'none supported'");
});
