/**
 * distillscope as a library (package.json "main": dist/index.js). The CLI is a thin layer over these
 * functions; everything here works without argv, a terminal or exit codes. Errors are `InputError`
 * (bad input, fix and retry), `RuntimeFailure` (network/provider) or plain bugs.
 *
 * Flow: createModel -> collect / runIce / runRse (engine + store) -> judges -> metrics -> writeReport.
 */
import type { IceTranscript } from "./corpus/lee2025.ts";
import { InputError } from "./errors.ts";
import { type DeveloperInput, declaredIdentitySource, developersFrom } from "./identity/custom-developers.ts";
import { type DeveloperKey, resolveDeveloperKey } from "./identity/registry.ts";
import { type IceResult, scoreIce } from "./metrics/ice.ts";
import { judgeEmbedded } from "./metrics/ice-judge.ts";
import { checkOptionsObject } from "./options/library-options.ts";

// Audit and demo: the two end-to-end jobs.
export { type AuditOptions, type AuditOutcome, runAudit } from "./audit/run.ts";
export { exampleConfigText } from "./config/example.ts";
// Configuration (distillscope.yaml).
export { type LoadedConfig, loadConfig, parseConfigText } from "./config/load.ts";
export { type AuditConfig, configSchema } from "./config/schema.ts";
export type { Threshold } from "./config/thresholds.ts";
// Corpora: many models' answers to the same prompts, aligned (lineage input), and transcript files.
export { type AlignedCorpus, type AlignmentExtras, alignAnswers } from "./corpus/aligned-corpus.ts";
export { loadAlpacaEvalCorpus } from "./corpus/alpacaeval.ts";
export {
  type CombinedCorpus,
  type CorpusFormat,
  type CorpusInput,
  type CorpusInputSummary,
  loadCorpusInputs,
} from "./corpus/corpus-inputs.ts";
export { type IceTranscript, readLee2025 } from "./corpus/lee2025.ts";
export { loadTranscriptsCorpus } from "./corpus/transcripts-corpus.ts";
export { type DemoOptions, type DemoOutcome, runDemo } from "./demo/run.ts";
// Engine and store: cached, rate-limited, retried requests; `collect` writes transcripts JSONL.
export { type CollectOptions, type CollectOutcome, collect } from "./engine/collect.ts";
export {
  type EngineEvent,
  type EngineStats,
  openStore,
  type RunWorkOptions,
  runWork,
  type Store,
  type WorkFailure,
  type WorkItem,
  type WorkResult,
} from "./engine/index.ts";
export { type PromptEntry, readPromptFile } from "./engine/prompts.ts";
export { exitCodeFor, exitCodes, InputError, RuntimeFailure, ThresholdCrossed } from "./errors.ts";
// ICE: identity consistency (run against a live model, or re-judge recorded transcripts).
export type { SearchStep } from "./fuzz/search.ts";
export {
  type IceRunFailure,
  type IceRunOptions,
  type IceRunResult,
  type PolicyName,
  runIce,
} from "./ice/run.ts";
export type { IceJudgeSpec } from "./ice/run-judge.ts";
export { type AnalyseInput, analyseIdentity, type Claim, type IdentityVerdict } from "./identity/claims.ts";
export {
  type DeveloperDeclaration,
  type DeveloperInput,
  declareDevelopers,
} from "./identity/custom-developers.ts";
export {
  identityFromModelId,
  type ModelIdDeveloperMatch,
  type ModelIdIdentity,
} from "./identity/model-id-identity.ts";
export {
  type CompetingTrainingTerms,
  type DeveloperKey,
  type DeveloperRecord,
  developerKeys,
  developerRecord,
  identityForModelId,
  resolveDeveloperKey,
} from "./identity/registry.ts";
export type { CompleteFunction } from "./judges/identity-llm-judge.ts";
export { type IceResult, type IceScoredInput, scoreIce } from "./metrics/ice.ts";
export {
  type IceJudgeOptions,
  judgeEmbedded,
  judgeIceFile,
  type TranscriptFormat,
} from "./metrics/ice-judge.ts";
// Lineage: which candidate teacher each student is significantly closest to.
// lineageEvidenceInParallel computes the all-pairs similarity on every core, with progress, as the CLI
// does; pass its evidence to runLineage as the third argument.
export {
  type LineageAttribution,
  type LineageEvidence,
  type LineageOptions,
  type LineageResult,
  lineageEvidenceInParallel,
  type RankingEntry,
  runLineage,
} from "./metrics/lineage.ts";
// Models: `provider:model` ids and the adapters behind them; signInBeforeRequests checks a Microsoft
// Entra ID sign-in (azure: without a key) before any request.
export { signInBeforeRequests } from "./models/azure-entra-id.ts";
export { type CreateModelOptions, createModel, knownProviders, parseModelId } from "./models/registry.ts";
export type {
  ChatMessage,
  GenerateFailure,
  GenerateRequest,
  GenerateResult,
  GenerateSuccess,
  GenerationParameters,
  Model,
  Usage,
} from "./models/types.ts";
export type { QuestionLanguage } from "./probes/identity-questions.ts";
export type { TemplateLanguage } from "./probes/identity-templates.ts";
export { loadPromptSets } from "./probes/prompt-sets/load.ts";
export type { PromptSet, RsePrompt } from "./probes/prompt-sets/types.ts";
export { buildManifest, type Manifest, verifyManifest } from "./report/manifest.ts";
export { renderMarkdown } from "./report/markdown.ts";
export { buildReportModel, type ReportModel } from "./report/report-model.ts";
// Reports: result JSON -> Markdown, self-contained HTML and the evidence manifest.
export { loadResult, parseResult, type ReportableResult } from "./report/result-schema.ts";
export {
  type ReportInput,
  type WriteReportOptions,
  type WrittenReport,
  writeReport,
} from "./report/write-report.ts";
// RSE: response similarity of a target to references.
export type { RunWorkFunction } from "./rse/collect.ts";
export { type RseItem, type RseJudgeSpec, type RseResult, type RseRunOptions, runRse } from "./rse/run.ts";
export { redactSecrets } from "./secrets/redact.ts";
export type { ParallelOptions } from "./similarity/distinctive-parallel.ts";
export { exportTranscripts, importTranscripts, type TranscriptLine } from "./store/transcripts.ts";
export { schemaVersion, toolVersion } from "./version.ts";

/** One recorded answer to an identity question, for `judgeIceAnswers`. */
export interface IceAnswer {
  /** The identity question. */
  query: string;
  /** The answer, verbatim. */
  response: string;
  /** The full prompt sent (template filled with the query); defaults to the query. */
  prompt?: string;
  /** The jailbreak template, when there was one (intervals cluster by it). */
  template?: string;
}

/**
 * ICE over answers held in memory, judged by the embedded identity judge: the same scoring as
 * `distillscope ice judge`, without a file. `identity` is the target's developer key (e.g. "alibaba",
 * any case); an unknown key is an InputError, not a silent "every claim is false". A developer the
 * registry does not know is declared in `developers`, e.g.
 * `{ identity: "acme", developers: [{ key: "acme", name: "Acme AI", models: ["AcmeBot"] }] }`.
 */
export function judgeIceAnswers(
  answers: readonly IceAnswer[],
  options: { identity: DeveloperKey; seed?: number; developers?: readonly DeveloperInput[] },
): IceResult {
  checkIceAnswers(answers);
  checkOptionsObject(options, "judgeIceAnswers", 'identity: "alibaba", seed?, developers?');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed))
    throw new InputError(`judgeIceAnswers: seed must be a whole number, got ${JSON.stringify(seed)}`);
  const developers = developersFrom(options.developers, "judgeIceAnswers: developers");
  const identity = resolveDeveloperKey(options.identity, developers);
  const rows: IceTranscript[] = answers.map((answer, index) => ({
    index,
    query: answer.query,
    prompt: answer.prompt ?? answer.query,
    response: answer.response,
    ...(answer.template !== undefined ? { template: answer.template } : {}),
  }));
  const verdicts = judgeEmbedded(rows, identity, developers);
  return scoreIce(
    rows.map((row, position) => ({
      index: row.index,
      query: row.query,
      response: row.response,
      ...(row.template !== undefined ? { template: row.template } : {}),
      verdict: verdicts[position]!,
    })),
    {
      identity,
      judge: "embedded",
      seed,
      source: { format: "memory", ...declaredIdentitySource(identity, developers) },
      developers,
    },
  );
}

/**
 * Answers from plain JavaScript or parsed JSON are checked as `ice judge` checks a file's lines: an
 * InputError naming the entry and field, never a TypeError from deep inside the judge.
 */
function checkIceAnswers(answers: unknown): void {
  if (!Array.isArray(answers))
    throw new InputError("judgeIceAnswers: answers must be a list of { query, response } objects");
  if (answers.length === 0) throw new InputError("judgeIceAnswers: no answers to judge");
  answers.forEach((answer: unknown, index) => {
    const where = `judgeIceAnswers: answers[${index}]`;
    if (answer === null || typeof answer !== "object" || Array.isArray(answer))
      throw new InputError(`${where} must be an object with "query" and "response"`);
    const fields = answer as Record<string, unknown>;
    for (const field of ["query", "response"])
      if (typeof fields[field] !== "string")
        throw new InputError(
          `${where}: field "${field}" is missing or not a string${field === "response" ? ' (an empty answer is "")' : ""}`,
        );
    for (const field of ["prompt", "template"])
      if (fields[field] !== undefined && typeof fields[field] !== "string")
        throw new InputError(`${where}: field "${field}" must be a string when given`);
  });
}
