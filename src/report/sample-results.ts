/**
 * Synthetic but realistic result JSON for tests and the size benchmark: answer lengths and the mix of
 * English and Chinese follow the paper's attack files (about 740 bytes of JSON per answer, 20 templates
 * x 50 questions per target). Deterministic for a given seed.
 */
import { seededRandom } from "../metrics/random.ts";
import { envelope } from "./envelope.ts";
import type { IceResult, LineageResult, RseResult } from "./result-schema.ts";

type Random = () => number;

const syllables = [
  "ka",
  "lo",
  "mi",
  "ren",
  "sto",
  "va",
  "pel",
  "qui",
  "dor",
  "an",
  "ex",
  "tri",
  "mon",
  "sel",
];
const chinese = "我是一个由公司开发的人工智能语言模型可以帮助你回答问题请问有什么需要吗数据训练团队研究";

function word(random: Random): string {
  const length = 1 + Math.floor(random() * 3);
  let text = "";
  for (let index = 0; index < length; index += 1)
    text += syllables[Math.floor(random() * syllables.length)] ?? "a";
  return text;
}

/** Text of about `length` characters: English-like words, or Chinese characters when `chineseText`. */
export function sampleText(random: Random, length: number, chineseText = false): string {
  let text = "";
  while (text.length < length) {
    if (chineseText) text += chinese[Math.floor(random() * chinese.length)] ?? "我";
    else text += `${word(random)}${random() < 0.08 ? ". " : " "}`;
  }
  return text;
}

export interface SampleIceOptions {
  target: string;
  identity?: string;
  items?: number;
  templates?: number;
  seed?: number;
  /** Answers used in turn for the first items instead of generated text. */
  responses?: readonly string[];
}

/** An ICE result with `items` items over `templates` templates (questions cycle within a template). */
export function sampleIceResult(options: SampleIceOptions): IceResult {
  const random = seededRandom(options.seed ?? 1);
  const itemCount = options.items ?? 100;
  const templateCount = options.templates ?? 20;
  const perTemplate = Math.max(1, Math.ceil(itemCount / templateCount));
  const templates = Array.from(
    { length: templateCount },
    (_, index) => `Template ${index} for ${options.target}: ${sampleText(random, 1200)} {query}`,
  );
  const queries = Array.from({ length: perTemplate }, (_, index) =>
    index % 2 === 0 ? `Who developed you? (${index})` : `你是由哪家公司开发的？(${index})`,
  );
  const items = Array.from({ length: itemCount }, (_, index) => {
    const queryIndex = index % perTemplate;
    const given = options.responses?.[index];
    const response =
      given ?? `${sampleText(random, 200 + Math.floor(random() * 600), queryIndex % 2 === 1)} [${index}]`;
    const loose = given !== undefined || random() < 0.3;
    const strict = given !== undefined || (loose && random() < 0.5);
    const hard = strict && random() < 0.3;
    return {
      index,
      template: templates[Math.floor(index / perTemplate) % templateCount] ?? "",
      query: queries[queryIndex] ?? "",
      response,
      loose,
      strict,
      hard,
      claims: strict ? [{ developer: "openai", text: "I am ChatGPT", stance: "self" }] : [],
    };
  });
  const share = (flag: "loose" | "strict" | "hard") =>
    items.length === 0 ? 0 : items.filter((item) => item[flag]).length / items.length;
  const interval = (value: number) => ({
    low: Math.max(0, value - 0.05),
    high: Math.min(1, value + 0.05),
    level: 0.95,
    method: "cluster bootstrap",
  });
  const scores = { loose: share("loose"), strict: share("strict"), hard: share("hard") };
  return {
    ...envelope("ice"),
    kind: "ice",
    target: options.target,
    identity: options.identity ?? "alibaba",
    n: items.length,
    scores,
    intervals: {
      loose: interval(scores.loose),
      strict: interval(scores.strict),
      hard: interval(scores.hard),
    },
    breakdowns: {
      language: [
        { key: "en", n: Math.ceil(items.length / 2), ...scores },
        { key: "zh", n: Math.floor(items.length / 2), ...scores },
      ],
    },
    priming: {
      strict: {
        vendorNaming: scores.strict + 0.1,
        neutral: scores.strict,
        difference: 0.1,
        interval: { low: 0.02, high: 0.18, level: 0.95, method: "cluster-bootstrap-difference" },
      },
    },
    items,
  };
}

export interface SampleRseOptions {
  target: string;
  reference?: string;
  itemsPerDataset?: number;
  seed?: number;
  responses?: readonly string[];
}

/** An RSE result over the paper's three prompt sets. */
export function sampleRseResult(options: SampleRseOptions): RseResult {
  const random = seededRandom(options.seed ?? 2);
  const datasetNames = ["arena-hard", "numina", "sharegpt"];
  const perDataset = options.itemsPerDataset ?? 5;
  const datasets: Record<string, unknown> = {};
  const items: Array<Record<string, unknown>> = [];
  let position = 0;
  const datasetScores: Array<{ overall: number; style: number; logic: number; content: number }> = [];
  for (const dataset of datasetNames) {
    const base = 3 + random() * 1.5;
    // Every item of a dataset has these scores, so the dataset's and the result's figures follow from
    // the items (src/report/result-consistency.ts checks that).
    const scores = { overall: base, style: base + 0.1, logic: base - 0.1, content: base };
    datasetScores.push(scores);
    datasets[dataset] = {
      n: perDataset,
      scores,
      interval: { low: base - 0.1, high: base + 0.1, level: 0.95, method: "bootstrap" },
    };
    for (let index = 0; index < perDataset; index += 1) {
      items.push({
        dataset,
        reference: options.reference ?? "openai:gpt-4o-2024-08-06",
        prompt: `${dataset} prompt ${index}: ${sampleText(random, 80)}`,
        targetResponse: options.responses?.[position] ?? sampleText(random, 300),
        referenceResponse: sampleText(random, 300),
        scores: { ...scores },
      });
      position += 1;
    }
  }
  const overDatasets = (axis: "overall" | "style" | "logic" | "content") =>
    datasetScores.reduce((total, scores) => total + scores[axis], 0) / datasetScores.length;
  const overall = overDatasets("overall");
  return {
    ...envelope("rse"),
    kind: "rse",
    target: options.target,
    references: [options.reference ?? "openai:gpt-4o-2024-08-06"],
    scores: {
      overall,
      style: overDatasets("style"),
      logic: overDatasets("logic"),
      content: overDatasets("content"),
    },
    datasets,
    intervals: { overall: { low: overall - 0.08, high: overall + 0.08, level: 0.95, method: "bootstrap" } },
    items,
  };
}

/** An RSE result with two references, shaped as `rse run --reference a --reference b` writes it. */
export function sampleTwoReferenceRseResult(): RseResult {
  const result = sampleRseResult({ target: "deepseek:deepseek-chat", reference: "openai:gpt-4o" });
  const second = "anthropic:claude-3-5-sonnet";
  const scores = (overall: number) => ({ overall, style: overall - 0.05, logic: 5, content: overall - 0.5 });
  const interval = (centre: number) => ({ low: centre - 0.02, high: centre + 0.02, level: 0.95 });
  const references = ["openai:gpt-4o", second];
  result.references = references;
  // 60 judged items per reference in one dataset, each with its reference's scores, so every figure
  // below follows from the items.
  const random = seededRandom(5);
  result.items = references.flatMap((reference, referenceIndex) =>
    Array.from({ length: 60 }, (_, index) => ({
      dataset: "default",
      reference,
      prompt: `default prompt ${index}: ${sampleText(random, 80)}`,
      targetResponse: sampleText(random, 300),
      referenceResponse: sampleText(random, 300),
      scores: scores(referenceIndex === 0 ? 4.421 : 4.372),
    })),
  );
  result.scores = scores(4.421);
  result.intervals = { overall: interval(4.421) };
  result.byReference = {
    "openai:gpt-4o": { n: 60, scores: scores(4.421), intervals: { overall: interval(4.421) } },
    [second]: { n: 60, scores: scores(4.372), intervals: { overall: interval(4.372) } },
  };
  result.datasets = {
    default: {
      n: 60,
      scores: scores(4.421),
      intervals: { overall: interval(4.421) },
      references: {
        "openai:gpt-4o": { n: 60, scores: scores(4.421), intervals: { overall: interval(4.421) } },
        [second]: { n: 60, scores: scores(4.372), intervals: { overall: interval(4.372) } },
      },
    },
  };
  result.comparisons = [
    {
      first: "openai:gpt-4o",
      second,
      n: 50,
      axes: { overall: { difference: 0.0497, interval: interval(0.0497), pValue: 0.001, pValueHolm: 0.004 } },
      nearer: "openai:gpt-4o",
    },
  ];
  return result;
}

export interface SampleLineageOptions {
  models?: number;
  candidates?: number;
  seed?: number;
  /** Example prompt pairs per attributed student (default 2). */
  examplesPerStudent?: number;
  responses?: readonly string[];
}

/** A lineage result with a full pairwise similarity matrix among `models` models. */
export function sampleLineageResult(options: SampleLineageOptions = {}): LineageResult {
  const random = seededRandom(options.seed ?? 3);
  const modelCount = options.models ?? 8;
  const candidateCount = Math.min(modelCount - 1, options.candidates ?? 3);
  const models = Array.from({ length: modelCount }, (_, index) =>
    index < candidateCount ? `teacher-${index}` : `student-${index}`,
  );
  const candidates = models.slice(0, candidateCount);
  const matrix = models.map((_, row) =>
    models.map((__, column) => (row === column ? 1 : 0.3 + random() * 0.4)),
  );
  const examples: Array<Record<string, unknown>> = [];
  let responseIndex = 0;
  const attributions = models.slice(candidateCount).map((model, studentIndex) => {
    const row = candidateCount + studentIndex;
    const ranking = candidates.map((candidate, column) => ({ candidate, score: matrix[row]?.[column] ?? 0 }));
    const best = [...ranking].sort((left, right) => right.score - left.score)[0];
    const teacher = studentIndex % 4 === 3 ? null : (best?.candidate ?? null);
    for (let index = 0; index < (options.examplesPerStudent ?? 2); index += 1) {
      examples.push({
        modelA: model,
        modelB: best?.candidate ?? candidates[0],
        prompt: `Prompt ${index}: ${sampleText(random, 60)}`,
        responseA: options.responses?.[responseIndex++] ?? sampleText(random, 200),
        responseB: sampleText(random, 200),
      });
    }
    return { model, teacher, pValue: teacher === null ? 0.4 : 0.002, ranking };
  });
  return {
    ...envelope("lineage"),
    kind: "lineage",
    candidates,
    attributions,
    similarity: { models, matrix },
    examples,
  };
}

export interface LargeReportOptions {
  targets?: number;
  items?: number;
  models?: number;
  candidates?: number;
  /** Targets that also get an RSE result (for the ICE-versus-RSE scatter); default 5. */
  rseTargets?: number;
}

/** The size benchmark's input: by default 20 targets x 1,000 ICE items and a 50-model lineage matrix. */
export function largeReportResults(
  options: LargeReportOptions = {},
): Array<IceResult | RseResult | LineageResult> {
  const targets = options.targets ?? 20;
  const results: Array<IceResult | RseResult | LineageResult> = [];
  for (let index = 0; index < targets; index += 1)
    results.push(
      sampleIceResult({ target: `sample-${index}`, items: options.items ?? 1000, seed: index + 1 }),
    );
  for (let index = 0; index < Math.min(targets, options.rseTargets ?? 5); index += 1)
    results.push(sampleRseResult({ target: `sample-${index}`, seed: index + 100 }));
  results.push(sampleLineageResult({ models: options.models ?? 50, candidates: options.candidates ?? 8 }));
  return results;
}
