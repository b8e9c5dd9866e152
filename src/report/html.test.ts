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
  sampleLineageResult,
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
  const rows = [
    ...table.matchAll(
      /<tr><td><bdi>deepseek:deepseek-chat<\/bdi><\/td><td><bdi>([^<]*)<\/bdi><\/td>(.*?)<\/tr>/g,
    ),
  ];
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
    /<td><bdi>openai:gpt-4o<\/bdi><\/td><td><bdi>anthropic:claude-3-5-sonnet<\/bdi><\/td><td>0\.050 .*?<\/td><td>0\.004<\/td><td><bdi>openai:gpt-4o<\/bdi><\/td>/,
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
  // The note of an interval without bounds comes from the result: isolated like a label.
  const table = (/<table id="rse-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? "").replace(/<\/?bdi>/g, "");
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

/** A result with names swapped for hostile ones (the JSON text replaced, so every place a name appears). */
function renamed<T>(result: T, names: Record<string, string>): T {
  let json = JSON.stringify(result);
  for (const [name, hostile] of Object.entries(names)) json = json.replaceAll(name, hostile);
  return JSON.parse(json) as T;
}

test("every label from input sits in its own <bdi> with its bidi controls marked, in tables and charts", async () => {
  const names = {
    "openai:gpt-4o-2024-08-06": "ref\\u202eerence",
    numina: "data\\u202eset",
    "teacher-0": "tea\\u202echer-0",
    "student-3": "stu\\u2067dent-3",
  };
  const ice = sampleIceResult({ target: "tar\u202Eget", items: 10 });
  const rse = renamed(sampleRseResult({ target: "tar\u202Eget" }), names);
  const lineage = renamed(sampleLineageResult({ models: 5, candidates: 2 }), names);
  (lineage as Record<string, unknown>).label = "cor\u202Epus";
  const html = await renderHtml(buildReportModel([{ result: ice }, { result: rse }, { result: lineage }]));
  const page = html.replace(/<script type="application\/json" id="report-data">[^<]*<\/script>/, "");
  assert.doesNotMatch(
    page,
    /[\u202a-\u202e\u2066-\u2069]/,
    "no raw bidi control in the markup or the charts",
  );
  const mark = (code: string) => `<span class="control" data-code="\\u${code}">&#x${code};</span>`;
  for (const label of [
    `tar${mark("202e")}get`,
    `ref${mark("202e")}erence`,
    `data${mark("202e")}set`,
    `tea${mark("202e")}cher-0`,
    `stu${mark("2067")}dent-3`,
    `cor${mark("202e")}pus`,
  ])
    assert.ok(page.includes(`<bdi>${label}</bdi>`), label);
  // The closest candidate is followed by its score in the same cell: the isolate keeps the score in place.
  const literal = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  assert.match(
    page,
    new RegExp(`<td>${literal(`<bdi>tea${mark("202e")}cher-0</bdi>`)} \\(0\\.\\d{3}\\)</td>`),
  );
  // Every mark is inside an isolate, and isolates are balanced.
  let depth = 0;
  for (const match of page.matchAll(/<\/?bdi>|<span class="control"/g)) {
    if (match[0] === "<bdi>") depth += 1;
    else if (match[0] === "</bdi>") depth -= 1;
    else assert.ok(depth > 0, `a control mark outside a <bdi> at ${match.index}`);
    assert.ok(depth >= 0);
  }
  assert.equal(depth, 0);
  // Chart labels (SVG text) show the escape as text.
  const svg = [...page.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((match) => match[0]).join("");
  for (const shown of ["tar\\u202eget", "data\\u202eset", "tea\\u202echer-0"])
    assert.ok(svg.includes(shown), shown);
});
