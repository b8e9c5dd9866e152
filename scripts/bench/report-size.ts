/**
 * Size and speed of the HTML report at the scale of issue 5: 20 targets x 1,000 ICE items and a
 * 50-model lineage matrix. Prints the file size, the time to render it, and, in headless Chromium,
 * the time to the load event, to the drill-down data being ready, and to a first drill-down.
 * Two inputs: synthetic answers (always), and real answers from the paper's attack files when
 * ../shared/data/identity-lee2025/attack_result is present (cycled over 20 targets, each made unique).
 * Usage: node scripts/bench/report-size.ts
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { loadChartLibrary } from "../../src/report/charts.ts";
import { envelope } from "../../src/report/envelope.ts";
import { renderHtml } from "../../src/report/html.ts";
import { buildReportModel } from "../../src/report/report-model.ts";
import type { IceResult, ReportableResult } from "../../src/report/result-schema.ts";
import { largeReportResults, sampleLineageResult } from "../../src/report/sample-results.ts";

const chromiumPath = "/usr/bin/chromium";
const attackDirectory = resolve(import.meta.dirname, "../../../shared/data/identity-lee2025/attack_result");
const workDirectory = mkdtempSync(join(tmpdir(), "distillscope-report-bench-"));

interface AttackRow {
  jailbreak_prompt: string;
  query: string;
  target_responses: string[];
  eval_results: boolean[] | boolean;
}

/** 20 ICE results built from the paper's real answers, each answer made unique per target. */
function realAnswerResults(): ReportableResult[] | undefined {
  if (!existsSync(attackDirectory)) return undefined;
  const files = readdirSync(attackDirectory)
    .filter((name) => name.endsWith(".jsonl"))
    .sort();
  if (files.length === 0) return undefined;
  const results: ReportableResult[] = [];
  for (let target = 0; target < 20; target += 1) {
    const file = files[target % files.length] ?? "";
    const rows = readFileSync(join(attackDirectory, file), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as AttackRow);
    const items = rows.slice(0, 1000).map((row, index) => {
      const loose = Array.isArray(row.eval_results)
        ? row.eval_results[0] === true
        : row.eval_results === true;
      const response = `${row.target_responses[0] ?? ""} [target ${target}]`;
      const strict = loose && /openai|chatgpt|gpt-4|anthropic|claude/i.test(response);
      return {
        index,
        template: row.jailbreak_prompt,
        query: row.query,
        response,
        loose,
        strict,
        hard: false,
      };
    });
    const share = (flag: "loose" | "strict") => items.filter((item) => item[flag]).length / items.length;
    const result: IceResult = {
      ...envelope("ice"),
      kind: "ice",
      target: `${file.replace(/^gpt_GPT_|\.jsonl$/g, "")}#${target}`,
      n: items.length,
      scores: { loose: share("loose"), strict: share("strict"), hard: 0 },
      intervals: {},
      items,
    };
    results.push(result);
  }
  results.push(sampleLineageResult({ models: 50, candidates: 8 }));
  return results;
}

interface Measurement {
  megabytes: number;
  renderMs: number;
  loadMs: number[];
  readyMs: number[];
  drillMs: number[];
}

async function measure(label: string, results: ReportableResult[]): Promise<Measurement> {
  await loadChartLibrary(); // renderMs measures rendering, not the one-time load of echarts
  const started = performance.now();
  const html = await renderHtml(buildReportModel(results.map((result) => ({ result }))));
  const renderMs = performance.now() - started;
  const file = join(workDirectory, `${label}.html`);
  writeFileSync(file, html);
  const measurement: Measurement = {
    megabytes: statSync(file).size / 1e6,
    renderMs,
    loadMs: [],
    readyMs: [],
    drillMs: [],
  };
  if (!existsSync(chromiumPath)) {
    console.warn(`!!! chromium not installed at ${chromiumPath}: load times not measured !!!`);
    return measurement;
  }
  const context = await chromium.launchPersistentContext(join(workDirectory, `profile-${label}`), {
    executablePath: chromiumPath,
    headless: true,
    offline: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
  });
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 60_000 });
      await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
      const timings = (await page.evaluate(
        `(() => { const entry = performance.getEntriesByType("navigation")[0]; return { load: entry.loadEventEnd - entry.startTime, ready: performance.now() }; })()`,
      )) as { load: number; ready: number };
      const clicked = performance.now();
      await page.click("#ice-table button[data-drill='ice/0/loose']");
      await page.waitForSelector("#drill article");
      measurement.drillMs.push(performance.now() - clicked);
      measurement.loadMs.push(timings.load);
      measurement.readyMs.push(timings.ready);
      await page.close();
    }
  } finally {
    await context.close();
  }
  return measurement;
}

/** Median in ms, NaN when nothing was measured. */
function medianMs(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function median(values: number[]): string {
  const value = medianMs(values);
  return Number.isNaN(value) ? "n/a" : `${value.toFixed(0)} ms`;
}

const megabyteLimit = 15;
const loadLimitMs = 3000;

/** Prints one measurement with its verdict against the limits; a miss sets the exit code. */
function print(label: string, measurement: Measurement): void {
  const load = medianMs(measurement.loadMs);
  const passed = measurement.megabytes < megabyteLimit && load < loadLimitMs;
  if (!passed) process.exitCode = 1;
  console.log(
    `${label}: ${measurement.megabytes.toFixed(2)} MB (limit ${megabyteLimit}), rendered in ${measurement.renderMs.toFixed(0)} ms; ` +
      `Chromium median of 3: load event ${median(measurement.loadMs)} (limit ${loadLimitMs}), drill-down data ready ${median(measurement.readyMs)}, first drill-down ${median(measurement.drillMs)} ` +
      (passed ? "PASS" : "FAIL"),
  );
}

try {
  print(
    "synthetic 20 targets x 1,000 ICE items + 5 RSE + 50-model lineage",
    await measure("synthetic", largeReportResults()),
  );
  const real = realAnswerResults();
  if (real)
    print("real answers (lee2025 attack files) 20 x 1,000 + 50-model lineage", await measure("real", real));
  else console.log(`skipped real-answer run: ${attackDirectory} not found`);
} finally {
  rmSync(workDirectory, { recursive: true, force: true });
}
