/**
 * Bidi overrides and terminal controls in a model's answer, in real headless Chromium: the drill-down
 * keeps the exact text, but an override cannot reorder what the reader sees (an RLO would show "evil"
 * as "live") and each control is marked as a visible \uXXXX. Skips loudly when /usr/bin/chromium is absent.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { renderHtml } from "./html.ts";
import { buildReportModel } from "./report-model.ts";
import { sampleIceResult, sampleLineageResult } from "./sample-results.ts";

const chromiumPath = "/usr/bin/chromium";
const answer = "I am ChatGPT. \u001b]0;title\u0007 \u202Eevil words\u202C and \u2067more\u2069 end";

test("a bidi override in an answer does not reorder the drill-down text", { timeout: 120_000 }, async (t) => {
  if (!existsSync(chromiumPath)) {
    console.warn(`\n!!! SKIPPED the bidi browser test: chromium not installed at ${chromiumPath} !!!\n`);
    t.skip(`chromium not installed: ${chromiumPath} is missing; run apt-get install chromium`);
    return;
  }
  const directory = mkdtempSync(join(tmpdir(), "distillscope-report-bidi-"));
  const result = sampleIceResult({ target: "bidi", items: 10, seed: 3 });
  for (const item of result.items) {
    item.response = answer;
    item.strict = true;
  }
  const file = join(directory, "report.html");
  writeFileSync(file, await renderHtml(buildReportModel([{ result }])));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.waitForSelector("html[data-ready=true]");
    await page.click('#ice-table button[data-drill="ice/0/strict"]');
    const shown = await page.$$eval("#drill pre", (nodes) =>
      nodes.map((node) => node.textContent ?? "").filter((text) => text.startsWith("I am")),
    );
    assert.equal(shown.length, 10);
    assert.equal(shown[0], answer, "the exact answer, controls included");
    // Left edge of each letter of "evil" as laid out: left to right means the override did not apply.
    const edges = (await page.evaluate(`(() => {
      const pre = document.querySelector("#drill .items > article:first-child pre:nth-of-type(3)");
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const start = node.textContent.indexOf("evil");
        if (start < 0) continue;
        return [0, 1, 2, 3].map((offset) => {
          const range = document.createRange();
          range.setStart(node, start + offset);
          range.setEnd(node, start + offset + 1);
          return range.getBoundingClientRect().left;
        });
      }
      return [];
    })()`)) as number[];
    assert.equal(edges.length, 4, "the word is laid out");
    assert.deepEqual(
      edges,
      [...edges].sort((left, right) => left - right),
      `"evil" reads left to right (${edges.join(", ")})`,
    );
    const marks = await page.$$eval(
      "#drill .items > article:first-child pre:nth-of-type(3) .control",
      (nodes) => nodes.map((node) => node.getAttribute("data-code")),
    );
    assert.deepEqual(marks, ["\\u001b", "\\u0007", "\\u202e", "\\u202c", "\\u2067", "\\u2069"]);
  } finally {
    await browser.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

/**
 * Left edges of each character of `word` inside the first element matching `selector`, as laid out; and
 * of each character of `after` when given (text that follows the word in the same element).
 */
function edgesScript(selector: string, word: string): string {
  return `(() => {
    const root = document.querySelector(${JSON.stringify(selector)});
    if (root === null) return [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const start = node.textContent.indexOf(${JSON.stringify(word)});
      if (start < 0) continue;
      return Array.from({ length: ${word.length} }, (_, offset) => {
        const range = document.createRange();
        range.setStart(node, start + offset);
        range.setEnd(node, start + offset + 1);
        return range.getBoundingClientRect().left;
      });
    }
    return [];
  })()`;
}

test("a bidi override in a model or candidate name reverses neither the name nor the text after it", {
  timeout: 120_000,
}, async (t) => {
  if (!existsSync(chromiumPath)) {
    console.warn(`\n!!! SKIPPED the bidi browser test: chromium not installed at ${chromiumPath} !!!\n`);
    t.skip(`chromium not installed: ${chromiumPath} is missing; run apt-get install chromium`);
    return;
  }
  const directory = mkdtempSync(join(tmpdir(), "distillscope-report-bidi-labels-"));
  const ice = sampleIceResult({ target: "evil\u202Eworks", items: 10, seed: 3 });
  // An override with no closing PDF in each candidate's name, which its score follows in the cell.
  const lineage = JSON.parse(
    JSON.stringify(sampleLineageResult({ models: 5, candidates: 2 })).replaceAll(
      "teacher-",
      "live\\u202eword-",
    ),
  ) as ReturnType<typeof sampleLineageResult>;
  const file = join(directory, "report.html");
  writeFileSync(file, await renderHtml(buildReportModel([{ result: ice }, { result: lineage }])));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const increasing = (edges: number[]) =>
      edges.every((edge, index) => index === 0 || edge > (edges[index - 1] ?? 0));
    // The ICE target: both halves read left to right, and "evil" stays before "works".
    const evil = (await page.evaluate(edgesScript("#ice-table tbody td", "evil"))) as number[];
    const works = (await page.evaluate(edgesScript("#ice-table tbody td", "works"))) as number[];
    assert.equal(evil.length, 4);
    assert.equal(works.length, 5);
    assert.ok(increasing(evil) && increasing(works), `left to right: ${evil} / ${works}`);
    assert.ok((evil[3] ?? 0) < (works[0] ?? 0), "the override does not swap the halves");
    // The closest-candidate cell: "word" reads left to right, and the score after the name is not reversed
    // nor moved before it.
    const cell = ".lineage-table tbody tr:first-child td:nth-child(4)";
    const cellText = await page.$eval(cell, (node) => node.textContent ?? "");
    assert.match(cellText, /^live\u202eword-\d \(0\.\d{3}\)$/, "the exact name, then the score");
    const score = /\(0\.\d{3}\)/.exec(cellText)?.[0] ?? "";
    const word = (await page.evaluate(edgesScript(cell, "word"))) as number[];
    const scoreEdges = (await page.evaluate(edgesScript(cell, score))) as number[];
    assert.ok(increasing(word), `"word" left to right: ${word}`);
    assert.equal(scoreEdges.length, score.length);
    assert.ok(increasing(scoreEdges), `the score left to right: ${scoreEdges}`);
    assert.ok((word[3] ?? 0) < (scoreEdges[0] ?? 0), "the score stays after the name");
    // The override is shown as a visible mark.
    const marks =
      (await page.evaluate(`[...document.querySelectorAll("#ice-table .control, .lineage-table .control")]
      .map((node) => getComputedStyle(node, "::before").content)`)) as string[];
    assert.ok(marks.length >= 2);
    assert.ok(
      marks.every((content) => content === '"\\\\u202e"'),
      marks.join(", "),
    );
  } finally {
    await browser.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
