/**
 * The HTML report in real headless Chromium: charts render, the drill-down shows the exact answers,
 * hostile answers stay inert text, the page makes no network request, and a large report stays small
 * and loads fast. Skips loudly when /usr/bin/chromium is absent.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { hostileAnswers as judgeSteeringAnswers } from "../testing/hostile-answer-suite.ts";
import { hostileAnswers, hostileLabel, hostileMarker, hostileResults } from "./hostile-answers.ts";
import { renderHtml } from "./html.ts";
import { buildReportModel } from "./report-model.ts";
import { largeReportResults, sampleIceResult } from "./sample-results.ts";

const chromiumPath = "/usr/bin/chromium";
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface OpenedPage {
  page: Page;
  requests: string[];
  dialogs: string[];
  errors: string[];
}

async function openReport(context: BrowserContext, file: string): Promise<OpenedPage> {
  const page = await context.newPage();
  const opened: OpenedPage = { page, requests: [], dialogs: [], errors: [] };
  page.on("request", (request) => opened.requests.push(request.url()));
  page.on("dialog", (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => opened.errors.push(error.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 60_000 });
  await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
  return opened;
}

/** Texts of every drill-down block now shown. */
async function drillTexts(page: Page): Promise<string[]> {
  return page.$$eval("#drill pre", (nodes) => nodes.map((node) => node.textContent ?? ""));
}

function assertNothingRan(opened: OpenedPage, file: string): Promise<void> {
  return (async () => {
    const marker = await opened.page.evaluate(`typeof window.${hostileMarker}`);
    assert.equal(marker, "undefined", "a hostile answer ran script");
    assert.deepEqual(opened.dialogs, [], "a hostile answer opened a dialog");
    assert.deepEqual(opened.errors, [], "the page threw");
    assert.deepEqual(
      opened.requests,
      [pathToFileURL(file).href],
      "the page made a request other than itself",
    );
  })();
}

test("HTML report in headless Chromium", { timeout: 180_000 }, async (t) => {
  if (!existsSync(chromiumPath)) {
    console.warn(
      `\n!!! SKIPPED the HTML report browser test: chromium not installed at ${chromiumPath} (apt-get install chromium) !!!\n`,
    );
    t.skip(`chromium not installed: ${chromiumPath} is missing; run apt-get install chromium`);
    return;
  }
  const directory = mkdtempSync(join(tmpdir(), "distillscope-report-browser-"));
  const context = await chromium.launchPersistentContext(join(directory, "profile"), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    offline: true,
  });
  try {
    await t.test(
      "hostile answers show as text, never run, and the drill-down shows them verbatim",
      async () => {
        const file = join(directory, "hostile.html");
        const model = buildReportModel(hostileResults().map((result) => ({ result })));
        writeFileSync(file, await renderHtml(model));
        const opened = await openReport(context, file);
        const { page } = opened;

        assert.ok(
          (await page.$$("figure[data-chart=ice-bars] svg path[ecmeta_ssr_type=chart][ecmeta_series_index]"))
            .length >= 3,
        );
        assert.equal(await page.textContent("#ice-table tbody tr td"), hostileLabel);
        // The published-figures table: hostile source and the source's name for the target, as text.
        assert.equal(
          await page.textContent("#ice-reference tbody tr td"),
          `${hostileLabel}${hostileAnswers[1]?.text}`,
        );
        assert.equal(await page.textContent("ol.sources li"), hostileAnswers[0]?.text);

        await page.click("#ice-table button[data-drill='ice/0/strict']");
        const iceTexts = await drillTexts(page);
        for (const answer of hostileAnswers)
          assert.ok(iceTexts.includes(answer.text), `ICE drill-down lacks "${answer.name}" verbatim`);
        const templateTexts = iceTexts.filter((text) => text.endsWith(" {query}"));
        assert.equal(templateTexts.length, hostileAnswers.length);

        const scriptAnswer = page.locator("#drill pre", { hasText: "<script>window.__distillscopePwned" });
        assert.equal(await scriptAnswer.first().isVisible(), true, "the answer is visible as text");

        await page.click("#rse-table button[data-drill='rse/0/0']");
        const rseTexts = await drillTexts(page);
        for (const answer of hostileAnswers)
          assert.ok(rseTexts.includes(answer.text), `RSE drill-down lacks "${answer.name}" verbatim`);

        await page.click(".lineage-table button[data-drill='attribution/0/0']");
        const lineageTexts = await drillTexts(page);
        for (const answer of hostileAnswers)
          assert.ok(lineageTexts.includes(answer.text), `lineage drill-down lacks "${answer.name}" verbatim`);

        const injected = await page.evaluate(
          `document.querySelectorAll("img, iframe, base, link, a, meta[http-equiv=refresh], main script, #drill svg, #drill style").length`,
        );
        assert.equal(injected, 0, "markup from an answer became an element");
        assert.equal(await page.evaluate("document.scripts.length"), 2);
        await assertNothingRan(opened, file);
        console.log(
          `hostile answers: ${hostileAnswers.length} of ${hostileAnswers.length} shown verbatim as text in the ICE, RSE and lineage drill-downs; none ran; no request made`,
        );
        await page.close();
      },
    );

    await t.test(
      "the hostile-answer suite (judge steering, Unicode tricks, markup) shows verbatim inside ICE items; nothing is live",
      async () => {
        const file = join(directory, "hostile-suite.html");
        // Every answer of the judge-steering suite plus the markup/script answers, as ICE responses.
        const answers = [
          ...judgeSteeringAnswers.map((answer) => ({ name: answer.id, text: answer.response })),
          ...hostileAnswers,
        ];
        const texts = answers.map((answer) => answer.text);
        const ice = sampleIceResult({
          target: hostileLabel,
          items: texts.length,
          templates: 3,
          responses: texts,
        });
        writeFileSync(file, await renderHtml(buildReportModel([{ result: ice }])));
        const opened = await openReport(context, file);
        const { page } = opened;
        // Watch for any handler or script that fires from now on, including ones a click would trigger.
        await page.evaluate(`(() => {
          window.__fired = [];
          for (const type of ["error", "load", "click", "mouseover", "focus", "toggle", "animationstart"])
            document.addEventListener(type, (event) => {
              const target = event.target;
              if (target instanceof Element && target.closest("#drill pre")) {
                for (const attribute of target.getAttributeNames())
                  if (attribute.startsWith("on")) window.__fired.push(type + ":" + attribute);
              }
            }, true);
        })()`);
        await page.click("#ice-table button[data-drill='ice/0/strict']");
        const shown = await drillTexts(page);
        const verbatim = answers.filter((answer) => shown.includes(answer.text));
        const missing = answers.filter((answer) => !shown.includes(answer.text)).map((answer) => answer.name);
        assert.deepEqual(missing, [], "every hostile answer is shown verbatim");
        // Hover and click every shown answer (in the page: 90+ real pointer moves take too long): nothing may react.
        await page.evaluate(`(() => {
          for (const block of document.querySelectorAll("#drill pre"))
            for (const type of ["mouseover", "click", "focus"])
              block.dispatchEvent(new MouseEvent(type, { bubbles: true }));
        })()`);
        await page.locator("#drill pre").first().click();
        const live = await page.evaluate(`(() => {
          const all = [...document.querySelectorAll("*")];
          return {
            handlers: all.filter((element) => element.getAttributeNames().some((name) => /^on/i.test(name))).length,
            javascriptUrls: all.filter((element) =>
              ["href", "src", "action", "formaction", "xlink:href", "data"].some((name) =>
                /^s*javascript:/i.test(element.getAttribute(name) ?? ""))).length,
            // The only elements inside answers are the page's own marks around a single control character.
            drillElements: Array.from(document.querySelectorAll("#drill pre *")).filter((element) =>
              !(element.matches("span.control") && element.childElementCount === 0 &&
                element.textContent.length === 1 &&
                element.getAttributeNames().every((name) => name === "class" || name === "data-code"))).length,
            scripts: document.scripts.length,
            fired: window.__fired.length,
          };
        })()`);
        assert.deepEqual(
          live,
          { handlers: 0, javascriptUrls: 0, drillElements: 0, scripts: 2, fired: 0 },
          "no element from an answer: no handler, no javascript: link, no script",
        );
        await assertNothingRan(opened, file);
        console.log(
          `${answers.length} hostile answers in the HTML report: ${verbatim.length} shown as text (${judgeSteeringAnswers.length} of the judge-steering suite + ${hostileAnswers.length} markup/script answers); 0 scripts ran, 0 handlers, 0 live javascript: links`,
        );
        await page.close();
      },
    );

    await t.test("the CSP alone blocks script that escaping let through (second layer)", async () => {
      const file = join(directory, "csp.html");
      const html = await renderHtml(buildReportModel(hostileResults().map((result) => ({ result }))));
      const injected = `<script>window.${hostileMarker}='inline'</script><img src=x onerror="window.${hostileMarker}='handler'"><div id="csp-probe">probe</div>`;
      writeFileSync(file, html.replace("<main>", `<main>${injected}`));
      const opened = await openReport(context, file);
      assert.equal(
        await opened.page.textContent("#csp-probe"),
        "probe",
        "the injected markup is in the page",
      );
      assert.equal(await opened.page.evaluate(`typeof window.${hostileMarker}`), "undefined");
      assert.equal(
        await opened.page.evaluate("document.documentElement.dataset.ready"),
        "true",
        "own script ran",
      );
      await opened.page.close();
    });

    await t.test("charts render and clicking a chart element opens its items", async () => {
      const file = join(directory, "charts.html");
      const results = [...hostileResults(), ...largeReportResults({ targets: 3, items: 60, models: 6 })];
      writeFileSync(file, await renderHtml(buildReportModel(results.map((result) => ({ result })))));
      const opened = await openReport(context, file);
      const { page } = opened;
      const bars = await page.$$(
        "figure[data-chart=ice-bars] path[ecmeta_ssr_type=chart][ecmeta_series_index='1']",
      );
      assert.equal(bars.length, 4, "one strict bar per ICE target");
      assert.ok(
        (await page.$$("figure[data-chart=ice-rse-scatter] [ecmeta_ssr_type=chart][ecmeta_series_index='0']"))
          .length >= 3,
      );
      assert.ok(
        (
          await page.$$(
            "figure[data-chart=lineage-heatmap-1] [ecmeta_ssr_type=chart][ecmeta_series_index='0']",
          )
        ).length >= 36,
      );
      assert.ok(
        (
          await page.$$(
            "figure[data-chart=lineage-graph-1] svg path, figure[data-chart=lineage-graph-1] svg text",
          )
        ).length > 6,
      );

      await page.dispatchEvent(
        "figure[data-chart=ice-bars] path[ecmeta_ssr_type=chart][ecmeta_series_index='1'][ecmeta_data_index='2']",
        "click",
      );
      assert.equal(await page.textContent("#drill h3"), "sample-1: strict items");
      const expected = results[4];
      assert.ok(expected?.kind === "ice");
      const strictAnswers = expected.items.filter((item) => item.strict).map((item) => item.response);
      const shown = (await drillTexts(page)).filter((text) => strictAnswers.includes(text));
      assert.equal(shown.length, strictAnswers.length, "every strict answer of the target is listed");

      await page.dispatchEvent(
        "figure[data-chart=rse-bars] [ecmeta_ssr_type=chart][ecmeta_series_index='1'][ecmeta_data_index='0']",
        "click",
      );
      assert.match((await page.textContent("#drill h3")) ?? "", /: RSE items, numina$/);
      assert.equal(await page.$$eval("#drill article", (nodes) => nodes.length), hostileAnswers.length);

      await page.dispatchEvent(
        "figure[data-chart=lineage-heatmap-0] [ecmeta_ssr_type=chart][ecmeta_series_index='0'][ecmeta_data_index='4']",
        "click",
      );
      assert.match((await page.textContent("#drill h3")) ?? "", / vs /);
      await assertNothingRan(opened, file);
      await page.close();
    });

    await t.test(
      "20 targets x 1,000 ICE items + 50-model lineage: under 15 MB, loads within 3 s",
      async () => {
        const file = join(directory, "large.html");
        const model = buildReportModel(largeReportResults().map((result) => ({ result })));
        writeFileSync(file, await renderHtml(model));
        const megabytes = statSync(file).size / 1e6;
        // The load time is measured in the browser. `npm test` runs this file after the other tests, on its own
        // (npm run test:browser), so the figure is not the other test files' load; still, the better of two opens counts.
        let best = Number.POSITIVE_INFINITY;
        for (let attempt = 0; attempt < 2 && best >= 3000; attempt += 1) {
          const opened = await openReport(context, file);
          const measured = Number(
            await opened.page.evaluate(
              `(() => { const entry = performance.getEntriesByType("navigation")[0]; return entry.loadEventEnd - entry.startTime; })()`,
            ),
          );
          const svgCount = await opened.page.evaluate(`document.querySelectorAll("figure svg").length`);
          assert.equal(
            svgCount,
            5,
            "ICE bars, RSE bars, ICE-RSE scatter, lineage heatmap and graph are present",
          );
          await opened.page.click("#ice-table button[data-drill='ice/19/loose']");
          assert.equal(
            await opened.page.$$eval("#drill article", (nodes) => nodes.length),
            100,
            "lazy: 100 shown",
          );
          await assertNothingRan(opened, file);
          await opened.page.close();
          best = Math.min(best, measured);
        }
        console.log(
          `large report: ${megabytes.toFixed(2)} MB, load event after ${best.toFixed(0)} ms in Chromium`,
        );
        assert.ok(megabytes < 15, `report is ${megabytes.toFixed(2)} MB`);
        assert.ok(best < 3000, `load took ${best.toFixed(0)} ms`);
      },
    );
  } finally {
    await context.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
