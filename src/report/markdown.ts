/**
 * Markdown summary of a report, fit for a terminal, a CI log or a pull-request comment. Every value
 * that comes from a result (model ids, dataset names, answers) is escaped for table cells or fenced,
 * so that it cannot add markup, links or HTML to the page it is pasted into. Terminal controls (C0/C1,
 * DEL, ESC sequences) and bidi overrides in any of them are shown as visible `\uXXXX` escapes
 * (src/text/terminal-text.ts), so printing the Markdown cannot drive the terminal that shows it.
 */

import { InputError } from "../errors.ts";
import { claimedDevelopers, claimedDevelopersText } from "../metrics/ice-claimed-developers.ts";
import { checkOptionsObject, checkTextArgument } from "../options/library-options.ts";
import { checkWholeNumberOption, shownValue } from "../options/option-name.ts";
import { escapeMarkdownInline } from "../text/markdown-inline.ts";

import { terminalSafe } from "../text/terminal-text.ts";
import { askedModelsMarkdown } from "./asked-models-section.ts";
import { formatPValue, formatScore, formatInterval as intervalText, missingValue } from "./number-format.ts";
import { promptSetNotes } from "./prompt-set-note.ts";
import {
  comparedTargetLabel,
  meanDifferenceLine,
  referenceComparison,
  referenceComparisonExplanation,
  referenceComparisonTitle,
} from "./reference-comparison.ts";
import type { IceView, LineageView, ReportModel, RseView } from "./report-model.ts";
import { bestCandidate, iceMetrics, iceRsePairs, toolVersionsOf } from "./report-model.ts";
import type { Bounds } from "./result-schema.ts";
import type { SamplingFallback } from "./sampling-note.ts";
import { samplingFallbackSentence, samplingSubject } from "./sampling-note.ts";
import { primaryReferenceNote } from "./scatter-note.ts";

export { escapeMarkdownInline };

export interface MarkdownOptions {
  /** Strict example answers quoted per ICE target (default 2). */
  examplesPerTarget?: number;
  /** Longest quoted answer, in characters, before it is cut (default 600). */
  maxQuoteLength?: number;
  title?: string;
}

/**
 * Fences text as a code block with a fence longer than any backtick run inside it; terminal controls
 * inside are shown as `\uXXXX` (line breaks kept, CR LF and CR read as line breaks).
 */
export function fenceMarkdown(text: string): string {
  const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${terminalSafe(text.replace(/\r\n?/g, "\n"))}\n${fence}`;
}

function formatInterval(bounds: Bounds | undefined, digits: number, note?: string): string {
  return intervalText(bounds, digits, note) ?? missingValue;
}

function table(header: string[], rows: string[][]): string {
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, column) => (column === 0 ? "---" : "---:")).join(" | ")} |`,
  ];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

/** A note for a model that refused a sampling parameter; `subject` is its name, already escaped. */
function samplingNote(subject: string, fallback: SamplingFallback): string {
  return `**Note:** ${subject} was ${samplingFallbackSentence(fallback)}.`;
}

/** Published figures next to ours, when any ICE result carries them; every source text escaped. */
function referenceSection(views: IceView[]): string | undefined {
  const comparison = referenceComparison(views);
  if (comparison === undefined) return undefined;
  const rows = comparison.rows.map((row) => [
    escapeMarkdownInline(comparedTargetLabel(row)),
    ...iceMetrics.flatMap((metric) => {
      const interval = intervalText(row.view.intervals[metric], 3, row.view.intervalNotes[metric]);
      return [
        formatScore(row.reference.published[metric], 3),
        formatScore(row.reference.recomputed[metric], 3),
        `${formatScore(row.view.scores[metric], 3)}${interval === undefined ? "" : ` ${interval}`}`,
      ];
    }),
    String(row.sourceNumber),
  ]);
  const header = [
    "Target",
    ...iceMetrics.flatMap((metric) => {
      const name = metric[0]?.toUpperCase() + metric.slice(1);
      return [`${name} published`, `${name} recomputed`, `${name} ours [95% CI]`];
    }),
    "Source",
  ];
  const parts = [
    `### ${referenceComparisonTitle}`,
    referenceComparisonExplanation,
    table(header, rows),
    ...(["recomputed", "published"] as const).flatMap((kind) => meanDifferenceLine(comparison, kind) ?? []),
    comparison.sources
      .map((source, index) => `Source ${index + 1}: ${escapeMarkdownInline(source)}.`)
      .join("  \n"),
    ...comparison.notes.map((note) => `**Note:** ${escapeMarkdownInline(note)}`),
  ];
  return parts.join("\n\n");
}

function iceSection(views: IceView[], options: Required<MarkdownOptions>): string {
  const rows = views.map((view) => [
    escapeMarkdownInline(view.label),
    String(view.n),
    ...iceMetrics.flatMap((metric) => [
      formatScore(view.scores[metric], 3),
      formatInterval(view.intervals[metric], 3, view.intervalNotes[metric]),
    ]),
  ]);
  const parts = [
    "## Identity consistency (ICE)",
    "Share of answers that conflict with the target's identity (loose), that claim another real developer's model (strict), and strict on prompts naming no vendor (hard). Intervals are 95%.",
    table(["Target", "n", "Loose", "95% CI", "Strict", "95% CI", "Hard", "95% CI"], rows),
    ...views.flatMap((view) =>
      view.samplingFallback === undefined
        ? []
        : [samplingNote(escapeMarkdownInline(view.label), view.samplingFallback)],
    ),
  ];
  const claims = views.flatMap((view) => {
    const claimed = claimedDevelopers(view.items, view.identity ?? "");
    return claimed.length === 0
      ? []
      : [`${escapeMarkdownInline(view.label)}: ${escapeMarkdownInline(claimedDevelopersText(claimed))}`];
  });
  if (claims.length > 0) parts.push(`Developers the strict answers claim (answers): ${claims.join("; ")}.`);
  const withErrors = views.filter((view) => (view.judgeErrors ?? 0) > 0);
  if (withErrors.length > 0)
    parts.push(
      `Not judged (judge errors, excluded from n): ${withErrors.map((view) => `${escapeMarkdownInline(view.label)} ${view.judgeErrors}`).join(", ")}.`,
    );
  const withPriming = views.filter((view) => view.priming !== undefined);
  if (withPriming.length > 0)
    parts.push(
      "Priming: strict rate on templates that name a vendor versus neutral ones (weak spot 1 of the paper).",
      table(
        ["Target", "Vendor-naming", "Neutral", "Difference", "95% CI"],
        withPriming.map((view) => [
          escapeMarkdownInline(view.label),
          formatScore(view.priming?.vendorNaming, 3),
          formatScore(view.priming?.neutral, 3),
          formatScore(view.priming?.difference, 3),
          formatInterval(view.priming?.interval, 3, view.priming?.intervalNote),
        ]),
      ),
    );
  const compared = referenceSection(views);
  if (compared !== undefined) parts.push(compared);
  for (const view of views) {
    // Answers to prompts that name no vendor (hard) first: an "I am Claude" after a template that said
    // "you are Claude" is weak evidence, and a reader of the quote cannot see the template.
    const strict = view.items.filter((item) => item.strict);
    const examples = [
      ...strict.filter((item) => item.hard === true),
      ...strict.filter((item) => item.hard !== true),
    ].slice(0, options.examplesPerTarget);
    if (examples.length === 0) continue;
    parts.push(`### Strict examples: ${escapeMarkdownInline(view.label)}`);
    for (const item of examples) {
      const cut = item.response.length > options.maxQuoteLength;
      const quote = cut ? `${item.response.slice(0, options.maxQuoteLength)}…` : item.response;
      const prompt =
        item.hard === true
          ? " (its prompt names no vendor)"
          : item.hard === false
            ? " (its prompt names a vendor, which may have suggested the identity)"
            : "";
      parts.push(
        `Item ${item.index}${prompt}, query: ${escapeMarkdownInline(item.query.slice(0, 200))}${cut ? ` (answer cut at ${options.maxQuoteLength} of ${item.response.length} characters; the HTML report has it whole)` : ""}`,
        fenceMarkdown(quote),
      );
    }
  }
  return parts.join("\n\n");
}

function rseSection(views: RseView[]): string {
  const datasetNames = [
    ...new Set(
      views.flatMap((view) =>
        view.byReference.flatMap((reference) => reference.datasets.map((dataset) => dataset.name)),
      ),
    ),
  ];
  // One row per target and reference: a result with several references has a row for each.
  const rows = views.flatMap((view) =>
    view.byReference.map((reference) => [
      escapeMarkdownInline(view.label),
      escapeMarkdownInline(reference.reference),
      ...datasetNames.map((name) => {
        const dataset = reference.datasets.find((candidate) => candidate.name === name);
        if (!dataset) return "–";
        const interval =
          dataset.interval || dataset.intervalNote
            ? ` ${formatInterval(dataset.interval, 2, dataset.intervalNote)}`
            : "";
        return `${formatScore(dataset.scores.overall, 3)}${interval}`;
      }),
      `${formatScore(reference.scores.overall, 3)} ${formatInterval(reference.intervals.overall, 2, reference.intervalNotes?.overall)}`,
      ...(["style", "logic", "content"] as const).map((axis) => {
        const interval = intervalText(reference.intervals[axis], 2, reference.intervalNotes?.[axis]);
        return `${formatScore(reference.scores[axis], 3)}${interval === undefined ? "" : ` ${interval}`}`;
      }),
    ]),
  );
  const parts = [
    "## Response similarity (RSE)",
    "Similarity of the target's answers to each reference's, per prompt set (as the paper's Table 3), with 95% intervals.",
    table(
      [
        "Target",
        "Reference",
        ...datasetNames.map((name) => escapeMarkdownInline(name)),
        "Overall",
        "Style",
        "Logic",
        "Content",
      ],
      rows,
    ),
    ...views.flatMap((view) =>
      (view.samplingFallbacks ?? []).map((fallback) =>
        samplingNote(samplingSubject(fallback, view.label, escapeMarkdownInline), fallback),
      ),
    ),
    ...views.flatMap((view) =>
      promptSetNotes(view.promptSets ?? [], { name: escapeMarkdownInline }).map(
        (line) => `**Note:** ${escapeMarkdownInline(view.label)}: ${line}`,
      ),
    ),
  ];
  const compared = views.filter((view) => view.comparisons.length > 0);
  if (compared.length > 0)
    parts.push(
      "Paired comparisons: overall similarity to the first reference minus to the second, over the same conversations (95% interval, Holm-adjusted p).",
      table(
        ["Target", "First", "Second", "Difference", "95% CI", "p", "Nearer"],
        compared.flatMap((view) =>
          view.comparisons.map((comparison) => [
            escapeMarkdownInline(view.label),
            escapeMarkdownInline(comparison.first),
            escapeMarkdownInline(comparison.second),
            formatScore(comparison.difference, 3),
            formatInterval(comparison.interval, 3, comparison.intervalNote),
            formatPValue(comparison.pValue),
            comparison.nearer === null
              ? "neither (not significant)"
              : escapeMarkdownInline(comparison.nearer),
          ]),
        ),
      ),
    );
  return parts.join("\n\n");
}

function lineageSection(view: LineageView): string {
  const rows = view.attributions.map((attribution) => {
    const best = bestCandidate(attribution);
    const nearest = attribution.ranking[0]?.candidate;
    if (attribution.untested)
      return [
        escapeMarkdownInline(attribution.model),
        "not tested",
        "not tested",
        nearest === undefined ? "–" : `${escapeMarkdownInline(nearest)} (most similar; no test)`,
      ];
    return [
      escapeMarkdownInline(attribution.model),
      attribution.teacher === null ? "none supported" : escapeMarkdownInline(attribution.teacher),
      formatPValue(attribution.pValue),
      best ? `${escapeMarkdownInline(best.candidate)} (${formatScore(best.score)})` : "–",
    ];
  });
  return [
    `## Lineage: ${escapeMarkdownInline(view.label)}`,
    `Candidates: ${view.candidates.map((candidate) => escapeMarkdownInline(candidate)).join(", ")}. A teacher is named only when it is significantly closer than independent models are.`,
    ...(view.note === undefined ? [] : [`**Note:** ${escapeMarkdownInline(view.note)}.`]),
    table(["Model", "Teacher", "p-value", "Closest candidate (z)"], rows),
  ].join("\n\n");
}

function scatterSection(model: ReportModel): string | undefined {
  const pairs = iceRsePairs(model);
  if (pairs.length === 0) return undefined;
  const rows = pairs.map(({ ice, rse }) => [
    escapeMarkdownInline(ice.label),
    escapeMarkdownInline(rse.references[0] ?? "–"),
    `${formatScore(rse.scores.overall, 3)} ${formatInterval(rse.intervals.overall, 2, rse.byReference[0]?.intervalNotes?.overall)}`,
    `${formatScore(ice.scores.strict, 3)} ${formatInterval(ice.intervals.strict, 3, ice.intervalNotes.strict)}`,
  ]);
  const several = pairs.some(({ rse }) => rse.references.length > 1);
  return [
    "## ICE versus RSE",
    ...(several ? [primaryReferenceNote] : []),
    table(["Target", "RSE reference", "RSE overall", "ICE strict"], rows),
  ].join("\n\n");
}

/** Which file, tool version and time each result comes from, so that a mixed report says it is one. */
function sourcesSection(model: ReportModel): string {
  const versions = toolVersionsOf(model);
  return [
    "## Results in this report",
    ...(versions.length > 1
      ? [
          `**Note:** these results were written by ${versions.length} versions of distillscope (${versions.map((version) => escapeMarkdownInline(version)).join(", ")}).`,
        ]
      : []),
    table(
      ["Result", "Kind", "File", "Tool version", "Created"],
      model.sources.map((source) => [
        escapeMarkdownInline(source.label),
        source.kind,
        source.file === undefined ? missingValue : escapeMarkdownInline(source.file),
        escapeMarkdownInline(source.toolVersion),
        escapeMarkdownInline(source.createdAt),
      ]),
    ),
  ].join("\n\n");
}

/** What a library caller passes, checked once per call: a report model and options of the right kinds. */
function checkMarkdownArguments(model: unknown, options: unknown): void {
  const views = model as Partial<Record<keyof ReportModel, unknown>> | null;
  if (!["ice", "rse", "lineage", "sources"].every((key) => Array.isArray(views?.[key as keyof ReportModel])))
    throw new InputError(
      `renderMarkdown: model must be a report model from buildReportModel(results), got ${views === null || typeof views !== "object" ? shownValue(views) : "an object without its ice, rse, lineage and sources lists"}`,
    );
  checkOptionsObject(options, "renderMarkdown", "examplesPerTarget?, maxQuoteLength?, title?");
  const { examplesPerTarget, maxQuoteLength, title } = options as MarkdownOptions;
  if (examplesPerTarget !== undefined)
    checkWholeNumberOption(examplesPerTarget, "renderMarkdown: examplesPerTarget", 0);
  if (maxQuoteLength !== undefined)
    checkWholeNumberOption(maxQuoteLength, "renderMarkdown: maxQuoteLength", 1);
  if (title !== undefined) checkTextArgument(title, "renderMarkdown: title", '"distillscope report"');
}

/** Renders the whole Markdown report. */
export function renderMarkdown(model: ReportModel, options: MarkdownOptions = {}): string {
  checkMarkdownArguments(model, options);
  const settings: Required<MarkdownOptions> = {
    examplesPerTarget: options.examplesPerTarget ?? 2,
    maxQuoteLength: options.maxQuoteLength ?? 600,
    title: options.title ?? "distillscope report",
  };
  const sections = [`# ${escapeMarkdownInline(settings.title)}`];
  if (model.ice.length > 0) sections.push(iceSection(model.ice, settings));
  if (model.rse.length > 0) sections.push(rseSection(model.rse));
  const scatter = scatterSection(model);
  if (scatter) sections.push(scatter);
  for (const view of model.lineage) sections.push(lineageSection(view));
  if (sections.length === 1) sections.push("No results.");
  else sections.push(sourcesSection(model));
  const asked = askedModelsMarkdown(model.askedModels ?? []);
  if (asked !== undefined) sections.push(asked);
  // Every value above is already escaped; this pass keeps any text added later terminal-safe too.
  return `${terminalSafe(sections.join("\n\n"))}\n`;
}
