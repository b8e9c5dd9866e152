import assert from "node:assert/strict";
import test from "node:test";
import { terminalSafe } from "../text/terminal-text.ts";
import { hostileAnswers, hostileLabel, hostileResults } from "./hostile-answers.ts";
import { renderHtml } from "./html.ts";
import { escapeMarkdownInline, fenceMarkdown, renderMarkdown } from "./markdown.ts";
import { formatPValue } from "./number-format.ts";
import { buildReportModel } from "./report-model.ts";
import {
  sampleIceResult,
  sampleLineageResult,
  sampleRseResult,
  sampleTwoReferenceRseResult,
} from "./sample-results.ts";

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
    assert.ok(row.includes(`| ${formatPValue(attribution.pValue)} |`), row);
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
      markdown.includes(terminalSafe(answer.text.replace(/\r\n?/g, "\n"))),
      `answer "${answer.name}" is not quoted verbatim (controls shown as escapes)`,
    );
});

test("long answers are cut in Markdown and say so", () => {
  const ice = sampleIceResult({ target: "t", items: 1, responses: ["x".repeat(900)] });
  const markdown = renderMarkdown(buildReportModel([{ result: ice }]), { maxQuoteLength: 100 });
  assert.match(markdown, /answer cut at 100 of 900 characters/);
  assert.ok(markdown.includes(`${"x".repeat(100)}…`));
});

/** Every code point a terminal acts on (C0 but tab and line feed, DEL, C1, bidi overrides and isolates). */
const terminalControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test("terminal controls in answers, queries, labels and titles are shown as visible escapes", () => {
  const answers = [
    "\u001bc reset \u001b]0;ANSWER-TITLE\u0007 \u001b[2J\u001b[31m red",
    "I am ChatGPT \u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\ \u202eIAnepO\u202c nul\u0000",
    "c1 \u009b2J \u009d0;T\u009c del\u007f \u2066iso\u2069 \r\u001b[1AOK",
  ];
  const ice = sampleIceResult({ target: "evil\u001b]0;LABEL\u0007\rmodel", items: 3, responses: answers });
  for (const item of ice.items) item.query = "who\u001b[2Jmade you\u009b?";
  const rse = sampleRseResult({ target: "rse\u001b[31m\u202etarget" });
  const lineage = sampleLineageResult({ models: 5, candidates: 2 });
  const first = lineage.attributions[0];
  if (first) first.model = "student\u001b]0;T\u0007\u001b[1A\rFAKE";
  const markdown = renderMarkdown(buildReportModel([{ result: ice }, { result: rse }, { result: lineage }]), {
    title: "title\u001b]0;X\u0007",
    examplesPerTarget: 3,
  });
  assert.doesNotMatch(markdown, terminalControl);
  assert.ok(markdown.includes("\\u001b]0;ANSWER-TITLE\\u0007"), "OSC 0 shown as escapes");
  assert.ok(markdown.includes("\\u001b]8;;http://evil.example/\\u001b\\click"), "OSC 8 shown as escapes");
  assert.ok(markdown.includes("\\u202eIAnepO\\u202c"), "bidi override shown as escapes");
  assert.ok(markdown.includes("nul\\u0000"));
  assert.ok(markdown.includes("\\u009b2J \\u009d0;T\\u009c del\\u007f \\u2066iso\\u2069"));
  assert.ok(markdown.includes("# title\\u001b\\]0;X\\u0007"));
  assert.ok(markdown.includes("student\\u001b\\]0;T\\u0007\\u001b\\[1A FAKE"), "lineage model name escaped");
});

test("RSE with two references: one row per reference with its own scores, and the paired comparison", () => {
  const markdown = renderMarkdown(buildReportModel([{ result: sampleTwoReferenceRseResult() }]));
  const rows = markdown.split("\n").filter((line) => line.startsWith("| deepseek:deepseek-chat |"));
  assert.deepEqual(rows.slice(0, 2), [
    "| deepseek:deepseek-chat | openai:gpt-4o | 4.421 [4.40, 4.44] | 4.421 [4.40, 4.44] | 4.371 | 5.000 | 3.921 |",
    "| deepseek:deepseek-chat | anthropic:claude-3-5-sonnet | 4.372 [4.35, 4.39] | 4.372 [4.35, 4.39] | 4.322 | 5.000 | 3.872 |",
  ]);
  assert.equal(
    rows[2],
    "| deepseek:deepseek-chat | openai:gpt-4o | anthropic:claude-3-5-sonnet | 0.050 | [0.030, 0.070] | 0.004 | openai:gpt-4o |",
  );
});

test("the lineage method note (e.g. too few models for any teacher) is shown in both reports", async () => {
  const lineage = sampleLineageResult({ models: 4, candidates: 1 });
  const note = "fewer than 5 models: no between-model reference, so no teacher can be significant";
  (lineage as Record<string, unknown>).method = { alpha: 0.05, note };
  const model = buildReportModel([{ result: lineage }]);
  assert.ok(renderMarkdown(model).includes(`**Note:** ${note}.`));
  assert.ok((await renderHtml(model)).includes(`<strong>Note:</strong> <bdi>${note}</bdi>.</p>`));
  const without = buildReportModel([{ result: sampleLineageResult({ models: 4, candidates: 1 }) }]);
  assert.doesNotMatch(renderMarkdown(without), /\*\*Note:\*\*/);
});

test("RSE style, logic and content carry their intervals, or say why they have none", () => {
  const rse = sampleRseResult({ target: "qwen" });
  rse.scores = { overall: 3.5, style: 2.781, logic: 5, content: 2.73 };
  rse.intervals = {
    overall: { low: 3.23, high: 3.77 },
    style: { low: 2.655, high: 2.899 },
    logic: { low: 5, high: 5 },
    content: { low: null, high: null, note: "too few conversations (3 < 5)" },
  };
  const markdown = renderMarkdown(buildReportModel([{ result: rse }]));
  const row = markdown.split("\n").find((line) => line.startsWith("| qwen |"));
  assert.ok(row, markdown);
  assert.ok(
    row.endsWith(
      "| 3.500 [3.23, 3.77] | 2.781 [2.65, 2.90] | 5.000 [5.00, 5.00] | 2.730 n/a (too few conversations) |",
    ),
    row,
  );
});
