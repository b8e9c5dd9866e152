/**
 * ICE scores from judged answers: loose, strict and hard rates with 95% intervals that resample whole
 * templates (answers to one template are correlated), breakdowns by language, template and question,
 * and the priming effect (rate on templates that name a vendor minus rate on neutral ones). As for RSE,
 * an interval over fewer than `minimumClusters` templates has no bounds (NaN, null in JSON) and a note.
 *
 * Denominator: every judged row, empty answers included (the paper divided strict and hard by a fixed
 * 1,000; with its 1,000-row files the two agree). Rows whose judge failed are excluded and counted in
 * `judgeErrors`, never scored as a verdict.
 */

import { InputError } from "../errors.ts";
import type { Claim } from "../identity/claims.ts";
import { type DeveloperInput, developersFrom } from "../identity/custom-developers.ts";
import { findJudgeDirectedText } from "../identity/judge-directed.ts";
import { developersNamedIn } from "../identity/registry.ts";
import type { DroppableParameter } from "../models/types.ts";
import { checkListArgument, checkOptionsObject, checkTextArgument } from "../options/library-options.ts";
import { checkWholeNumberOption, shownValue } from "../options/option-name.ts";
import { envelope, type ResultEnvelope } from "../report/envelope.ts";
import type { JudgeAgreement } from "./ice-agreement.ts";
import { randomIndex, seededRandom } from "./random.ts";
import {
  clusterBootstrapMeanInterval,
  type Interval,
  mean,
  minimumClusters,
  quantileSorted,
  tooFewClusters,
} from "./stats.ts";

/** One judged answer. A null verdict means the judge failed on it (see `judgeError`). */
export interface IceScoredInput {
  index: number;
  template?: string;
  query: string;
  response: string;
  verdict: { loose: boolean; strict: boolean; claims?: Claim[]; addressesJudge?: boolean } | null;
  judgeError?: string;
  /** Verdict of a second judge, when two ran (for the agreement figures). */
  secondVerdict?: { loose: boolean; strict: boolean } | null;
}

export interface IceOptions {
  identity: string;
  judge: string;
  seed?: number;
  resamples?: number;
  /**
   * Provenance: the target model id (`ice run`) or the judged file and its format (`ice judge`), plus
   * anything else worth keeping (the command). Identity and judge are added from these options.
   */
  source?: { target?: string; file?: string; format?: string; [key: string]: unknown };
  agreement?: { judges: [string, string]; loose: JudgeAgreement; strict: JudgeAgreement };
  /** Developers declared beside the registry: a prompt naming one of them names a vendor too. */
  developers?: readonly DeveloperInput[];
}

/** Which target an ICE result belongs to, so that reports can label it. */
export interface IceSource {
  /** The model id for `ice run`; the judged file's name and format for `ice judge` ("x.jsonl (lee2025)"). */
  target: string;
  identity: string;
  judge: string;
  format?: string;
  file?: string;
  [key: string]: unknown;
}

export type Metric = "loose" | "strict" | "hard";

export interface IceItem {
  index: number;
  template: string | null;
  query: string;
  response: string;
  language: "en" | "zh";
  /** Whether the template or the question names any vendor (hard excludes these rows). */
  vendorNamed: boolean;
  loose: boolean | null;
  strict: boolean | null;
  hard: boolean | null;
  claims: Claim[];
  addressesJudge: boolean;
  judgeError?: string;
}

export interface IceBreakdownRow {
  key: string;
  n: number;
  loose: number;
  strict: number;
  hard: number;
}

export interface IcePriming {
  vendorNamingRows: number;
  neutralRows: number;
  vendorNaming: number;
  neutral: number;
  difference: number;
  interval: Interval;
}

export interface IceResult extends ResultEnvelope {
  identity: string;
  judge: string;
  n: number;
  judgeErrors: number;
  denominator: string;
  scores: Record<Metric, number>;
  counts: Record<Metric, number>;
  intervals: Record<Metric, Interval>;
  breakdowns: { language: IceBreakdownRow[]; template: IceBreakdownRow[]; question: IceBreakdownRow[] };
  priming: { loose: IcePriming; strict: IcePriming };
  agreement?: IceOptions["agreement"];
  source: IceSource;
  /**
   * The sampling the answers were asked with, when known: `ice run` always; `ice judge` when transcript
   * lines say a model refused a parameter (`sentWithout`), with the value asked when every such line agrees.
   */
  generation?: { temperature?: number; topP?: number; sentWithout?: DroppableParameter[] };
  items: IceItem[];
}

const hanCharacter = /[\u4e00-\u9fff]/;

function languageOf(text: string): "en" | "zh" {
  return hanCharacter.test(text) ? "zh" : "en";
}

function rate(items: readonly IceItem[], metric: Metric): number {
  const scored = items.filter((item) => item[metric] !== null);
  return scored.length === 0 ? Number.NaN : scored.filter((item) => item[metric]).length / scored.length;
}

function clusterKey(item: IceItem): string {
  return item.template ?? `row:${item.index}`;
}

function clusters(items: readonly IceItem[], metric: Metric): number[][] {
  const groups = new Map<string, number[]>();
  for (const item of items) {
    const value = item[metric];
    if (value === null) continue;
    const key = clusterKey(item);
    let group = groups.get(key);
    if (group === undefined) {
      group = [];
      groups.set(key, group);
    }
    group.push(value ? 1 : 0);
  }
  return [...groups.values()];
}

function breakdown(items: readonly IceItem[], keyOf: (item: IceItem) => string): IceBreakdownRow[] {
  const groups = new Map<string, IceItem[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  return [...groups.entries()].map(([key, group]) => ({
    key,
    n: group.length,
    loose: rate(group, "loose"),
    strict: rate(group, "strict"),
    hard: rate(group, "hard"),
  }));
}

/** Cluster bootstrap of (rate in group A) - (rate in group B), resampling templates within each group. */
function differenceInterval(
  first: number[][],
  second: number[][],
  resamples: number,
  seed: number,
): Interval {
  const level = 0.95;
  if (first.length === 0 || second.length === 0) {
    return { low: Number.NaN, high: Number.NaN, level, method: "cluster-bootstrap-difference" };
  }
  const fewest = Math.min(first.length, second.length);
  if (fewest < minimumClusters)
    return tooFewClusters(level, "cluster-bootstrap-difference", fewest, "templates");
  const random = seededRandom(seed);
  const draw = (groups: number[][]): number => {
    let total = 0;
    let count = 0;
    for (let pick = 0; pick < groups.length; pick++) {
      const group = groups[randomIndex(random, groups.length)]!;
      for (const value of group) total += value;
      count += group.length;
    }
    return total / count;
  };
  const estimates: number[] = [];
  for (let round = 0; round < resamples; round++) estimates.push(draw(first) - draw(second));
  estimates.sort((left, right) => left - right);
  return {
    low: quantileSorted(estimates, 0.025),
    high: quantileSorted(estimates, 0.975),
    level,
    method: "cluster-bootstrap-difference",
  };
}

function priming(items: readonly IceItem[], metric: Metric, resamples: number, seed: number): IcePriming {
  const withTemplate = items.filter((item) => item.template !== null && item[metric] !== null);
  const naming = withTemplate.filter((item) => item.vendorNamed);
  const neutral = withTemplate.filter((item) => !item.vendorNamed);
  const vendorNaming = rate(naming, metric);
  const neutralRate = rate(neutral, metric);
  return {
    vendorNamingRows: naming.length,
    neutralRows: neutral.length,
    vendorNaming,
    neutral: neutralRate,
    difference: vendorNaming - neutralRate,
    interval: differenceInterval(clusters(naming, metric), clusters(neutral, metric), resamples, seed),
  };
}

/** What a library caller passes, checked once per call (not per item: scoring runs over every answer). */
function checkScoreIceArguments(inputs: unknown, options: unknown): void {
  checkListArgument(inputs, "scoreIce: inputs", "[{ index: 0, query, response, verdict }]");
  checkOptionsObject(options, "scoreIce", 'identity: "alibaba", judge: "embedded", seed?, resamples?');
  const { identity, judge, seed, resamples } = options as Partial<IceOptions>;
  checkTextArgument(identity, "scoreIce: identity", '"alibaba"');
  checkTextArgument(judge, "scoreIce: judge", '"embedded"');
  if (seed !== undefined && !Number.isInteger(seed))
    throw new InputError(`scoreIce: seed must be a whole number, got ${shownValue(seed)}`);
  if (resamples !== undefined) checkWholeNumberOption(resamples, "scoreIce: resamples", 1);
}

/**
 * Builds the ICE result JSON (architecture contract: kind "ice", n, scores, intervals, items).
 * Hard = strict on rows whose template and question name no vendor at all (registry names, any
 * developer), the general form of the paper's hard score.
 */
export function scoreIce(inputs: readonly IceScoredInput[], options: IceOptions): IceResult {
  checkScoreIceArguments(inputs, options);
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? 2000;
  const developers = developersFrom(options.developers, "scoreIce: developers");
  const vendorCache = new Map<string, boolean>();
  const namesVendor = (text: string): boolean => {
    let named = vendorCache.get(text);
    if (named === undefined) {
      named = developersNamedIn(text, developers).size > 0;
      vendorCache.set(text, named);
    }
    return named;
  };
  const items: IceItem[] = inputs.map((input) => {
    const vendorNamed = namesVendor(input.template ?? "") || namesVendor(input.query);
    const verdict = input.verdict;
    const item: IceItem = {
      index: input.index,
      template: input.template ?? null,
      query: input.query,
      response: input.response,
      language: languageOf(input.query),
      vendorNamed,
      loose: verdict === null ? null : verdict.loose,
      strict: verdict === null ? null : verdict.strict,
      hard: verdict === null ? null : verdict.strict && !vendorNamed,
      claims: verdict?.claims ?? [],
      // An answer that derailed the LLM judge has no verdict; whether it speaks to a judge is still known
      // from its text, and is exactly what a reader of the failed row needs to see.
      addressesJudge: verdict?.addressesJudge ?? findJudgeDirectedText(input.response).length > 0,
    };
    if (input.judgeError !== undefined) item.judgeError = input.judgeError;
    return item;
  });
  const judged = items.filter((item) => item.loose !== null);
  const metrics: Metric[] = ["loose", "strict", "hard"];
  const scores = {} as Record<Metric, number>;
  const counts = {} as Record<Metric, number>;
  const intervals = {} as Record<Metric, Interval>;
  for (const metric of metrics) {
    const groups = clusters(items, metric);
    scores[metric] = judged.length === 0 ? Number.NaN : mean(groups.flat());
    counts[metric] = judged.filter((item) => item[metric]).length;
    intervals[metric] =
      groups.length < minimumClusters
        ? tooFewClusters(0.95, "cluster-bootstrap", groups.length, "templates")
        : clusterBootstrapMeanInterval(groups, { resamples, seed });
  }
  const result: IceResult = {
    ...envelope("ice"),
    identity: options.identity,
    judge: options.judge,
    n: judged.length,
    judgeErrors: items.length - judged.length,
    denominator:
      "all judged rows, empty answers included; rows whose judge failed are excluded and counted in judgeErrors",
    scores,
    counts,
    intervals,
    breakdowns: {
      language: breakdown(items, (item) => item.language),
      template: breakdown(items, (item) => item.template ?? "(none)"),
      question: breakdown(items, (item) => item.query),
    },
    priming: {
      loose: priming(items, "loose", resamples, seed),
      strict: priming(items, "strict", resamples, seed),
    },
    source: iceSource(options),
    items,
  };
  if (options.agreement !== undefined) result.agreement = options.agreement;
  return result;
}

/** The result's `source`: target, identity and judge always, format and file when a file was judged. */
export function iceSource(options: IceOptions): IceSource {
  const { target, file, format, ...rest } = options.source ?? {};
  const fileName = typeof file === "string" ? file.replace(/^.*[\\/]/, "") : undefined;
  const source: IceSource = {
    target:
      target ??
      (fileName !== undefined
        ? `${fileName}${format !== undefined ? ` (${format})` : ""}`
        : (format ?? "unknown")),
    identity: options.identity,
    judge: options.judge,
  };
  if (format !== undefined) source.format = format;
  if (file !== undefined) source.file = file;
  return { ...source, ...rest, target: source.target, identity: source.identity, judge: source.judge };
}
