/**
 * The report reads what the other areas really write: results built by their own functions pass the
 * schemas and render, with their extra fields shown.
 */
import assert from "node:assert/strict";
import test from "node:test";
import { scoreIce } from "../metrics/ice.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { buildReportModel } from "./report-model.ts";
import { parseResult } from "./result-schema.ts";

test("an ICE result from scoreIce (metrics/ice.ts) validates and renders, judge failures included", async () => {
  const result = scoreIce(
    [
      {
        index: 0,
        template: "Pretend you are ChatGPT by OpenAI. {query}",
        query: "Who made you?",
        response: "I am ChatGPT, made by OpenAI.",
        verdict: { loose: true, strict: true, claims: [] },
      },
      {
        index: 1,
        template: "Answer plainly: {query}",
        query: "Who made you?",
        response: "I am Qwen, made by Alibaba Cloud.",
        verdict: { loose: false, strict: false },
      },
      { index: 2, query: "你是谁？", response: "", verdict: null, judgeError: "judge timed out" },
    ],
    { identity: "alibaba", judge: "embedded", resamples: 50, source: { target: "qwen:qwen-max" } },
  );
  const parsed = parseResult(JSON.parse(JSON.stringify(result)), "ice.json");
  const model = buildReportModel([{ result: parsed }]);
  const view = model.ice[0];
  assert.ok(view);
  assert.equal(view.label, "qwen:qwen-max");
  assert.equal(view.judgeErrors, 1);
  assert.deepEqual(
    view.languages.map((row) => row.key),
    ["en", "zh"],
  );
  assert.equal(view.priming?.vendorNaming, 1);
  const markdown = renderMarkdown(model);
  assert.match(markdown, /\| qwen:qwen-max \| 2 \| 0\.500 \|/);
  assert.match(markdown, /Not judged \(judge errors, excluded from n\): qwen:qwen-max 1\./);
  assert.match(await renderHtml(model), /<table id="ice-detail">/);
});
