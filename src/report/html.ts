/**
 * The self-contained HTML report: server-rendered SVG charts (echarts), server-rendered tables with
 * every dynamic string escaped (and each name or note from input in its own bidi isolate: escapeLabel),
 * one JSON data block for the drill-down, and one inline script allowed by its hash in a strict
 * Content-Security-Policy. The page makes no network request.
 */
import { createHash } from "node:crypto";
import { claimedDevelopers, claimedDevelopersText } from "../metrics/ice-claimed-developers.ts";
import { askedModelsHtml } from "./asked-models-section.ts";
import type { RenderedChart } from "./charts.ts";
import {
  attributionGraph,
  iceBarChart,
  iceRseScatter,
  lineageHeatmap,
  loadChartLibrary,
  rseDatasetChart,
} from "./charts.ts";
import { clientScript } from "./html-client.ts";
import { buildReportData, compressStrings, drillKeys } from "./html-data.ts";
import { escapeHtml, escapeLabel, serializeJsonForScript } from "./html-escape.ts";
import { formatInterval, formatPValue, formatScore } from "./number-format.ts";
import { promptSetNotes } from "./prompt-set-note.ts";
import {
  meanDifferenceLine,
  referenceComparison,
  referenceComparisonExplanation,
  referenceComparisonTitle,
  sourceTargetLabel,
} from "./reference-comparison.ts";
import type { IceView, LineageView, ReportModel, RseView } from "./report-model.ts";
import { bestCandidate, iceMetrics, iceRsePairs, toolVersionsOf } from "./report-model.ts";
import type { Bounds } from "./result-schema.ts";
import type { SamplingFallback } from "./sampling-note.ts";
import { samplingFallbackSentence, samplingSubject } from "./sampling-note.ts";
import { primaryReferenceNote } from "./scatter-note.ts";

export interface HtmlOptions {
  title?: string;
  /** Shown in the header, e.g. the tool version and creation time. */
  subtitle?: string;
  /** String tables above this many bytes of JSON are gzip-compressed (default 1 MB). */
  compressionThresholdBytes?: number;
}

/** The CSP `script-src` source that allows exactly the report's inline script. */
export function scriptHashSource(script: string = clientScript): string {
  return `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`;
}

/** The Content-Security-Policy of the report: nothing remote, no plugins, only the hashed script. */
export function contentSecurityPolicy(script: string = clientScript): string {
  return [
    "default-src 'none'",
    `script-src ${scriptHashSource(script)}`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "font-src 'none'",
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

const styles = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#fafafa}
header,main{max-width:1200px;margin:0 auto;padding:12px 20px}
header{border-bottom:1px solid #ddd;background:#fff;max-width:none}
h1{font-size:22px;margin:4px 0}h2{font-size:18px;margin:28px 0 8px}h3{font-size:16px}
.sub{color:#555}
table{border-collapse:collapse;background:#fff;margin:8px 0}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:right;unicode-bidi:isolate}
th:first-child,td:first-child{text-align:left}
td button{font:inherit;border:0;background:none;color:#1d4fb8;cursor:pointer;text-decoration:underline;padding:0}
.ci{color:#666;font-size:12px}
figure{margin:8px 0;background:#fff;border:1px solid #ddd;overflow:auto}
figcaption{padding:6px 10px;font-weight:600}
figure svg [ecmeta_data_index]{cursor:pointer}
#drill{border:2px solid #3569c4;background:#fff;padding:8px 14px;margin-top:20px}
#drill .item{border-top:1px solid #ddd;padding:6px 0}
#drill h4{margin:4px 0}
#drill .label{color:#555;font-size:12px;margin-top:4px}
#drill pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;padding:6px;margin:2px 0;unicode-bidi:plaintext;max-height:24em;overflow:auto}
.note{color:#555}
.control{unicode-bidi:isolate;font-size:0}
.control::before{content:attr(data-code);font-size:12px;color:#a3262a;background:#fde8e8;border-radius:2px;padding:0 1px}
#ice-reference{font-size:13px}
#ice-reference th,#ice-reference td{padding:4px 6px;white-space:nowrap}
#ice-reference td:first-child{white-space:normal;min-width:11em}
#ice-reference thead th{text-align:center}
`;

function intervalText(bounds: Bounds | undefined, digits: number, note?: string): string {
  return formatInterval(bounds, digits, note) ?? "";
}

/** A button that opens a drill-down; `markup` is already escaped (a number, or a label from escapeLabel). */
function drillButton(key: string, markup: string): string {
  return `<button type="button" data-drill="${escapeHtml(key)}">${markup}</button>`;
}

/** An interval, or why there is none: that note comes from the result, so it is isolated like a label. */
function intervalMarkup(bounds: Bounds | undefined, digits: number, note?: string): string {
  const text = intervalText(bounds, digits, note);
  return bounds === undefined && text !== "" ? escapeLabel(text) : escapeHtml(text);
}

function figure(chart: RenderedChart): string {
  return `<figure data-chart="${escapeHtml(chart.id)}" id="${escapeHtml(chart.id)}"><figcaption>${escapeHtml(chart.title)}</figcaption>${chart.svg}</figure>`;
}

/**
 * One note per model that refused a sampling parameter, under the table of its numbers; `subject` is the
 * model's name as markup (escaped by the caller).
 */
function samplingNotes(entries: Array<{ subject: string; fallback: SamplingFallback }>): string {
  return entries
    .map(
      ({ subject, fallback }) =>
        `<p class="note sampling"><strong>Note:</strong> ${subject} was ${escapeHtml(samplingFallbackSentence(fallback))}.</p>`,
    )
    .join("");
}

function iceSamplingNotes(views: IceView[]): string {
  return samplingNotes(
    views.flatMap((view) =>
      view.samplingFallback === undefined
        ? []
        : [{ subject: escapeLabel(view.label), fallback: view.samplingFallback }],
    ),
  );
}

/** Which developers each target's strict answers claim, in answers ("anthropic 22"). */
function iceClaimsNote(views: IceView[]): string {
  const claims = views.flatMap((view) => {
    const claimed = claimedDevelopers(view.items, view.identity ?? "");
    return claimed.length === 0
      ? []
      : [`${escapeLabel(view.label)}: ${escapeLabel(claimedDevelopersText(claimed))}`];
  });
  return claims.length === 0
    ? ""
    : `<p class="note" id="ice-claimed">Developers the strict answers claim (answers): ${claims.join("; ")}.</p>`;
}

function rseSamplingNotes(views: RseView[]): string {
  return samplingNotes(
    views.flatMap((view) =>
      (view.samplingFallbacks ?? []).map((fallback) => ({
        subject: samplingSubject(fallback, view.label, escapeLabel),
        fallback,
      })),
    ),
  );
}

/** One note per prompt set of a result that left records of its file out or kept some in part. */
function rsePromptSetNotes(views: RseView[]): string {
  return views
    .flatMap((view) =>
      promptSetNotes(view.promptSets ?? [], { name: escapeLabel, text: escapeHtml }).map(
        (line) => `<p class="note prompt-set"><strong>Note:</strong> ${escapeLabel(view.label)}: ${line}</p>`,
      ),
    )
    .join("");
}

function iceTable(views: IceView[]): string {
  const rows = views.map((view, targetIndex) => {
    const cells = iceMetrics.map(
      (metric) =>
        `<td>${drillButton(drillKeys.ice(targetIndex, metric), escapeHtml(formatScore(view.scores[metric], 3)))} <span class="ci">${intervalMarkup(view.intervals[metric], 3, view.intervalNotes[metric])}</span></td>`,
    );
    return `<tr><td>${escapeLabel(view.label)}</td><td>${view.identity === undefined ? "" : escapeLabel(view.identity)}</td><td>${drillButton(drillKeys.ice(targetIndex, "all"), String(view.n))}</td>${cells.join("")}</tr>`;
  });
  return `<table id="ice-table"><thead><tr><th>Target</th><th>Identity</th><th>n</th><th>Loose (95% CI)</th><th>Strict (95% CI)</th><th>Hard (95% CI)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Published figures next to ours, when any ICE result carries them; every source text escaped. */
function iceReferenceTable(views: IceView[]): string {
  const comparison = referenceComparison(views);
  if (comparison === undefined) return "";
  const rows = comparison.rows.map((row) => {
    const cells = iceMetrics.flatMap((metric) => [
      `<td>${formatScore(row.reference.published[metric], 3)}</td>`,
      `<td>${formatScore(row.reference.recomputed[metric], 3)}</td>`,
      `<td>${formatScore(row.view.scores[metric], 3)} <span class="ci">${intervalMarkup(row.view.intervals[metric], 3, row.view.intervalNotes[metric])}</span></td>`,
    ]);
    const theirs = sourceTargetLabel(row);
    const target = `${escapeLabel(row.view.label)}${theirs === undefined ? "" : `<br><span class="ci">${escapeLabel(theirs)}</span>`}`;
    return `<tr><td>${target}</td>${cells.join("")}<td>${row.sourceNumber}</td></tr>`;
  });
  const metricGroups = iceMetrics
    .map((metric) => `<th colspan="3">${metric[0]?.toUpperCase()}${metric.slice(1)}</th>`)
    .join("");
  const metricHeaders = iceMetrics
    .map(() => "<th>published</th><th>recomputed</th><th>ours (95% CI)</th>")
    .join("");
  const means = (["recomputed", "published"] as const)
    .flatMap((kind) => meanDifferenceLine(comparison, kind) ?? [])
    .map((line) => `<p class="mean-difference">${escapeHtml(line)}</p>`)
    .join("");
  const sources = comparison.sources.map((source) => `<li>${escapeLabel(source)}</li>`).join("");
  const notes = comparison.notes
    .map((note) => `<p class="note"><strong>Note:</strong> ${escapeLabel(note)}</p>`)
    .join("");
  return `<h3>${escapeHtml(referenceComparisonTitle)}</h3><p class="note">${escapeHtml(referenceComparisonExplanation)}</p><table id="ice-reference"><thead><tr><th rowspan="2">Target</th>${metricGroups}<th rowspan="2">Source</th></tr><tr>${metricHeaders}</tr></thead><tbody>${rows.join("")}</tbody></table>${means}<p class="note">Sources:</p><ol class="sources">${sources}</ol>${notes}`;
}

function iceDetailTable(views: IceView[]): string {
  const languages = [...new Set(views.flatMap((view) => view.languages.map((row) => row.key)))];
  const withPriming = views.some((view) => view.priming !== undefined);
  if (languages.length === 0 && !withPriming) return "";
  const rows = views.map((view) => {
    const languageCells = languages.map((language) => {
      const row = view.languages.find((candidate) => candidate.key === language);
      return `<td>${row ? `${formatScore(row.scores.loose, 3)} / ${formatScore(row.scores.strict, 3)} <span class="ci">n=${row.n}</span>` : "–"}</td>`;
    });
    const priming = view.priming
      ? `${formatScore(view.priming.vendorNaming, 3)} vs ${formatScore(view.priming.neutral, 3)}: ${formatScore(view.priming.difference, 3)} <span class="ci">${intervalMarkup(view.priming.interval, 3, view.priming.intervalNote)}</span>`
      : "–";
    return `<tr><td>${escapeLabel(view.label)}</td>${languageCells.join("")}${withPriming ? `<td>${priming}</td>` : ""}<td>${view.judgeErrors ?? "–"}</td></tr>`;
  });
  const header = languages.map((language) => `<th>${escapeLabel(language)}: loose / strict</th>`).join("");
  return `<h3>By language, and priming by vendor-naming templates</h3><p class="note" id="ice-detail-note">Rates by language have no interval: the result computes intervals per target only (above). n is the number of answers in that language.</p><table id="ice-detail"><thead><tr><th>Target</th>${header}${withPriming ? "<th>Strict priming: vendor-naming vs neutral templates (difference, 95% CI)</th>" : ""}<th>Judge errors</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/**
 * One row per target and reference. A score's drill-down lists the prompt set's items (each names
 * its reference); the dataset index is the primary reference's, which lists every prompt set.
 */
function rseTable(views: RseView[]): string {
  const names = [
    ...new Set(
      views.flatMap((view) =>
        view.byReference.flatMap((reference) => reference.datasets.map((dataset) => dataset.name)),
      ),
    ),
  ];
  const rows = views.flatMap((view, targetIndex) =>
    view.byReference.map((reference) => {
      const cells = names.map((name) => {
        const dataset = reference.datasets.find((candidate) => candidate.name === name);
        const datasetIndex = view.datasets.findIndex((candidate) => candidate.name === name);
        const score = dataset?.scores.overall;
        if (!dataset || score === undefined) return "<td>–</td>";
        const text = formatScore(score, 3);
        const shown =
          datasetIndex < 0
            ? escapeHtml(text)
            : drillButton(drillKeys.rse(targetIndex, datasetIndex), escapeHtml(text));
        return `<td>${shown} <span class="ci">${intervalMarkup(dataset.interval, 2, dataset.intervalNote)}</span></td>`;
      });
      const axes = (["style", "logic", "content"] as const).map(
        (axis) =>
          `<td>${formatScore(reference.scores[axis], 3)} <span class="ci">${intervalMarkup(reference.intervals[axis], 2, reference.intervalNotes?.[axis])}</span></td>`,
      );
      return `<tr><td>${escapeLabel(view.label)}</td><td>${escapeLabel(reference.reference)}</td>${cells.join("")}<td>${drillButton(drillKeys.rse(targetIndex, "all"), escapeHtml(formatScore(reference.scores.overall, 3)))} <span class="ci">${intervalMarkup(reference.intervals.overall, 2, reference.intervalNotes?.overall)}</span></td>${axes.join("")}</tr>`;
    }),
  );
  const header = names.map((name) => `<th>${escapeLabel(name)}</th>`).join("");
  return `<table id="rse-table"><thead><tr><th>Target</th><th>Reference</th>${header}<th>Overall (95% CI)</th><th>Style (95% CI)</th><th>Logic (95% CI)</th><th>Content (95% CI)</th></tr></thead><tbody>${rows.join("")}</tbody></table>${rseSamplingNotes(views)}${rsePromptSetNotes(views)}${rseComparisonTable(views)}`;
}

/** Paired comparisons between references, for results with several. */
function rseComparisonTable(views: RseView[]): string {
  const rows = views.flatMap((view) =>
    view.comparisons.map(
      (comparison) =>
        `<tr><td>${escapeLabel(view.label)}</td><td>${escapeLabel(comparison.first)}</td><td>${escapeLabel(comparison.second)}</td><td>${formatScore(comparison.difference, 3)} <span class="ci">${intervalMarkup(comparison.interval, 3, comparison.intervalNote)}</span></td><td>${escapeHtml(formatPValue(comparison.pValue))}</td><td>${comparison.nearer === null ? "neither (not significant)" : escapeLabel(comparison.nearer)}</td></tr>`,
    ),
  );
  if (rows.length === 0) return "";
  return `<h3>Paired comparisons between references</h3><p class="note">Overall similarity to the first reference minus to the second, over the same conversations (95% interval, Holm-adjusted p).</p><table id="rse-comparisons"><thead><tr><th>Target</th><th>First</th><th>Second</th><th>Difference (95% CI)</th><th>p</th><th>Nearer</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function lineageTable(view: LineageView, lineageIndex: number): string {
  const rows = view.attributions.map((attribution, index) => {
    const best = bestCandidate(attribution);
    const nearest = attribution.ranking[0]?.candidate;
    const closest = attribution.untested
      ? nearest === undefined
        ? "–"
        : `${escapeLabel(nearest)} (most similar; no test)`
      : best
        ? `${escapeLabel(best.candidate)} (${escapeHtml(formatScore(best.score))})`
        : "–";
    const teacher = attribution.untested
      ? "not tested"
      : attribution.teacher === null
        ? "none supported"
        : escapeLabel(attribution.teacher);
    const pValue = attribution.untested ? "not tested" : escapeHtml(formatPValue(attribution.pValue));
    return `<tr><td>${drillButton(drillKeys.attribution(lineageIndex, index), escapeLabel(attribution.model))}</td><td>${teacher}</td><td>${pValue}</td><td>${closest}</td></tr>`;
  });
  return `<table class="lineage-table"><thead><tr><th>Model</th><th>Teacher</th><th>p-value</th><th>Closest candidate (z)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Which file, tool version and time each result comes from, so that a mixed report says it is one. */
function sourcesSection(model: ReportModel): string {
  const versions = toolVersionsOf(model);
  const note =
    versions.length > 1
      ? `<p class="note mixed"><strong>Note:</strong> these results were written by ${versions.length} versions of distillscope (${versions.map((version) => escapeLabel(version)).join(", ")}).</p>`
      : "";
  const rows = model.sources.map(
    (source) =>
      `<tr><td>${escapeLabel(source.label)}</td><td>${source.kind}</td><td>${source.file === undefined ? "–" : escapeLabel(source.file)}</td><td>${escapeLabel(source.toolVersion)}</td><td>${escapeLabel(source.createdAt)}</td></tr>`,
  );
  return `<section id="sources"><h2>Results in this report</h2>${note}<table id="sources-table"><thead><tr><th>Result</th><th>Kind</th><th>File</th><th>Tool version</th><th>Created</th></tr></thead><tbody>${rows.join("")}</tbody></table></section>`;
}

/** Renders the whole report as one HTML document (async only to load the chart library on first use). */
export async function renderHtml(model: ReportModel, options: HtmlOptions = {}): Promise<string> {
  await loadChartLibrary();
  const charts: RenderedChart[] = [];
  const sections: string[] = [];
  if (model.ice.length > 0) {
    const chart = iceBarChart(model.ice);
    charts.push(chart);
    sections.push(
      `<section id="ice"><h2>Identity consistency (ICE)</h2><p class="note">Click a bar or a score to see the exact prompts and answers behind it. Intervals are 95%, clustered by template.</p>${figure(chart)}${iceTable(model.ice)}${iceSamplingNotes(model.ice)}${iceClaimsNote(model.ice)}${iceReferenceTable(model.ice)}${iceDetailTable(model.ice)}</section>`,
    );
  }
  if (model.rse.length > 0) {
    const chart = rseDatasetChart(model.rse);
    charts.push(chart);
    sections.push(
      `<section id="rse"><h2>Response similarity (RSE)</h2><p class="note">Per prompt set, as the paper's Table 3; click a bar or a score for its items.</p>${figure(chart)}${rseTable(model.rse)}</section>`,
    );
  }
  const pairs = iceRsePairs(model);
  if (pairs.length > 0) {
    const chart = iceRseScatter(pairs);
    charts.push(chart);
    const references = pairs
      .map(({ ice, rse }) => `${escapeLabel(ice.label)}: ${escapeLabel(rse.references[0] ?? "–")}`)
      .join("; ");
    const several = pairs.some(({ rse }) => rse.references.length > 1);
    sections.push(
      `<section id="scatter"><h2>ICE versus RSE</h2>${figure(chart)}<p class="note">RSE reference: ${references}.${several ? ` ${escapeHtml(primaryReferenceNote)}` : ""}</p></section>`,
    );
  } else if (model.ice.length > 0) {
    sections.push(
      `<section id="scatter"><h2>ICE versus RSE</h2><p class="note missing">No ICE-versus-RSE scatter: this report has no RSE result for ${model.rse.length > 0 ? "the same targets as its ICE results" : "any target"}. Run <code>distillscope rse run</code> for the ICE targets and pass both results to <code>distillscope report</code>.</p></section>`,
    );
  }
  model.lineage.forEach((view, lineageIndex) => {
    const heatmap = lineageHeatmap(view, lineageIndex);
    const graph = attributionGraph(view, lineageIndex);
    charts.push(heatmap, graph);
    sections.push(
      `<section class="lineage"><h2>Lineage: ${escapeLabel(view.label)}</h2><p class="note">Candidates: ${view.candidates.map((candidate) => escapeLabel(candidate)).join(", ")}. Click a model or a cell for details.</p>${view.note === undefined ? "" : `<p class="note lineage-note"><strong>Note:</strong> ${escapeLabel(view.note)}.</p>`}${lineageTable(view, lineageIndex)}${figure(heatmap)}${figure(graph)}</section>`,
    );
  });
  if (sections.length === 0) sections.push("<p>No results.</p>");
  else sections.push(sourcesSection(model), askedModelsHtml(model.askedModels ?? []));
  const data = compressStrings(
    buildReportData(model, Object.fromEntries(charts.map((chart) => [chart.id, chart.drill]))),
    options.compressionThresholdBytes,
  );
  const title = options.title ?? "distillscope report";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><div class="sub">${escapeHtml(options.subtitle ?? "")}</div></header>
<main>
${sections.join("\n")}
<section id="drill" hidden aria-live="polite"></section>
</main>
<script type="application/json" id="report-data">${serializeJsonForScript(data)}</script>
<script>${clientScript}</script>
</body>
</html>
`;
}
