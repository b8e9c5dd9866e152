import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import test from "node:test";
import { gunzipSync } from "node:zlib";
import { hostileAnswers, hostileLabel, hostileResults } from "./hostile-answers.ts";
import { contentSecurityPolicy, renderHtml } from "./html.ts";
import { clientScript } from "./html-client.ts";
import type { ReportData } from "./html-data.ts";
import { buildReportModel } from "./report-model.ts";
import {
  largeReportResults,
  sampleIceResult,
  sampleRseResult,
  sampleTwoReferenceRseResult,
} from "./sample-results.ts";

function dataBlock(html: string): ReportData {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  assert.ok(match?.[1], "data block missing");
  return JSON.parse(match[1]) as ReportData;
}

function stringsOf(data: ReportData): string[] {
  if (Array.isArray(data.strings)) return data.strings;
  return JSON.parse(gunzipSync(Buffer.from(data.strings.gzipBase64, "base64")).toString("utf8")) as string[];
}

test("the CSP allows only the page's own inline script, by hash, and nothing remote", async () => {
  const html = await renderHtml(buildReportModel(hostileResults().map((result) => ({ result }))));
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp);
  const hash = createHash("sha256").update(clientScript).digest("base64");
  assert.equal(csp, contentSecurityPolicy());
  assert.match(csp, new RegExp(`script-src 'sha256-${hash.replace(/[+/]/g, "\\$&")}'`));
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /https?:|\*|'unsafe-eval'/);
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
  assert.deepEqual(scripts, [clientScript]);
  const markup = html.replace(/<script type="application\/json" id="report-data">[^<]*<\/script>/, "");
  assert.doesNotMatch(markup, /\b(?:src|href)=["']?(?:https?:)?\/\//i, "no remote resource in the markup");
});

test("every hostile answer is in the data block verbatim and nowhere in the markup", async () => {
  const html = await renderHtml(buildReportModel(hostileResults().map((result) => ({ result }))));
  const strings = stringsOf(dataBlock(html));
  for (const answer of hostileAnswers) {
    assert.ok(strings.includes(answer.text), answer.name);
    if (/[<>&]/.test(answer.text))
      assert.equal(html.includes(answer.text), false, `${answer.name} is raw in the page`);
  }
  assert.equal(html.includes(hostileLabel), false);
  assert.ok(
    html.includes(
      "&lt;img src=x onerror=&quot;window.__distillscopePwned=&#39;label&#39;&quot;&gt;evil|model",
    ),
  );
});

test("charts are inline SVG from echarts with clickable elements mapped to drill-down keys", async () => {
  const results = largeReportResults({ targets: 3, items: 30, models: 6, candidates: 2 });
  const html = await renderHtml(buildReportModel(results.map((result) => ({ result }))));
  for (const id of ["ice-bars", "rse-bars", "ice-rse-scatter", "lineage-heatmap-0", "lineage-graph-0"])
    assert.match(html, new RegExp(`<figure data-chart="${id}"[^>]*><figcaption>[^<]*</figcaption><svg `));
  const data = dataBlock(html);
  assert.deepEqual(data.charts["ice-bars"]?.[1], ["ice/0/strict", "ice/1/strict", "ice/2/strict"]);
  assert.equal(data.charts["lineage-heatmap-0"]?.[0]?.length, 36);
  assert.deepEqual(data.charts["rse-bars"]?.[2], ["rse/0/2", "rse/1/2", "rse/2/2"]);
  assert.equal(data.ice[0]?.items.length, 30 * 6);
});

test("templates and queries are stored once; large string tables are gzip-compressed losslessly", async () => {
  const results = largeReportResults({ targets: 2, items: 200, models: 4, candidates: 1, rseTargets: 0 });
  const model = buildReportModel(results.map((result) => ({ result })));
  const plain = dataBlock(await renderHtml(model, { compressionThresholdBytes: Number.POSITIVE_INFINITY }));
  const compressed = dataBlock(await renderHtml(model, { compressionThresholdBytes: 1000 }));
  assert.ok(Array.isArray(plain.strings));
  assert.ok(!Array.isArray(compressed.strings));
  assert.deepEqual(stringsOf(compressed), plain.strings);
  const first = results[0];
  assert.ok(first?.kind === "ice");
  const templates = new Set(first.items.map((item) => item.template));
  const stored = plain.strings.filter((text) => templates.has(text));
  assert.equal(stored.length, templates.size);
  const item = first.items[7];
  const offset = 7 * 6;
  assert.equal(plain.strings[plain.ice[0]?.items[offset + 3] ?? -1], item?.response);
  assert.equal(plain.strings[plain.ice[0]?.items[offset + 1] ?? -1], item?.template);
});

test("without RSE the report says why there is no ICE-versus-RSE scatter", async () => {
  const results = largeReportResults({ targets: 2, items: 10, models: 4, candidates: 1, rseTargets: 0 });
  const html = await renderHtml(buildReportModel(results.map((result) => ({ result }))));
  assert.doesNotMatch(html, /data-chart="ice-rse-scatter"/);
  assert.match(html, /<section id="scatter">.*No ICE-versus-RSE scatter: this report has no RSE result/);
});

test("per-attribution lineage examples reach the drill-down data; their absence is tolerated", async () => {
  const base = {
    schemaVersion: 1,
    kind: "lineage" as const,
    toolVersion: "test",
    createdAt: "2026-01-01T00:00:00.000Z",
    candidates: ["teacher", "other"],
    similarity: {
      models: ["student", "teacher", "other"],
      matrix: [
        [1, 0.5, 0.1],
        [0.5, 1, 0.2],
        [0.1, 0.2, 1],
      ],
    },
  };
  const withExamples = {
    ...base,
    attributions: [
      {
        model: "student",
        teacher: "teacher",
        pValue: 0.01,
        ranking: [
          { candidate: "teacher", score: 0.3 },
          { candidate: "other", score: -0.1 },
        ],
        examples: [
          { prompt: "Name a colour.", studentResponse: "Teal, surely.", candidateResponse: "Teal!" },
        ],
      },
    ],
  };
  const model = buildReportModel([{ result: withExamples }]);
  assert.deepEqual(model.lineage[0]?.examples, [
    {
      modelA: "student",
      modelB: "teacher",
      prompt: "Name a colour.",
      responseA: "Teal, surely.",
      responseB: "Teal!",
    },
  ]);
  assert.equal(model.lineage[0]?.matrix.source, "result");
  const html = await renderHtml(model, { compressionThresholdBytes: Number.POSITIVE_INFINITY });
  const data = dataBlock(html);
  assert.equal(data.lineage[0]?.examples.length, 1);
  assert.ok((data.strings as string[]).includes("Teal, surely."));

  const without = { ...base, attributions: [{ ...withExamples.attributions[0]!, examples: undefined }] };
  const bare = buildReportModel([{ result: without }]);
  assert.deepEqual(bare.lineage[0]?.examples, []);
  assert.match(await renderHtml(bare), /data-chart="lineage-heatmap-0"/);
});

test("RSE with two references: a table row per reference with its own scores, and the comparisons table", async () => {
  const html = await renderHtml(buildReportModel([{ result: sampleTwoReferenceRseResult() }]));
  const table = /<table id="rse-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
  const rows = [...table.matchAll(/<tr><td>deepseek:deepseek-chat<\/td><td>([^<]*)<\/td>(.*?)<\/tr>/g)];
  assert.deepEqual(
    rows.map((row) => row[1]),
    ["openai:gpt-4o", "anthropic:claude-3-5-sonnet"],
  );
  assert.match(rows[0]?.[2] ?? "", /4\.421/);
  assert.match(rows[1]?.[2] ?? "", /4\.372/);
  assert.doesNotMatch(rows[1]?.[2] ?? "", /4\.421/);
  const comparisons = /<table id="rse-comparisons">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
  assert.match(
    comparisons,
    /<td>openai:gpt-4o<\/td><td>anthropic:claude-3-5-sonnet<\/td><td>0\.050 .*?<\/td><td>0\.004<\/td><td>openai:gpt-4o<\/td>/,
  );
});

test("the RSE table gives style, logic and content their intervals, or says why they have none", async () => {
  const rse = sampleRseResult({ target: "qwen" });
  rse.scores = { overall: 3.5, style: 2.781, logic: 5, content: 2.73 };
  rse.intervals = {
    overall: { low: 3.23, high: 3.77 },
    style: { low: 2.655, high: 2.899 },
    logic: { low: 5, high: 5 },
    content: { low: null, high: null, note: "too few conversations (3 < 5)" },
  };
  const html = await renderHtml(buildReportModel([{ result: rse }]));
  const table = /<table id="rse-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
  assert.match(table, /<th>Style \(95% CI\)<\/th><th>Logic \(95% CI\)<\/th><th>Content \(95% CI\)<\/th>/);
  const cells = [...table.matchAll(/<td>([^<]*) <span class="ci">([^<]*)<\/span><\/td>/g)].map(
    (match) => `${match[1]} ${match[2]}`,
  );
  assert.deepEqual(cells.slice(-3), [
    "2.781 [2.65, 2.90]",
    "5.000 [5.00, 5.00]",
    "2.730 n/a (too few conversations)",
  ]);
});

test("the by-language rates, which have no interval, say why", async () => {
  const html = await renderHtml(buildReportModel([{ result: sampleIceResult({ target: "t", items: 40 }) }]));
  assert.match(html, /<table id="ice-detail">/);
  assert.match(
    html,
    /<p class="note" id="ice-detail-note">Rates by language have no interval: the result computes intervals per target only \(above\)\./,
  );
});
