import assert from "node:assert/strict";
import test from "node:test";
import { scoreIce } from "../metrics/ice.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { buildReportModel } from "./report-model.ts";
import { parseResult } from "./result-schema.ts";
import { sampleIceResult, sampleLineageResult, sampleRseResult } from "./sample-results.ts";

/** The walkthrough's case: 4 answers from 2 templates, written to JSON and read back as a report does. */
function fewTemplatesResult() {
  const answer = (index: number, template: string, claims: boolean) => ({
    index,
    template,
    query: "Who made you?",
    response: claims ? "I am ChatGPT." : "I am Qwen.",
    verdict: { loose: claims, strict: claims },
  });
  const result = scoreIce(
    [answer(0, "A {query}", true), answer(1, "A {query}", false), answer(2, "B {query}", true)].concat(
      answer(3, "B {query}", false),
    ),
    { identity: "alibaba", judge: "embedded", source: { target: "qwen" } },
  );
  return parseResult(JSON.parse(JSON.stringify(result)), "result.json");
}

test("an ICE interval over too few templates reads n/a in the Markdown and HTML reports", async () => {
  const model = buildReportModel([{ result: fewTemplatesResult() }]);
  const view = model.ice[0];
  assert.ok(view);
  assert.deepEqual(view.intervals, {});
  assert.equal(view.intervalNotes.strict, "too few templates (2 < 5)");
  const row = renderMarkdown(model)
    .split("\n")
    .find((line) => line.startsWith("| qwen | 4 |"));
  assert.equal(
    row,
    "| qwen | 4 | 0.500 | n/a (too few templates) | 0.500 | n/a (too few templates) | 0.500 | n/a (too few templates) |",
  );
  const html = await renderHtml(model);
  const table = /<table id="ice-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
  assert.equal(
    table.match(/<span class="ci"><bdi>n\/a \(too few templates\)<\/bdi><\/span>/g)?.length,
    3,
    table,
  );
});

test("p-values and scores are rounded in the HTML tables, chart labels and drill-down data", async () => {
  const lineage = sampleLineageResult({ models: 5, candidates: 2 });
  const attribution = lineage.attributions[0];
  assert.ok(attribution);
  attribution.pValue = 0.02657275948493136;
  const first = attribution.ranking[0];
  assert.ok(first);
  first.score = 0.912345678;
  const model = buildReportModel([{ result: lineage }]);
  const html = await renderHtml(model);
  assert.ok(!html.includes("0.02657275948493136"), "the raw p-value is nowhere in the page");
  assert.ok(!html.includes("0.912345678"), "the raw score is nowhere in the page");
  assert.match(html, /<td>0\.0266<\/td>/);
  assert.match(html, /p = 0\.0266/);
  const data = JSON.parse(
    /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)?.[1] ?? "",
  );
  assert.equal(data.lineage[0].attributions[0].pValue, "0.0266");
  assert.ok(data.lineage[0].attributions[0].ranking.some((entry: [string, number]) => entry[1] === 0.912));
  assert.ok(renderMarkdown(model).includes("| 0.0266 |"));
});

test("an RSE interval over too few conversations reads n/a in both reports too", async () => {
  const note = "too few conversations (3 < 5)";
  const none = { low: null, high: null, level: 0.95, method: "cluster-bootstrap", note };
  const result = parseResult(
    {
      schemaVersion: 1,
      toolVersion: "test",
      createdAt: "2026-01-01T00:00:00Z",
      kind: "rse",
      target: "qwen",
      references: ["openai:gpt-4o"],
      scores: { overall: 3.2, style: 3, logic: 3, content: 3 },
      intervals: { overall: none, style: none, logic: none, content: none },
      datasets: { numina: { scores: { overall: 3.2 }, intervals: { overall: none } } },
      items: [],
    },
    "rse.json",
  );
  const model = buildReportModel([{ result }]);
  const row = renderMarkdown(model)
    .split("\n")
    .find((line) => line.startsWith("| qwen | openai:gpt-4o |"));
  assert.equal(
    row,
    `| qwen | openai:gpt-4o | 3.200 n/a (too few conversations) | 3.200 n/a (too few conversations) | ${"3.000 n/a (too few conversations) | ".repeat(3).trim()}`,
  );
  const table = /<table id="rse-table">[\s\S]*?<\/table>/.exec(await renderHtml(model))?.[0] ?? "";
  assert.equal(table.match(/n\/a \(too few conversations\)/g)?.length, 5, table);
});

test("results of two tool versions for one target: both reports say which row is which file, version and time", async () => {
  const older = { ...sampleIceResult({ target: "DeepSeek-V3", items: 10 }), toolVersion: "0.0.3" };
  older.createdAt = "2025-01-01T00:00:00.000Z";
  const newer = { ...sampleIceResult({ target: "DeepSeek-V3", items: 10 }), toolVersion: "0.1.0" };
  newer.createdAt = "2026-11-29T23:29:34.245Z";
  const model = buildReportModel([
    { result: newer, source: "/runs/ice-new.json", file: "results/ice-new.json" },
    { result: older, source: "/old/ice-old.json" },
  ]);
  assert.deepEqual(
    model.sources.map((source) => `${source.label}|${source.file}|${source.toolVersion}|${source.createdAt}`),
    [
      "DeepSeek-V3|results/ice-new.json|0.1.0|2026-11-29T23:29:34.245Z",
      "DeepSeek-V3 (2)|ice-old.json|0.0.3|2025-01-01T00:00:00.000Z",
    ],
  );
  const markdown = renderMarkdown(model);
  assert.match(
    markdown,
    /\*\*Note:\*\* these results were written by 2 versions of distillscope \(0\.0\.3, 0\.1\.0\)\./,
  );
  assert.ok(
    markdown.includes("| DeepSeek-V3 (2) | ice | ice-old.json | 0.0.3 | 2025-01-01T00:00:00.000Z |"),
    markdown,
  );
  const html = await renderHtml(model);
  const table = /<table id="sources-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
  assert.match(
    table,
    /<tr><td><bdi>DeepSeek-V3 \(2\)<\/bdi><\/td><td>ice<\/td><td><bdi>ice-old\.json<\/bdi><\/td><td><bdi>0\.0\.3<\/bdi><\/td><td><bdi>2025-01-01T00:00:00\.000Z<\/bdi><\/td><\/tr>/,
  );
  assert.match(
    html,
    /these results were written by 2 versions of distillscope \(<bdi>0\.0\.3<\/bdi>, <bdi>0\.1\.0<\/bdi>\)/,
  );
  // One version: the table, no note.
  assert.doesNotMatch(renderMarkdown(buildReportModel([{ result: newer }])), /versions of distillscope/);
});

const refusedTemperature =
  "was sampled without temperature (the model refused temperature 0): its answers are not deterministic, as it answered at its provider's default temperature.";

test("a model sampled without temperature says so under its numbers in both reports; others do not", async () => {
  const refused = {
    ...sampleIceResult({ target: "openai:o3<b>", items: 10 }),
    generation: { temperature: 0, sentWithout: ["temperature"] },
  };
  const greedy = { ...sampleIceResult({ target: "qwen", items: 10 }), generation: { temperature: 0 } };
  const model = buildReportModel([
    { result: parseResult(JSON.parse(JSON.stringify(refused)), "ice-o3.json") },
    { result: parseResult(JSON.parse(JSON.stringify(greedy)), "ice-qwen.json") },
  ]);
  const markdown = renderMarkdown(model);
  assert.ok(markdown.includes(`**Note:** openai:o3&lt;b&gt; ${refusedTemperature}`), markdown);
  assert.equal(markdown.split("sampled without").length, 2, "one line, for the model that refused");
  const html = await renderHtml(model);
  assert.ok(
    html.includes(
      `</table><p class="note sampling"><strong>Note:</strong> <bdi>openai:o3&lt;b&gt;</bdi> ${refusedTemperature.replace("'", "&#39;")}</p>`,
    ),
  );
  assert.equal(html.split("sampled without").length, 2);

  const plain = buildReportModel([
    { result: parseResult(JSON.parse(JSON.stringify(greedy)), "ice-qwen.json") },
  ]);
  assert.doesNotMatch(renderMarkdown(plain), /sampled without/);
  assert.doesNotMatch(await renderHtml(plain), /sampled without|class="note sampling"/);
});

test("RSE: each model that refused temperature or top-p is named with its part, in both reports", async () => {
  const rse = JSON.parse(
    JSON.stringify(sampleRseResult({ target: "openai:o3", reference: "anthropic:claude-opus-4-7" })),
  );
  rse.generation = { temperature: 0, topP: 0.9 };
  rse.answerCounts = {
    "openai:o3": { turns: 15, answered: 15, empty: 0, failed: 0, sentWithout: ["temperature"] },
    "anthropic:claude-opus-4-7": { turns: 15, answered: 15, empty: 0, failed: 0, sentWithout: ["topP"] },
  };
  const model = buildReportModel([{ result: parseResult(rse, "rse.json") }]);
  const markdown = renderMarkdown(model);
  assert.ok(markdown.includes(`**Note:** openai:o3 (target) ${refusedTemperature}`), markdown);
  const topP =
    "**Note:** anthropic:claude-opus-4-7 (reference for openai:o3) was sampled without top-p (the model refused top-p 0.9): it answered at its provider's default top-p.";
  assert.ok(markdown.includes(topP), markdown);
  const section = /<section id="rse">[\s\S]*?<\/section>/.exec(await renderHtml(model))?.[0] ?? "";
  assert.ok(section.includes(`<bdi>openai:o3</bdi> (target) ${refusedTemperature.replace("'", "&#39;")}`));
  assert.ok(
    section.includes(
      "<bdi>anthropic:claude-opus-4-7</bdi> (reference for <bdi>openai:o3</bdi>) was sampled without top-p",
    ),
  );

  delete rse.answerCounts["openai:o3"].sentWithout;
  delete rse.answerCounts["anthropic:claude-opus-4-7"].sentWithout;
  const plain = buildReportModel([{ result: parseResult(rse, "rse.json") }]);
  assert.doesNotMatch(renderMarkdown(plain), /sampled without/);
  assert.doesNotMatch(await renderHtml(plain), /sampled without/);
});

test("RSE: prompt sets that left records out or shortened some are named under the table, escaped, in both reports", async () => {
  const rse = JSON.parse(JSON.stringify(sampleRseResult({ target: "qwen" })));
  rse.prompts = [
    { dataset: "default", source: "built-in", prompts: 84, turns: 96, skipped: {} },
    {
      dataset: "sharegpt|<img src=x onerror=alert(1)>",
      source: "data/*sg*.json",
      prompts: 11,
      turns: 20,
      skipped: { "no human turn": 1, "duplicate id</p>": 2 },
      shortened: { "cut at a system turn after a human turn": 3 },
    },
  ];
  const model = buildReportModel([{ result: parseResult(rse, "rse.json") }]);
  const markdown = renderMarkdown(model);
  const markdownSet = "sharegpt\\|&lt;img src=x onerror=alert(1)&gt; (data/\\*sg\\*.json)";
  assert.ok(
    markdown.includes(
      `\n\n**Note:** qwen: Left out of ${markdownSet}: 3 record(s) of the file (no human turn: 1, duplicate id&lt;/p&gt;: 2); see "prompts" in the result.\n\n`,
    ),
    markdown,
  );
  assert.ok(
    markdown.includes(
      `**Note:** qwen: Shortened in ${markdownSet}: 3 record(s) of the file (cut at a system turn after a human turn: 3); see "prompts" in the result.`,
    ),
    markdown,
  );
  assert.doesNotMatch(markdown, /Left out of default|Shortened in default/);

  const section = /<section id="rse">[\s\S]*?<\/section>/.exec(await renderHtml(model))?.[0] ?? "";
  const htmlSet = "<bdi>sharegpt|&lt;img src=x onerror=alert(1)&gt;</bdi> (<bdi>data/*sg*.json</bdi>)";
  assert.ok(
    section.includes(
      `</table><p class="note prompt-set"><strong>Note:</strong> <bdi>qwen</bdi>: Left out of ${htmlSet}: 3 record(s) of the file (<bdi>no human turn</bdi>: 1, <bdi>duplicate id&lt;/p&gt;</bdi>: 2); see &quot;prompts&quot; in the result.</p>`,
    ),
    section,
  );
  assert.ok(section.includes(`Shortened in ${htmlSet}: 3 record(s) of the file`), section);
  assert.equal(section.split('class="note prompt-set"').length, 3, "one line per kind, none for default");
  assert.doesNotMatch(section, /<img/);

  for (const prompts of [undefined, [{ dataset: "default", source: "built-in", skipped: { empty: 0 } }]]) {
    rse.prompts = prompts;
    const plain = buildReportModel([{ result: parseResult(rse, "rse.json") }]);
    assert.doesNotMatch(renderMarkdown(plain), /Left out of|Shortened in/);
    assert.doesNotMatch(await renderHtml(plain), /Left out of|Shortened in|note prompt-set/);
  }
});
