/**
 * Schemas of the result JSON kinds a report reads (ice, rse, lineage). Only the fields of the
 * architecture contract are required; every object is loose so that fields other engineers add
 * (breakdowns, comparisons, similarity matrices) pass through to the report untouched.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { similarityScoreRange } from "../judges/similarity-llm-judge.ts";
import type { DroppableParameter } from "../models/types.ts";
import { checkTextArgument } from "../options/library-options.ts";
import { schemaVersion as currentSchemaVersion } from "../version.ts";
import { resultDisagreements } from "./result-consistency.ts";

/** An interval as the shared statistics write it (`low`/`high`), or `lower`/`upper`, or `[low, high]`. */
export const intervalSchema = z.union([
  z.looseObject({ low: z.number().nullable(), high: z.number().nullable() }),
  z.looseObject({ lower: z.number().nullable(), upper: z.number().nullable() }),
  z.tuple([z.number().nullable(), z.number().nullable()]),
]);

export type IntervalInput = z.infer<typeof intervalSchema>;

/** A plain `{ low, high }` pair, whatever form the result used. */
export interface Bounds {
  low: number;
  high: number;
}

/**
 * Reads an interval in any accepted form; undefined when absent, malformed or not finite (JSON
 * writes NaN as null, e.g. an interval over zero judged rows).
 */
export function toBounds(value: unknown): Bounds | undefined {
  const parsed = intervalSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const interval = parsed.data;
  const record = interval as Record<string, unknown>;
  const [low, high] = Array.isArray(interval)
    ? interval
    : "low" in record
      ? [record.low, record.high]
      : [record.lower, record.upper];
  if (typeof low !== "number" || typeof high !== "number" || !Number.isFinite(low) || !Number.isFinite(high))
    return undefined;
  return { low, high };
}

/**
 * Why an interval has no bounds, when the result says (`note`, e.g. "too few templates (2 < 5)" for
 * ICE or "too few conversations (3 < 5)" for RSE); undefined when it has bounds or no note.
 */
export function intervalNote(value: unknown): string | undefined {
  if (toBounds(value) !== undefined || typeof value !== "object" || value === null) return undefined;
  const note = (value as Record<string, unknown>).note;
  return typeof note === "string" && note.trim() !== "" ? note : undefined;
}

/** A score as JSON stores it: a number, or null where the computation had no data (NaN). */
const scoreSchema = z.number().nullable();

/** Rounding room at the ends of a scale (a weighted mean of fives may come out as 5.000000000000001). */
const scaleTolerance = 1e-9;

function onScale(value: number, range: { low: number; high: number }): boolean {
  return value >= range.low - scaleTolerance && value <= range.high + scaleTolerance;
}

/** A score on a scale (ICE rates 0..1, RSE similarities 1..5), or null where nothing was judged. */
function scaleScoreSchema(range: { low: number; high: number }) {
  return z
    .number()
    .nullable()
    .refine((value) => value === null || onScale(value, range), {
      message: `outside the scale ${range.low}..${range.high}`,
    });
}

const rateSchema = scaleScoreSchema({ low: 0, high: 1 });
const similaritySchema = scaleScoreSchema(similarityScoreRange);

/**
 * The intervals of a result's metrics: where one has bounds, they lie in `range` with low <= high. An
 * interval without bounds (null, or only a note) is left to the report, which says it has none.
 */
function boundedIntervalsSchema(metrics: readonly string[], range: { low: number; high: number }) {
  return z.looseObject({}).superRefine((intervals, context) => {
    for (const metric of metrics) {
      const bounds = toBounds(intervals[metric]);
      if (bounds === undefined) continue;
      if (bounds.low > bounds.high)
        context.addIssue({
          code: "custom",
          path: [metric],
          message: `low ${bounds.low} is above high ${bounds.high}`,
        });
      else if (!onScale(bounds.low, range) || !onScale(bounds.high, range))
        context.addIssue({
          code: "custom",
          path: [metric],
          message: `[${bounds.low}, ${bounds.high}] leaves the scale ${range.low}..${range.high}`,
        });
    }
  });
}

const envelopeShape = {
  schemaVersion: z.number().int().min(1),
  toolVersion: z.string(),
  createdAt: z.string(),
};

const claimSchema = z.looseObject({});

/** An ICE item; a null verdict means the judge failed on it (the item says why in `judgeError`). */
export const iceItemSchema = z.looseObject({
  index: z.number().int().min(0),
  template: z.string().nullable(),
  query: z.string(),
  response: z.string(),
  loose: z.boolean().nullable(),
  strict: z.boolean().nullable(),
  hard: z.boolean().nullable(),
  claims: z.array(claimSchema).optional(),
  judgeError: z.string().optional(),
});

/** A rate a source printed or its files give: 0..1, or null where the source has none. */
const referenceRateSchema = z.number().min(0).max(1).nullable().optional();

/** Loose / strict / hard figures of a source; a misspelt metric is an error, not a silent omission. */
const referenceRatesSchema = z.strictObject({
  loose: referenceRateSchema,
  strict: referenceRateSchema,
  hard: referenceRateSchema,
});

/**
 * Figures someone else published for the same target, to compare with this result's scores (the demo
 * writes Lee et al. 2025's): `published` as the source prints them, `recomputed` from the source's own
 * files (its judges' verdicts counted again). `source`, `label` and `note` are free text, shown escaped.
 */
export const referenceFiguresSchema = z
  .looseObject({
    /** Who published the figures and where, e.g. "Lee et al. 2025 (arXiv 2501.12619), Figure 2". */
    source: z.string().refine((text) => text.trim() !== "", {
      message: "needs a non-empty source (who published the figures, and where)",
    }),
    /** The source's name for the target, when it differs from `target` (e.g. "GLM4-Plus"). */
    label: z.string().optional(),
    published: referenceRatesSchema.optional(),
    recomputed: referenceRatesSchema.optional(),
    /** How `recomputed` was obtained, or any caveat about the figures. */
    note: z.string().optional(),
  })
  .refine((value) => value.published !== undefined || value.recomputed !== undefined, {
    message: "needs published or recomputed figures (or both)",
  });

export type ReferenceFigures = z.infer<typeof referenceFiguresSchema>;
export type ReferenceRates = z.infer<typeof referenceRatesSchema>;

/**
 * Sampling parameters a model refused (models/parameter-fallback.ts): its requests went without them and
 * it answered at its provider's default. Only the names the tool writes; a misspelt one is an error.
 */
export const sentWithoutSchema = z.array(
  z.enum({ temperature: "temperature", topP: "topP" } satisfies { [Name in DroppableParameter]: Name }),
);

/** The sampling a run asked for (`ice run`: the target's; `rse run`: every model's). */
const generationSchema = z.looseObject({
  temperature: z.number().optional(),
  topP: z.number().optional(),
  /** `ice run`: what the target refused. */
  sentWithout: sentWithoutSchema.optional(),
});

export type Generation = z.infer<typeof generationSchema>;

/** `rse run`: per model id, its answer counts and what it refused. */
const answerCountsSchema = z.record(z.string(), z.looseObject({ sentWithout: sentWithoutSchema.optional() }));

/**
 * Where a result's models were asked (models/asked-models.ts): one entry per model and role. Optional, so
 * results written before it existed still load; the report then says they do not record it. `role` is
 * any text (results from transcripts name the roles their lines had), shown escaped like `id` and `endpoint`.
 */
export const askedModelsSchema = z.array(
  z.looseObject({ role: z.string(), id: z.string(), endpoint: z.string().optional() }),
);

export type AskedModelEntry = z.infer<typeof askedModelsSchema>[number];

export const iceResultSchema = z.looseObject({
  ...envelopeShape,
  kind: z.literal("ice"),
  target: z.string().optional(),
  identity: z.string().optional(),
  n: z.number().int().min(0),
  scores: z.looseObject({ loose: rateSchema, strict: rateSchema, hard: rateSchema }),
  intervals: boundedIntervalsSchema(["loose", "strict", "hard"], { low: 0, high: 1 }),
  items: z.array(iceItemSchema),
  referenceFigures: referenceFiguresSchema.optional(),
  generation: generationSchema.optional(),
  models: askedModelsSchema.optional(),
});

const axisScoresSchema = z.looseObject({
  overall: similaritySchema,
  style: similaritySchema,
  logic: similaritySchema,
  content: similaritySchema,
});

/** Records of a prompt file, by reason (a free-text reason from the loader, shown escaped). */
const reasonCountsSchema = z.record(z.string(), z.number().int().min(0));

/**
 * `rse run`: one entry per prompt set, with the records its loader left out (`skipped`) or kept in part
 * (`shortened`), which the reports name under the RSE table. Other fields (`prompts`, `turns`) pass.
 */
const promptSetSchema = z.looseObject({
  dataset: z.string(),
  source: z.string(),
  skipped: reasonCountsSchema,
  shortened: reasonCountsSchema.optional(),
});

export const rseResultSchema = z.looseObject({
  ...envelopeShape,
  kind: z.literal("rse"),
  target: z.string().optional(),
  scores: axisScoresSchema,
  datasets: z.record(z.string(), z.unknown()),
  intervals: boundedIntervalsSchema(["overall", "style", "logic", "content"], similarityScoreRange),
  items: z.array(z.looseObject({})),
  generation: generationSchema.optional(),
  answerCounts: answerCountsSchema.optional(),
  prompts: z.array(promptSetSchema).optional(),
  models: askedModelsSchema.optional(),
});

export const lineageAttributionSchema = z.looseObject({
  model: z.string(),
  teacher: z.string().nullable(),
  pValue: z.number().min(0).max(1).nullable(),
  ranking: z.array(z.looseObject({ candidate: z.string(), score: scoreSchema })),
});

export const lineageResultSchema = z.looseObject({
  ...envelopeShape,
  kind: z.literal("lineage"),
  candidates: z.array(z.string()),
  attributions: z.array(lineageAttributionSchema),
  models: askedModelsSchema.optional(),
});

export type IceItem = z.infer<typeof iceItemSchema>;
export type IceResult = z.infer<typeof iceResultSchema>;
export type RseResult = z.infer<typeof rseResultSchema>;
export type LineageResult = z.infer<typeof lineageResultSchema>;
export type LineageAttribution = z.infer<typeof lineageAttributionSchema>;
/** Any result a report can show. */
export type ReportableResult = IceResult | RseResult | LineageResult;

const schemasByKind = { ice: iceResultSchema, rse: rseResultSchema, lineage: lineageResultSchema } as const;
type ReportableKind = keyof typeof schemasByKind;

function isReportableKind(kind: unknown): kind is ReportableKind {
  return typeof kind === "string" && Object.hasOwn(schemasByKind, kind);
}

/**
 * Validates one parsed result JSON value. `source` names it in errors (a path or a label).
 * Throws InputError naming the field and the fix for the wrong kind, an unknown or newer
 * schemaVersion, or a missing/invalid field.
 */
export function parseResult(value: unknown, source: string): ReportableResult {
  checkTextArgument(source, "parseResult: source", '"ice.json" (how errors name the result)');
  const result = parseResultShape(value, source);
  const disagreements = resultDisagreements(result);
  if (disagreements.length > 0) throw new InputError(disagreementMessage(source, result.kind, disagreements));
  return result;
}

/** One line for a result whose figures its own items do not give (the first three disagreements). */
export function disagreementMessage(source: string, kind: string, disagreements: readonly string[]): string {
  const more = disagreements.length > 3 ? `; and ${disagreements.length - 3} more` : "";
  return `${source}: its figures disagree with its own items (${disagreements.slice(0, 3).join("; ")}${more}); the file was edited or damaged: regenerate it with distillscope ${kind}`;
}

/**
 * `parseResult` without the check that the figures follow from the items (src/report/result-consistency.ts):
 * the kind, the schema version and every field's shape and range.
 */
export function parseResultShape(value: unknown, source: string): ReportableResult {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InputError(`${source}: not a result JSON object; pass a file written by ice, rse or lineage`);
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (!isReportableKind(kind)) {
    const shown = kind === undefined ? "missing" : JSON.stringify(kind);
    throw new InputError(
      `${source}: field "kind" is ${shown}; a report reads results of kind "ice", "rse" or "lineage"`,
    );
  }
  const version = record.schemaVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
    throw new InputError(
      `${source}: field "schemaVersion" is ${JSON.stringify(version) ?? "missing"}; expected an integer 1..${currentSchemaVersion}`,
    );
  if (version > currentSchemaVersion)
    throw new InputError(
      `${source}: schemaVersion ${version} is newer than this tool reads (${currentSchemaVersion}); upgrade distillscope`,
    );
  const parsed = schemasByKind[kind].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join(".") : "(root)";
    throw new InputError(
      `${source}: ${kind} result field "${field}": ${issue?.message ?? "invalid"}; regenerate the file with distillscope ${kind}`,
    );
  }
  return parsed.data as ReportableResult;
}

/** Reads and validates a result JSON file; every failure is an InputError (exit 2), never a crash. */
export function loadResult(path: string): ReportableResult {
  checkPathArgument(path, "loadResult: path");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(`${path}: cannot read the result file (${code}); check the path`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: invalid JSON (${(error as Error).message}); pass a result JSON file`);
  }
  return parseResult(value, path);
}
