/**
 * The zod schema of `distillscope.yaml`. Keys are kebab-case as users write them; every object is
 * strict so that a typo is an error, never a silently ignored setting. Checks that need other
 * modules (known providers, developer keys, threshold syntax) live in validate.ts, so that the
 * generated JSON Schema stays stable when those lists grow.
 */
import { z } from "zod";

const modelId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*:.+$/, 'a model id is "provider:model", e.g. "openai:gpt-4o-mini"')
  .describe('Model id "provider:model", e.g. "openai:gpt-4o-mini" or "anthropic:claude-3-5-sonnet-latest".');

const environmentVariableName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, "the NAME of an environment variable, e.g. MY_PROVIDER_KEY (never the key)")
  .describe("Name of the environment variable that holds the API key. Never put the key itself here.");

const endpointFields = {
  "base-url": z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "Base URL of an OpenAI-compatible (or the provider's) endpoint; overrides the provider default.",
    ),
  "api-key-env": environmentVariableName.optional(),
};

export const targetSchema = z
  .strictObject({
    id: modelId,
    identity: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Developer key of the model\'s true developer ("alibaba", "deepseek", "openai"..., any case), or the key of a developer declared under `developers`. Default: the developer the id names (deepseek:deepseek-chat is deepseek\'s; a declared developer\'s key, name, aliases and models count).',
      ),
    label: z.string().min(1).optional().describe("Name shown in reports (default: the id)."),
    ...endpointFields,
  })
  .describe("A model under audit.");

const developerNames = z.array(z.string().min(1));

/**
 * A developer the registry does not know, declared by the user (the shape of a registry entry: a name,
 * company aliases, model names). Collisions with registry names are checked in validate.ts.
 */
export const developerSchema = z
  .strictObject({
    key: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'a developer key is letters, digits, - and _, e.g. "acme"')
      .describe('Key that `identity` names (any case; stored lower-case), e.g. "acme".'),
    name: z
      .string()
      .min(1)
      .describe('The developer as reports name it, e.g. "Acme AI"; also matched in answers.'),
    aliases: developerNames
      .default([])
      .describe("Other names of the company or lab, in any language (former names, subsidiaries)."),
    models: developerNames
      .default([])
      .describe('Model families, assistants and products, e.g. ["AcmeBot", "acme-7b"].'),
    "case-sensitive-aliases": developerNames
      .default([])
      .describe("Names that are also ordinary words: matched only with the capitalisation written."),
    fact: z
      .string()
      .min(1)
      .optional()
      .describe(
        'First-person fact an LLM judge is told (default "I am <first model>, a model developed by <name>.").',
      ),
  })
  .describe("A developer the built-in registry does not know; its names count as its own identity.");

export const referenceSchema = z
  .strictObject({
    id: modelId,
    label: z.string().min(1).optional(),
    ...endpointFields,
  })
  .describe("A model the targets are compared to (RSE references).");

export const judgeSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, "a judge name is lower-case letters, digits, - and _")
      .describe("Name that evaluations use in their `judge` field."),
    model: modelId,
    ...endpointFields,
  })
  .describe("An LLM judge; evaluations refer to it by name.");

const judgeReference = z
  .string()
  .min(1)
  .default("embedded")
  .describe('"embedded" (offline, no API), the name of a judge from `judges`, or a model id.');

/** The helper written out like a reference: its id, and optionally its own endpoint and key variable. */
export const helperEntrySchema = z
  .strictObject({
    id: modelId,
    ...endpointFields,
  })
  .describe("The helper model with its own endpoint settings.");

/**
 * `helper: openai:gpt-4o-mini` (reads the provider's usual variables) or the mapping form with
 * `id`, `base-url` and `api-key-env`, as targets and references are written.
 */
export const helperSchema = z
  .union([modelId, helperEntrySchema], {
    error: (issue) => {
      const input = issue.input;
      if (input === null || typeof input !== "object" || Array.isArray(input))
        return 'expected a model id ("provider:model") or a mapping with id, base-url and api-key-env';
      const id = (input as Record<string, unknown>).id;
      return id === undefined || id === null
        ? 'the helper mapping needs an id ("provider:model"), e.g. { id: openai:gpt-4o-mini, base-url: http://127.0.0.1:8000/v1 }'
        : `the helper's id must be a model id ("provider:model"), got ${Array.isArray(id) ? "a list" : `a ${typeof id}`}`;
    },
  })
  .describe(
    "Model that mutates jailbreak templates (default: rule-based): a model id, or { id, base-url, api-key-env } like a target.",
  );

export const iceSchema = z
  .strictObject({
    budget: z.number().int().positive().default(200).describe("Identity queries per target."),
    seed: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe("Seed of template and question sampling (as `ice run --seed`; default 0)."),
    languages: z
      .array(z.enum(["en", "zh"]))
      .min(1)
      .default(["en", "zh"])
      .describe("Languages of the identity questions."),
    helper: helperSchema.optional(),
    judge: judgeReference,
  })
  .describe("Identity Consistency Evaluation.");

export const rseSchema = z
  .strictObject({
    "prompt-sets": z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        "default, arena-hard:<file>, numina:<file>, sharegpt:<file> or <file>.jsonl; paths relative to this file (default: default).",
      ),
    limit: z.number().int().positive().default(50).describe("Prompts per set."),
    seed: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe(
        "Seed of the prompt sample, bootstrap and permutation tests (as `rse run --seed`; default 0).",
      ),
    judge: judgeReference,
  })
  .describe("Response Similarity Evaluation against the references.");

export const lineageSchema = z
  .strictObject({
    corpus: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe(
        "Many models' answers to the same prompts: an AlpacaEval results folder or transcripts JSONL (file or folder), or a list of them aligned on the prompt text (as `lineage <inputs...>`).",
      ),
    format: z
      .enum(["alpacaeval", "jsonl"])
      .optional()
      .describe("Format of every corpus input; detected from each input when absent."),
    candidates: z
      .array(z.string().min(1))
      .min(2)
      .describe("Candidate teachers; every other model in the corpus is a student."),
    alpha: z.number().gt(0).lt(1).default(0.05).describe("Significance level of the teacher test."),
  })
  .describe("Lineage attribution over a corpus of answers.");

export const engineSchema = z
  .strictObject({
    concurrency: z.number().int().positive().default(4),
    rpm: z.number().int().positive().optional().describe("Requests per minute per model."),
    tpm: z.number().int().positive().optional().describe("Tokens per minute per model."),
    "timeout-ms": z.number().int().positive().default(120_000).describe("Timeout of one request."),
  })
  .describe("Request scheduling, shared by every evaluation.");

export const reportSchema = z
  .strictObject({
    out: z.string().min(1).default("distillscope-report").describe("Output directory."),
    html: z.boolean().default(true),
    markdown: z.boolean().default(true),
  })
  .describe("What the audit writes.");

export const configSchema = z
  .strictObject({
    version: z.literal(1).default(1).describe("Version of this file's format."),
    developers: z
      .array(developerSchema)
      .default([])
      .describe("Developers the built-in registry does not know, for targets whose identity is one of them."),
    targets: z.array(targetSchema).min(1),
    references: z.array(referenceSchema).default([]),
    judges: z.array(judgeSchema).default([]),
    evaluations: z
      .strictObject({
        ice: iceSchema.optional(),
        rse: rseSchema.optional(),
        lineage: lineageSchema.optional(),
      })
      .describe("Which evaluations to run; omit one to skip it."),
    engine: engineSchema.default({ concurrency: 4, "timeout-ms": 120_000 }),
    report: reportSchema.default({ out: "distillscope-report", html: true, markdown: true }),
    "fail-on": z
      .array(z.string().min(1))
      .default([])
      .describe('Thresholds like "ice.strict > 0.05", "rse.overall >= 4.2", "lineage.teacher != null".'),
  })
  .describe("distillscope audit configuration (distillscope.yaml).");

/** The parsed configuration, defaults filled in. */
export type AuditConfig = z.output<typeof configSchema>;
export type TargetConfig = z.output<typeof targetSchema>;
export type ReferenceConfig = z.output<typeof referenceSchema>;
export type JudgeConfig = z.output<typeof judgeSchema>;
export type HelperConfig = z.output<typeof helperSchema>;
export type DeveloperConfig = z.output<typeof developerSchema>;

/** The helper's id and endpoint settings, whichever form the config used. */
export function helperEntry(helper: HelperConfig): z.output<typeof helperEntrySchema> {
  return typeof helper === "string" ? { id: helper } : helper;
}
