/**
 * Turns validated result JSON into the views the Markdown and HTML reports draw. Fields outside the
 * contract are read tolerantly (several spellings, absent is fine) so that a report never fails on a
 * result that passed its schema.
 */
import { basename } from "node:path";
import { InputError } from "../errors.ts";
import type { DroppableParameter } from "../models/types.ts";
import { checkListArgument } from "../options/library-options.ts";
import { shownValue } from "../options/option-name.ts";
import { type AskedModelsView, askedModelsView } from "./asked-models-view.ts";
import type { PromptSetOmissions } from "./prompt-set-note.ts";
import type {
  Bounds,
  Generation,
  IceItem,
  IceResult,
  LineageResult,
  ReferenceFigures,
  ReferenceRates,
  ReportableResult,
  RseResult,
} from "./result-schema.ts";
import { intervalNote, toBounds } from "./result-schema.ts";
import type { NamedSamplingFallback, SamplingFallback } from "./sampling-note.ts";

export const iceMetrics = ["loose", "strict", "hard"] as const;
export type IceMetric = (typeof iceMetrics)[number];
export const rseAxes = ["overall", "style", "logic", "content"] as const;
export type RseAxis = (typeof rseAxes)[number];

/** A score for display: JSON null (no data) becomes NaN, shown as a dash. */
function score(value: number | null | undefined): number {
  return typeof value === "number" ? value : Number.NaN;
}

export interface AttributionView {
  model: string;
  teacher: string | null;
  /** NaN when the result had none. */
  pValue: number;
  ranking: Array<{ candidate: string; score: number }>;
  /**
   * No test could be made for this model (fewer than 5 models, no shared answers: every ranking entry
   * has `excess: null`): its teacher null and p-value 1 are placeholders, so the reports say "not
   * tested" instead, and the ranking (by raw similarity) has no scores.
   */
  untested?: true;
}

export interface IceBreakdownView {
  key: string;
  n: number;
  scores: Record<IceMetric, number>;
}

export interface IcePrimingView {
  vendorNaming: number;
  neutral: number;
  difference: number;
  interval?: Bounds;
  /** Why the interval has no bounds (e.g. "too few templates (1 < 5)"), when the result says. */
  intervalNote?: string;
}

/** Figures a source published for an ICE target (`referenceFigures` of the result); NaN where absent. */
export interface IceReferenceView {
  source: string;
  /** The source's name for the target, when the result gives one. */
  label?: string;
  published: Record<IceMetric, number>;
  recomputed: Record<IceMetric, number>;
  note?: string;
}

export interface IceView {
  label: string;
  identity?: string;
  n: number;
  judgeErrors?: number;
  /** Rates by answer language, when the result has them. */
  languages: IceBreakdownView[];
  /** Strict rate on vendor-naming minus neutral templates, when the result has it. */
  priming?: IcePrimingView;
  scores: Record<IceMetric, number>;
  intervals: Partial<Record<IceMetric, Bounds>>;
  /** Why an interval has no bounds (e.g. "too few templates (2 < 5)"), per metric the result says it for. */
  intervalNotes: Partial<Record<IceMetric, string>>;
  items: IceItem[];
  /** Published figures to compare with, when the result carries them. */
  reference?: IceReferenceView;
  /** When the target refused a sampling parameter (`generation.sentWithout` of an `ice run` result). */
  samplingFallback?: SamplingFallback;
}

export interface RseDatasetView {
  name: string;
  n?: number;
  scores: Partial<Record<RseAxis, number>>;
  interval?: Bounds;
  /** Why the overall interval has no bounds (e.g. "too few conversations (3 < 5)"), when the result says. */
  intervalNote?: string;
}

export interface RseItemView {
  dataset?: string;
  reference?: string;
  prompt: string;
  targetResponse: string;
  referenceResponse: string;
  overall?: number;
}

/** The target's similarity to one reference. */
export interface RseReferenceView {
  /** The reference's model id ("–" when the result names none). */
  reference: string;
  scores: Record<RseAxis, number>;
  intervals: Partial<Record<RseAxis, Bounds>>;
  /** Why an interval has no bounds, per axis the result says it for. */
  intervalNotes?: Partial<Record<RseAxis, string>>;
  datasets: RseDatasetView[];
}

/** A paired comparison of the target's similarity to two references (overall axis). */
export interface RseComparisonView {
  first: string;
  second: string;
  /** Mean of similarity to `first` minus similarity to `second`. */
  difference: number;
  interval?: Bounds;
  intervalNote?: string;
  /** Holm-adjusted when the result has it, else the raw p-value; NaN when absent. */
  pValue: number;
  /** The significantly nearer reference, or null when neither is. */
  nearer: string | null;
}

export interface RseView {
  label: string;
  references: string[];
  /** The primary reference's scores (the first reference); `byReference` has every reference. */
  scores: Record<RseAxis, number>;
  intervals: Partial<Record<RseAxis, Bounds>>;
  datasets: RseDatasetView[];
  /** One entry per reference, the primary first; one entry when the result has a single reference. */
  byReference: RseReferenceView[];
  comparisons: RseComparisonView[];
  items: RseItemView[];
  /** Each model (target or reference) that refused a sampling parameter (`answerCounts[model].sentWithout`). */
  samplingFallbacks?: RseSamplingFallbackView[];
  /** Prompt sets whose file had records left out or kept in part (the result's `prompts`), in its order. */
  promptSets?: PromptSetOmissions[];
}

/** A model of the result (its part: target or reference, when it is one) and what it refused. */
export interface RseSamplingFallbackView extends SamplingFallback, NamedSamplingFallback {}

export interface LineageExample {
  modelA: string;
  modelB: string;
  prompt: string;
  responseA: string;
  responseB: string;
}

export interface LineageView {
  label: string;
  /** The result's `method.note` (why no teacher could be named, e.g. too few models), when present. */
  note?: string;
  candidates: string[];
  attributions: AttributionView[];
  /** Pairwise similarity among models; from the result when it has one, else students x candidates. */
  matrix: { rows: string[]; columns: string[]; values: number[][]; source: "result" | "ranking" };
  examples: LineageExample[];
}

/** Where one result of the report comes from: results of other tool versions or days may be mixed. */
export interface ResultSource {
  kind: "ice" | "rse" | "lineage";
  /** The name the report shows it under (with its " (2)" suffix when two results share a name). */
  label: string;
  /** The result file's name, when it was read from a file. */
  file?: string;
  toolVersion: string;
  createdAt: string;
}

export interface ReportModel {
  ice: IceView[];
  rse: RseView[];
  lineage: LineageView[];
  /** One entry per result, in the order given. */
  sources: ResultSource[];
  /** Per result, the models it asked and where (asked-models-view.ts); absent in models built by hand. */
  askedModels?: AskedModelsView[];
}

/** A result together with where it came from (used for labels when the result names no target). */
export interface LabelledResult {
  result: ReportableResult;
  source?: string;
  /** The file the report lists it as (a path inside the report folder); default: the name of `source`. */
  file?: string;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function firstString(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "string") return value;
  }
  return undefined;
}

function firstNumber(record: Record<string, unknown>, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return undefined;
}

/** Text of a prompt given as a string or as chat messages. */
function promptText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value))
    return value
      .map((message) => {
        const record = asRecord(message);
        return `${String(record.role ?? "user")}: ${String(record.content ?? "")}`;
      })
      .join("\n");
  return undefined;
}

function labelFor(result: Record<string, unknown>, source: string | undefined, fallback: string): string {
  return (
    firstString(result, ["target", "model", "label", "name"]) ??
    firstString(asRecord(result.source), ["target", "model"]) ??
    (source ? basename(source).replace(/\.json$/i, "") : undefined) ??
    firstString(asRecord(result.source), ["file"])?.replace(/^.*[\\/]/, "") ??
    fallback
  );
}

function uniqueLabels<T extends { label: string }>(views: T[]): T[] {
  const seen = new Map<string, number>();
  for (const view of views) {
    const count = (seen.get(view.label) ?? 0) + 1;
    seen.set(view.label, count);
    if (count > 1) view.label = `${view.label} (${count})`;
  }
  return views;
}

function breakdownRows(value: unknown): IceBreakdownView[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((row) => {
    const record = asRecord(row);
    const key = firstString(record, ["key", "language", "name"]);
    if (key === undefined) return [];
    return [
      {
        key,
        n: firstNumber(record, ["n"]) ?? Number.NaN,
        scores: {
          loose: score(firstNumber(record, ["loose"])),
          strict: score(firstNumber(record, ["strict"])),
          hard: score(firstNumber(record, ["hard"])),
        },
      },
    ];
  });
}

function primingView(value: unknown): IcePrimingView | undefined {
  const record = asRecord(asRecord(value).strict);
  const difference = firstNumber(record, ["difference"]);
  if (difference === undefined) return undefined;
  const view: IcePrimingView = {
    vendorNaming: score(firstNumber(record, ["vendorNaming"])),
    neutral: score(firstNumber(record, ["neutral"])),
    difference,
  };
  const interval = toBounds(record.interval);
  if (interval) view.interval = interval;
  const note = intervalNote(record.interval);
  if (note !== undefined) view.intervalNote = note;
  return view;
}

function referenceRates(rates: ReferenceRates | undefined): Record<IceMetric, number> {
  return { loose: score(rates?.loose), strict: score(rates?.strict), hard: score(rates?.hard) };
}

function iceReferenceView(figures: ReferenceFigures): IceReferenceView {
  const view: IceReferenceView = {
    source: figures.source,
    published: referenceRates(figures.published),
    recomputed: referenceRates(figures.recomputed),
  };
  if (figures.label !== undefined && figures.label.trim() !== "") view.label = figures.label;
  if (figures.note !== undefined && figures.note.trim() !== "") view.note = figures.note;
  return view;
}

/** What a model refused and what the run asked for; undefined when it refused nothing. */
function samplingFallback(
  sentWithout: readonly DroppableParameter[] | undefined,
  generation: Generation | undefined,
): SamplingFallback | undefined {
  if (sentWithout === undefined || sentWithout.length === 0) return undefined;
  const asked: SamplingFallback["asked"] = {};
  for (const parameter of sentWithout) {
    const value = generation?.[parameter];
    if (value !== undefined) asked[parameter] = value;
  }
  return { parameters: [...new Set(sentWithout)], asked };
}

function iceView(result: IceResult, source: string | undefined, position: number): IceView {
  const intervals: Partial<Record<IceMetric, Bounds>> = {};
  const intervalNotes: Partial<Record<IceMetric, string>> = {};
  for (const metric of iceMetrics) {
    const bounds = toBounds(result.intervals[metric]);
    if (bounds) intervals[metric] = bounds;
    const note = intervalNote(result.intervals[metric]);
    if (note !== undefined) intervalNotes[metric] = note;
  }
  const view: IceView = {
    label: labelFor(result, source, `ice ${position + 1}`),
    n: result.n,
    scores: {
      loose: score(result.scores.loose),
      strict: score(result.scores.strict),
      hard: score(result.scores.hard),
    },
    intervals,
    intervalNotes,
    items: result.items,
    languages: breakdownRows(asRecord(result.breakdowns).language),
  };
  if (result.identity !== undefined) view.identity = result.identity;
  if (typeof result.judgeErrors === "number") view.judgeErrors = result.judgeErrors;
  const priming = primingView(result.priming);
  if (priming) view.priming = priming;
  if (result.referenceFigures !== undefined) view.reference = iceReferenceView(result.referenceFigures);
  const fallback = samplingFallback(result.generation?.sentWithout, result.generation);
  if (fallback !== undefined) view.samplingFallback = fallback;
  return view;
}

function rseDataset(name: string, value: unknown): RseDatasetView {
  if (typeof value === "number") return { name, scores: { overall: value } };
  const record = asRecord(value);
  const scoreRecord = { ...record, ...asRecord(record.scores) };
  const scores: Partial<Record<RseAxis, number>> = {};
  for (const axis of rseAxes) {
    const score = firstNumber(scoreRecord, axis === "overall" ? ["overall", "score", "mean"] : [axis]);
    if (score !== undefined) scores[axis] = score;
  }
  const view: RseDatasetView = { name, scores };
  const n = firstNumber(record, ["n", "count", "prompts"]);
  if (n !== undefined) view.n = n;
  const interval =
    toBounds(record.interval) ?? toBounds(asRecord(record.intervals).overall) ?? toBounds(record.ci);
  if (interval) view.interval = interval;
  const note = intervalNote(record.interval) ?? intervalNote(asRecord(record.intervals).overall);
  if (note !== undefined) view.intervalNote = note;
  return view;
}

function rseItem(value: Record<string, unknown>): RseItemView {
  const scores = { ...value, ...asRecord(value.scores) };
  const item: RseItemView = {
    prompt:
      promptText(value.prompt) ?? promptText(value.messages) ?? firstString(value, ["query", "id"]) ?? "",
    targetResponse: firstString(value, ["targetResponse", "response", "target_response", "answer"]) ?? "",
    referenceResponse:
      firstString(value, ["referenceResponse", "reference_response", "referenceAnswer"]) ?? "",
  };
  const dataset = firstString(value, ["dataset", "promptSet", "set"]);
  if (dataset !== undefined) item.dataset = dataset;
  const reference = firstString(value, ["reference", "referenceModel"]);
  if (reference !== undefined) item.reference = reference;
  const overall = firstNumber(scores, ["overall", "score"]);
  if (overall !== undefined) item.overall = overall;
  if (item.targetResponse === "" && item.referenceResponse === "")
    item.targetResponse = JSON.stringify(value);
  return item;
}

function axisScores(value: unknown): Record<RseAxis, number> {
  const record = asRecord(value);
  return {
    overall: score(firstNumber(record, ["overall"])),
    style: score(firstNumber(record, ["style"])),
    logic: score(firstNumber(record, ["logic"])),
    content: score(firstNumber(record, ["content"])),
  };
}

function axisIntervalNotes(value: unknown): Partial<Record<RseAxis, string>> {
  const record = asRecord(value);
  const notes: Partial<Record<RseAxis, string>> = {};
  for (const axis of rseAxes) {
    const note = intervalNote(record[axis]);
    if (note !== undefined) notes[axis] = note;
  }
  return notes;
}

function axisIntervals(value: unknown): Partial<Record<RseAxis, Bounds>> {
  const record = asRecord(value);
  const intervals: Partial<Record<RseAxis, Bounds>> = {};
  for (const axis of rseAxes) {
    const bounds = toBounds(record[axis]);
    if (bounds) intervals[axis] = bounds;
  }
  return intervals;
}

/**
 * Per-reference views. A result with several references carries each one's scores under
 * `byReference` and each dataset's under `datasets.<name>.references`; the top level holds the
 * primary (first) reference's numbers, which is all a single-reference result has.
 */
function rseReferences(result: RseResult, references: string[]): RseReferenceView[] {
  const record = result as Record<string, unknown>;
  const primary: RseReferenceView = {
    reference: references[0] ?? "–",
    scores: axisScores(result.scores),
    intervals: axisIntervals(result.intervals),
    intervalNotes: axisIntervalNotes(result.intervals),
    datasets: Object.entries(result.datasets).map(([name, value]) => rseDataset(name, value)),
  };
  const byReference = asRecord(record.byReference);
  if (references.length < 2) return [primary];
  return references.map((reference, index) => {
    const entry = byReference[reference];
    if (entry === undefined)
      return index === 0
        ? primary
        : { ...primary, reference, scores: axisScores({}), intervals: {}, intervalNotes: {}, datasets: [] };
    return {
      reference,
      scores: axisScores(asRecord(entry).scores),
      intervals: axisIntervals(asRecord(entry).intervals),
      intervalNotes: axisIntervalNotes(asRecord(entry).intervals),
      datasets: Object.entries(result.datasets).flatMap(([name, value]) => {
        const perReference = asRecord(asRecord(value).references)[reference];
        return perReference === undefined ? [] : [rseDataset(name, perReference)];
      }),
    };
  });
}

function rseComparisons(value: unknown): RseComparisonView[] {
  return (Array.isArray(value) ? value : []).flatMap((entry) => {
    const record = asRecord(entry);
    const first = firstString(record, ["first"]);
    const second = firstString(record, ["second"]);
    if (first === undefined || second === undefined) return [];
    const overall = asRecord(asRecord(record.axes).overall);
    const comparison: RseComparisonView = {
      first,
      second,
      difference: score(firstNumber(overall, ["difference"])),
      pValue: score(firstNumber(overall, ["pValueHolm", "pValue"])),
      nearer: typeof record.nearer === "string" ? record.nearer : null,
    };
    const interval = toBounds(overall.interval);
    if (interval) comparison.interval = interval;
    const note = intervalNote(overall.interval);
    if (note !== undefined) comparison.intervalNote = note;
    return [comparison];
  });
}

function rseView(result: RseResult, source: string | undefined, position: number): RseView {
  const referencesValue = (result as Record<string, unknown>).references ?? result.reference;
  const references = (Array.isArray(referencesValue) ? referencesValue : [referencesValue]).filter(
    (reference): reference is string => typeof reference === "string",
  );
  const byReference = rseReferences(result, references);
  const primary = byReference[0];
  return {
    label: labelFor(result, source, `rse ${position + 1}`),
    references,
    scores: primary?.scores ?? axisScores(result.scores),
    intervals: primary?.intervals ?? axisIntervals(result.intervals),
    datasets: primary?.datasets ?? [],
    byReference,
    comparisons: rseComparisons((result as Record<string, unknown>).comparisons),
    items: result.items.map((item) => rseItem(item)),
    samplingFallbacks: rseSamplingFallbacks(result, references),
    promptSets: rsePromptSets(result),
  };
}

/** The prompt sets of an RSE result that left records out or shortened some (none for older results). */
function rsePromptSets(result: RseResult): PromptSetOmissions[] {
  const anyCounted = (counts: Readonly<Record<string, number>> | undefined) =>
    Object.values(counts ?? {}).some((count) => count > 0);
  return (result.prompts ?? [])
    .filter((set) => anyCounted(set.skipped) || anyCounted(set.shortened))
    .map((set) => ({
      dataset: set.dataset,
      source: set.source,
      skipped: set.skipped,
      ...(set.shortened === undefined ? {} : { shortened: set.shortened }),
    }));
}

/** The models of an RSE result that refused a sampling parameter, in the result's order. */
function rseSamplingFallbacks(result: RseResult, references: readonly string[]): RseSamplingFallbackView[] {
  return Object.entries(result.answerCounts ?? {}).flatMap(([model, count]) => {
    const fallback = samplingFallback(count.sentWithout, result.generation);
    if (fallback === undefined) return [];
    const role = model === result.target ? "target" : references.includes(model) ? "reference" : undefined;
    return [{ model, ...(role === undefined ? {} : { role }), ...fallback }];
  });
}

function resultMatrix(result: Record<string, unknown>): LineageView["matrix"] | undefined {
  for (const container of [asRecord(result.similarity), asRecord(result.similarityMatrix), result]) {
    const models = container.models;
    const values = container.matrix ?? container.values;
    if (
      Array.isArray(models) &&
      models.every((model) => typeof model === "string") &&
      Array.isArray(values) &&
      values.length === models.length &&
      values.every(
        (row) =>
          Array.isArray(row) && row.length === models.length && row.every((cell) => typeof cell === "number"),
      )
    )
      return {
        rows: models as string[],
        columns: models as string[],
        values: values as number[][],
        source: "result",
      };
  }
  return undefined;
}

function rankingMatrix(result: LineageResult, attributions: AttributionView[]): LineageView["matrix"] {
  const rows = attributions.map((attribution) => attribution.model);
  const columns = result.candidates;
  const values = attributions.map((attribution) =>
    columns.map(
      (candidate) => attribution.ranking.find((entry) => entry.candidate === candidate)?.score ?? Number.NaN,
    ),
  );
  return { rows, columns, values, source: "ranking" };
}

function lineageExample(
  record: Record<string, unknown>,
  defaults: { modelA?: string; modelB?: string },
): LineageExample[] {
  const modelA = firstString(record, ["modelA", "a", "student", "model"]) ?? defaults.modelA;
  const modelB = firstString(record, ["modelB", "b", "candidate", "teacher"]) ?? defaults.modelB;
  if (modelA === undefined || modelB === undefined) return [];
  return [
    {
      modelA,
      modelB,
      prompt: promptText(record.prompt) ?? firstString(record, ["instruction", "id"]) ?? "",
      responseA:
        firstString(record, ["responseA", "studentResponse", "studentAnswer", "outputA", "response"]) ?? "",
      responseB:
        firstString(record, [
          "responseB",
          "candidateResponse",
          "teacherResponse",
          "candidateAnswer",
          "outputB",
        ]) ?? "",
    },
  ];
}

/**
 * Example prompt pairs behind the lineage result: a top-level `examples` list and, when the lineage module
 * adds them, `examples` on each attribution (student = the attributed model, candidate = its teacher or
 * closest candidate unless the example names one). Either may be absent.
 */
function lineageExamples(result: Record<string, unknown>): LineageExample[] {
  const topLevel = (Array.isArray(result.examples) ? result.examples : []).flatMap((example) =>
    lineageExample(asRecord(example), {}),
  );
  const perAttribution = (Array.isArray(result.attributions) ? result.attributions : []).flatMap((entry) => {
    const attribution = asRecord(entry);
    const examples = Array.isArray(attribution.examples) ? attribution.examples : [];
    const ranking = Array.isArray(attribution.ranking) ? attribution.ranking : [];
    const closest = firstString(asRecord(ranking[0]), ["candidate"]);
    const defaults = {
      modelA: firstString(attribution, ["model"]),
      modelB: firstString(attribution, ["teacher"]) ?? closest,
    };
    return examples.flatMap((example) => lineageExample(asRecord(example), defaults));
  });
  // The lineage module lists each example on its attribution and again at the top level: keep one of each.
  const seen = new Set<string>();
  return [...topLevel, ...perAttribution].filter((example) => {
    const key = JSON.stringify([example.modelA, example.modelB, example.prompt, example.responseA]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every entry of a ranking says "not tested" (`excess` null in the JSON, NaN in memory). */
function untestedRanking(ranking: ReadonlyArray<Record<string, unknown>>): boolean {
  const untested = (excess: unknown) =>
    excess === null || (typeof excess === "number" && Number.isNaN(excess));
  return ranking.length > 0 && ranking.every((entry) => untested(entry.excess));
}

function lineageView(result: LineageResult, source: string | undefined, position: number): LineageView {
  const record = result as Record<string, unknown>;
  const attributions = result.attributions.map((attribution): AttributionView => {
    const untested = untestedRanking(attribution.ranking);
    return {
      model: attribution.model,
      teacher: attribution.teacher,
      pValue: untested ? Number.NaN : score(attribution.pValue),
      ranking: attribution.ranking.map((entry) => ({
        candidate: entry.candidate,
        score: untested ? Number.NaN : score(entry.score),
      })),
      ...(untested ? { untested: true as const } : {}),
    };
  });
  const view: LineageView = {
    label:
      firstString(record, ["label", "corpus"]) ?? (source ? basename(source) : `lineage ${position + 1}`),
    candidates: result.candidates,
    attributions,
    matrix: resultMatrix(record) ?? rankingMatrix(result, attributions),
    examples: lineageExamples(record),
  };
  const note = firstString(asRecord(record.method), ["note"]);
  if (note !== undefined && note.trim() !== "") view.note = note;
  return view;
}

/** Versions of the tool that wrote the results, sorted; more than one means a mixed report. */
export function toolVersionsOf(model: ReportModel): string[] {
  return [...new Set(model.sources.map((source) => source.toolVersion))].sort();
}

/**
 * What a library caller passes, checked once per call (a report has a handful of results): a list of
 * { result } whose result has a kind, as parseResult and loadResult return.
 */
function checkReportResults(results: unknown): void {
  const example = '[{ result: loadResult("ice.json") }]';
  checkListArgument(results, "buildReportModel: results", example);
  (results as unknown[]).forEach((entry, index) => {
    const kind = (entry as { result?: { kind?: unknown } } | null)?.result?.kind;
    if (kind === "ice" || kind === "rse" || kind === "lineage") return;
    const bare = (entry as { kind?: unknown } | null)?.kind !== undefined;
    throw new InputError(
      `buildReportModel: results[${index}] must be { result } with a result from loadResult or parseResult, ${bare ? "not the result itself" : `got result.kind ${shownValue(kind)}`}`,
    );
  });
}

/** Builds the report views from validated results, in the order given. */
export function buildReportModel(results: readonly LabelledResult[]): ReportModel {
  checkReportResults(results);
  const model: ReportModel = { ice: [], rse: [], lineage: [], sources: [] };
  const labelled: Array<{
    view: { label: string };
    source: Omit<ResultSource, "label">;
    result: ReportableResult;
  }> = [];
  for (const { result, source, file } of results) {
    let view: { label: string };
    if (result.kind === "ice") {
      const ice = iceView(result, source, model.ice.length);
      model.ice.push(ice);
      view = ice;
    } else if (result.kind === "rse") {
      const rse = rseView(result, source, model.rse.length);
      model.rse.push(rse);
      view = rse;
    } else {
      const lineage = lineageView(result, source, model.lineage.length);
      model.lineage.push(lineage);
      view = lineage;
    }
    labelled.push({
      view,
      result,
      source: {
        kind: result.kind,
        ...(file !== undefined ? { file } : source !== undefined ? { file: basename(source) } : {}),
        toolVersion: result.toolVersion,
        createdAt: result.createdAt,
      },
    });
  }
  uniqueLabels(model.ice);
  uniqueLabels(model.rse);
  // Read after uniqueLabels, so that each entry names the row it stands for.
  model.sources = labelled.map(({ view, source }) => ({ ...source, label: view.label }));
  model.askedModels = labelled.map(({ view, result }) => askedModelsView(view.label, result));
  return model;
}

/** Pairs of ICE and RSE views for the same target (the paper's Figure 1 scatter). */
export function iceRsePairs(model: ReportModel): Array<{ ice: IceView; rse: RseView; iceIndex: number }> {
  return model.ice.flatMap((ice, iceIndex) => {
    const rse = model.rse.find((candidate) => candidate.label === ice.label);
    return rse ? [{ ice, rse, iceIndex }] : [];
  });
}

/** The candidate an attribution ranks highest (ignoring scores that are missing). */
export function bestCandidate(
  attribution: AttributionView,
): { candidate: string; score: number } | undefined {
  let best: { candidate: string; score: number } | undefined;
  for (const entry of attribution.ranking)
    if (Number.isFinite(entry.score) && (best === undefined || entry.score > best.score)) best = entry;
  return best;
}
