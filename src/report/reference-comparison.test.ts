import assert from "node:assert/strict";
import test from "node:test";
import { hostileLabel } from "./hostile-answers.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { referenceComparison, referenceComparisonExplanation } from "./reference-comparison.ts";
import { buildReportModel } from "./report-model.ts";
import type { IceResult, ReferenceFigures } from "./result-schema.ts";
import { sampleIceResult } from "./sample-results.ts";

/** An ICE result with fixed scores and intervals, optionally with published figures. */
function iceResult(
  target: string,
  scores: IceResult["scores"],
  referenceFigures?: ReferenceFigures,
): IceResult {
  const interval = (value: number | null) =>
    value === null ? { low: null, high: null } : { low: value - 0.07, high: value + 0.07 };
  return {
    ...sampleIceResult({ target, items: 10 }),
    scores,
    intervals: {
      loose: interval(scores.loose),
      strict: interval(scores.strict),
      hard: interval(scores.hard),
    },
    ...(referenceFigures ? { referenceFigures } : {}),
  };
}

const figure2 = "Lee et al. 2025 (arXiv 2501.12619), Figure 2";
const glm = iceResult(
  "glm-4-plus",
  { loose: 0.4, strict: 0.29, hard: 0.15 },
  {
    source: figure2,
    label: "GLM4-Plus",
    published: { loose: 0.42, strict: 0.3, hard: 0.16 },
    recomputed: { loose: 0.418, strict: 0.297, hard: 0.158 },
    note: "recomputed from the paper's files",
  },
);
const qwen = iceResult(
  "qwen2.5-14b",
  { loose: 0.17, strict: 0.168, hard: 0.043 },
  {
    source: "Lee et al. 2025, base vs instruct table",
    published: { strict: 0.172 },
    recomputed: { loose: 0.446, strict: 0.171, hard: 0.037 },
  },
);
const plain = iceResult("no-figures", { loose: 0.9, strict: 0.9, hard: 0.9 });

function model(...results: IceResult[]) {
  return buildReportModel(results.map((result) => ({ result })));
}

test("the comparison pairs each figure with ours and averages |ours - theirs| per metric", () => {
  const comparison = referenceComparison(model(glm, plain, qwen).ice);
  assert.ok(comparison);
  assert.deepEqual(
    comparison.rows.map((row) => [row.view.label, row.sourceNumber]),
    [
      ["glm-4-plus", 1],
      ["qwen2.5-14b", 2],
    ],
    "a result without figures has no row",
  );
  const recomputed = comparison.meanDifference.recomputed;
  assert.ok(Math.abs(recomputed.loose.mean - (0.018 + 0.276) / 2) < 1e-12);
  assert.ok(Math.abs(recomputed.strict.mean - (0.007 + 0.003) / 2) < 1e-12);
  assert.equal(recomputed.hard.targets, 2);
  const published = comparison.meanDifference.published;
  assert.equal(published.loose.targets, 1, "qwen has no published loose figure");
  assert.ok(Math.abs(published.loose.mean - 0.02) < 1e-12);
  assert.ok(Math.abs(published.strict.mean - (0.01 + 0.004) / 2) < 1e-12);
  assert.equal(referenceComparison(model(plain).ice), undefined);
});

test("the Markdown report shows published, recomputed and ours per metric, the mean difference and the source", () => {
  const markdown = renderMarkdown(model(glm, plain, qwen));
  assert.match(markdown, /### Compared with published figures/);
  const lines = markdown.split("\n");
  const heading = lines.indexOf("### Compared with published figures");
  assert.equal(
    lines[heading + 2],
    referenceComparisonExplanation,
    "the columns are explained under the heading",
  );
  assert.match(referenceComparisonExplanation, /a small difference means our judge agrees/);
  assert.ok(
    lines.includes(
      "| Target | Loose published | Loose recomputed | Loose ours [95% CI] | Strict published | Strict recomputed | Strict ours [95% CI] | Hard published | Hard recomputed | Hard ours [95% CI] | Source |",
    ),
    markdown,
  );
  assert.ok(
    lines.includes(
      "| glm-4-plus (GLM4-Plus) | 0.420 | 0.418 | 0.400 [0.330, 0.470] | 0.300 | 0.297 | 0.290 [0.220, 0.360] | 0.160 | 0.158 | 0.150 [0.080, 0.220] | 1 |",
    ),
    markdown,
  );
  assert.ok(
    lines.includes(
      "| qwen2.5-14b | – | 0.446 | 0.170 [0.100, 0.240] | 0.172 | 0.171 | 0.168 [0.098, 0.238] | – | 0.037 | 0.043 [-0.027, 0.113] | 2 |",
    ),
    markdown,
  );
  assert.ok(
    lines.includes(
      "Mean |ours - recomputed|: loose 0.147 (2 targets), strict 0.005 (2 targets), hard 0.007 (2 targets)",
    ),
  );
  assert.ok(
    lines.includes(
      "Mean |ours - published|: loose 0.020 (1 target), strict 0.007 (2 targets), hard 0.010 (1 target)",
    ),
  );
  assert.ok(lines.includes(`Source 1: ${figure2}.  `));
  assert.ok(lines.includes("Source 2: Lee et al. 2025, base vs instruct table."));
  assert.ok(lines.includes("**Note:** recomputed from the paper's files"));
  assert.doesNotMatch(markdown, /\| no-figures \| 0\.900 \| –/, "a result without figures has no row");
});

test("the HTML report shows the same table, means and sources", async () => {
  const html = await renderHtml(model(glm, plain, qwen));
  const table = /<table id="ice-reference">[\s\S]*?<\/table>/.exec(html)?.[0];
  assert.ok(table, "no comparison table");
  const rows = [...table.matchAll(/<tr><td>([\s\S]*?)<\/tr>/g)].map((match) =>
    (match[1] ?? "")
      .replace(/<\/?bdi>/g, "")
      .replace(/<[^>]+>/g, "|")
      .replace(/\|+/g, "|"),
  );
  assert.deepEqual(rows, [
    "glm-4-plus|GLM4-Plus|0.420|0.418|0.400 |[0.330, 0.470]|0.300|0.297|0.290 |[0.220, 0.360]|0.160|0.158|0.150 |[0.080, 0.220]|1|",
    "qwen2.5-14b|–|0.446|0.170 |[0.100, 0.240]|0.172|0.171|0.168 |[0.098, 0.238]|–|0.037|0.043 |[-0.027, 0.113]|2|",
  ]);
  assert.ok(
    html.includes(
      '<p class="mean-difference">Mean |ours - recomputed|: loose 0.147 (2 targets), strict 0.005 (2 targets), hard 0.007 (2 targets)</p>',
    ),
  );
  assert.ok(
    html.includes(
      `<ol class="sources"><li><bdi>${figure2}</bdi></li><li><bdi>Lee et al. 2025, base vs instruct table</bdi></li></ol>`,
    ),
  );
  assert.ok(html.includes("<strong>Note:</strong> <bdi>recomputed from the paper&#39;s files"));
});

test("reports of results without published figures have no comparison", async () => {
  const results = model(plain, iceResult("other", { loose: 0.1, strict: 0.1, hard: 0 }));
  assert.doesNotMatch(renderMarkdown(results), /Compared with published figures|Mean \|ours/);
  const html = await renderHtml(results);
  assert.doesNotMatch(html, /Compared with published figures|id="ice-reference"|Mean \|ours/);
});

test("a hostile source, name or note is escaped in both reports", async () => {
  const hostileSource = `</td><script>window.__distillscopePwned='source'</script>[link](javascript:x) | *bold*`;
  const hostile = iceResult(
    "target",
    { loose: 0.1, strict: 0.1, hard: 0.1 },
    {
      source: hostileSource,
      label: hostileLabel,
      published: { strict: 0.1 },
      note: `<img src=x onerror=alert(1)>\n## injected heading`,
    },
  );
  const markdown = renderMarkdown(model(hostile));
  assert.ok(
    markdown.includes(
      "Source 1: &lt;/td&gt;&lt;script&gt;window.\\_\\_distillscopePwned='source'&lt;/script&gt;\\[link\\](javascript:x) \\| \\*bold\\*.",
    ),
    markdown,
  );
  assert.ok(markdown.includes("| target (&lt;img src=x onerror="), markdown);
  assert.ok(markdown.includes("**Note:** &lt;img src=x onerror=alert(1)&gt; ## injected heading"));
  assert.doesNotMatch(markdown, /^## injected/m);
  assert.doesNotMatch(markdown, /<(script|img|\/td)/i);
  const html = await renderHtml(model(hostile));
  const page = html.replace(/<script type="application\/json" id="report-data">[^<]*<\/script>/, "");
  assert.equal(page.includes(hostileSource), false);
  assert.equal(page.includes(hostileLabel), false);
  assert.ok(
    page.includes(
      "<li><bdi>&lt;/td&gt;&lt;script&gt;window.__distillscopePwned=&#39;source&#39;&lt;/script&gt;[link](javascript:x) | *bold*</bdi></li>",
    ),
  );
  assert.equal([...page.matchAll(/<script>/g)].length, 1, "only the report's own script");
  assert.doesNotMatch(page, /<img/);
});
