import assert from "node:assert/strict";
import test from "node:test";
import { hostileAnswers, hostileLabel, hostileResults } from "./hostile-answers.ts";
import { escapeMarkdownInline, fenceMarkdown, renderMarkdown } from "./markdown.ts";
import { buildReportModel } from "./report-model.ts";
import { sampleIceResult, sampleLineageResult, sampleRseResult } from "./sample-results.ts";

test("ICE, RSE, scatter and lineage tables carry the scores and intervals", () => {
  const ice = sampleIceResult({ target: "qwen", items: 40, seed: 5 });
  const rse = sampleRseResult({ target: "qwen" });
  const lineage = sampleLineageResult({ models: 5, candidates: 2 });
  const markdown = renderMarkdown(buildReportModel([{ result: ice }, { result: rse }, { result: lineage }]));
  const iceRow = markdown.split("\n").find((line) => line.startsWith("| qwen | 40 |"));
  assert.ok(iceRow, markdown);
  const strictInterval = ice.intervals.strict as { low: number; high: number };
  assert.ok(
    iceRow.includes(
      `${ice.scores.strict?.toFixed(3)} | [${strictInterval.low.toFixed(3)}, ${strictInterval.high.toFixed(3)}]`,
    ),
  );
  assert.ok(
    markdown.includes(
      "| Target | Reference | arena-hard | numina | sharegpt | Overall | Style | Logic | Content |",
    ),
  );
  assert.match(markdown, /## ICE versus RSE/);
  for (const attribution of lineage.attributions) {
    const row = markdown.split("\n").find((line) => line.startsWith(`| ${attribution.model} |`));
    assert.ok(row, `no lineage row for ${attribution.model}`);
    assert.ok(row.includes(attribution.teacher === null ? "none supported" : attribution.teacher));
    assert.ok(row.includes(attribution.pValue === null ? "–" : attribution.pValue.toFixed(3)));
  }
});

test("inline escaping leaves no markup, HTML, pipes or line breaks", () => {
  const escaped = escapeMarkdownInline("a|b `code` <img src=x> [l](javascript:x) *b* _i_ \n next & ~~s~~");
  assert.equal(
    escaped,
    "a\\|b \\`code\\` &lt;img src=x&gt; \\[l\\](javascript:x) \\*b\\* \\_i\\_   next &amp; \\~\\~s\\~\\~",
  );
  assert.equal(escapeMarkdownInline(hostileLabel).includes("<"), false);
});

test("fenced answers cannot close their fence", () => {
  const text = "before\n```\n<script>x</script>\n`````\nafter";
  const fenced = fenceMarkdown(text);
  const fence = fenced.split("\n")[0]?.replace("text", "") ?? "";
  assert.equal(fence, "``````");
  assert.equal(fenced, `${fence}text\n${text}\n${fence}`);
  assert.equal(fenced.split("\n").filter((line) => line.startsWith(fence)).length, 2);
});

test("hostile answers and labels appear only inside fences or escaped", () => {
  const markdown = renderMarkdown(buildReportModel(hostileResults().map((result) => ({ result }))), {
    examplesPerTarget: hostileAnswers.length,
    maxQuoteLength: 10_000,
  });
  let insideFence: string | undefined;
  for (const line of markdown.split("\n")) {
    const fence = /^(`{3,})/.exec(line)?.[1];
    if (insideFence === undefined && fence) insideFence = fence;
    else if (insideFence !== undefined && line === insideFence) insideFence = undefined;
    else if (insideFence === undefined)
      assert.doesNotMatch(line, /<[a-z!/]/i, `raw HTML outside a fence: ${line}`);
  }
  for (const answer of hostileAnswers)
    assert.ok(
      markdown.includes(answer.text.replace(/\r\n?/g, "\n")),
      `answer "${answer.name}" is not quoted verbatim`,
    );
});

test("long answers are cut in Markdown and say so", () => {
  const ice = sampleIceResult({ target: "t", items: 1, responses: ["x".repeat(900)] });
  const markdown = renderMarkdown(buildReportModel([{ result: ice }]), { maxQuoteLength: 100 });
  assert.match(markdown, /answer cut at 100 of 900 characters/);
  assert.ok(markdown.includes(`${"x".repeat(100)}…`));
});
