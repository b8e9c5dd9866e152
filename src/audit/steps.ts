/**
 * One function per evaluation of an audit, each a thin call into the owning area's library:
 * ICE (`runIce`, src/ice/run.ts), RSE (src/rse/run.ts) and lineage (src/metrics/lineage.ts).
 */
import { resolve } from "node:path";
import { declarationsOf } from "../config/developer-declarations.ts";
import type { AuditConfig } from "../config/schema.ts";
import { configTargetIdentity } from "../config/target-identity.ts";
import { loadCorpusInputs } from "../corpus/corpus-inputs.ts";
import type { Store } from "../engine/index.ts";
import { InputError } from "../errors.ts";
import { runIce } from "../ice/run.ts";
import { parseJudgeFlag } from "../ice/run-judge.ts";
import { declareDevelopers } from "../identity/custom-developers.ts";
import { inferenceNote } from "../identity/model-id-identity.ts";
import { lineageEvidenceInParallel, runLineage } from "../metrics/lineage.ts";
import { loadPromptSets } from "../probes/prompt-sets/load.ts";
import { shortenedNotes } from "../probes/prompt-sets/shortened-notes.ts";
import { type RseJudgeSpec, runRse } from "../rse/run.ts";
import { homeJudgeSecret } from "../secrets/judge-nonce-secret.ts";
import { helperModelFor, judgeModelFor, modelFor } from "./models.ts";

export interface StepContext {
  config: AuditConfig;
  /** Relative paths in the config resolve against this directory. */
  configDirectory: string;
  store: Store;
  environment: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  log: (line: string) => void;
  /** The config file's name, for messages ("declared in distillscope.yaml"). */
  configName?: string;
}

function engineSettings(config: AuditConfig) {
  return {
    concurrency: config.engine.concurrency,
    timeoutMs: config.engine["timeout-ms"],
    ...(config.engine.rpm !== undefined ? { requestsPerMinute: config.engine.rpm } : {}),
    ...(config.engine.tpm !== undefined ? { tokensPerMinute: config.engine.tpm } : {}),
  };
}

/** ICE for target `index`: seeded probes, searched templates, judged answers, scored with intervals. */
export async function runIceStep(context: StepContext, index: number): Promise<Record<string, unknown>> {
  const { config, environment } = context;
  const ice = config.evaluations.ice;
  const target = config.targets[index];
  if (!ice || !target) throw new Error("runIceStep: no ICE settings or no such target");
  const field = `targets[${index}]`;
  const model = modelFor(target.id, target, environment, field);
  const judge = parseJudgeFlag(ice.judge, () =>
    judgeModelFor(ice.judge, config, environment, "evaluations.ice.judge"),
  );
  const helper = ice.helper ? helperModelFor(ice.helper, environment) : undefined;
  const developers = declareDevelopers(declarationsOf(config.developers), "developers");
  const identity = configTargetIdentity(target, developers);
  // The loader refused a target whose identity is neither written nor clear from its id.
  if (identity.kind === "none" || identity.kind === "ambiguous")
    throw new InputError(`${field}.identity: the developer of "${target.id}" is not clear; add identity:`);
  if (identity.kind === "found")
    context.log(
      `ice: ${target.label ?? target.id}: ${inferenceNote(identity.match, `declared in ${context.configName ?? "the config"}`)}`,
    );
  const result = await runIce({
    target: model,
    identity: identity.kind === "given" ? identity.key : identity.match.key,
    developers,
    store: context.store,
    judge,
    budget: ice.budget,
    seed: ice.seed,
    languages: ice.languages,
    ...(helper ? { helper } : {}),
    ...engineSettings(config),
    ...(context.signal ? { signal: context.signal } : {}),
  });
  return { ...result, target: target.label ?? target.id } as unknown as Record<string, unknown>;
}

/** A prompt-set specification with its file path resolved against the config's directory. */
export function resolvePromptSet(specification: string, directory: string): string {
  if (specification === "default") return specification;
  const match = /^(arena-hard|numina|sharegpt|jsonl):(.*)$/.exec(specification);
  if (match) return `${match[1]}:${resolve(directory, match[2] ?? "")}`;
  return resolve(directory, specification);
}

/** RSE for target `index` against every reference of the config. */
export async function runRseStep(context: StepContext, index: number): Promise<Record<string, unknown>> {
  const { config, environment } = context;
  const rse = config.evaluations.rse;
  const target = config.targets[index];
  if (!rse || !target) throw new Error("runRseStep: no RSE settings or no such target");
  const promptSets = await loadPromptSets(
    (rse["prompt-sets"] ?? ["default"]).map((specification) =>
      resolvePromptSet(specification, context.configDirectory),
    ),
    { limit: rse.limit, seed: rse.seed },
  );
  // Every target is asked the same sets: their notes are said once.
  if (index === 0) for (const note of promptSets.flatMap(shortenedNotes)) context.log(`note: ${note}`);
  const references = config.references.map((reference, position) =>
    modelFor(reference.id, reference, environment, `references[${position}]`),
  );
  const judge: RseJudgeSpec =
    rse.judge === "embedded"
      ? { kind: "embedded" }
      : {
          kind: "llm",
          model: judgeModelFor(rse.judge, config, environment, "evaluations.rse.judge"),
          // The home's random secret (as `rse run` uses): unpredictable to the judged answers, and the
          // same on a re-run, so the judge's cached verdicts are re-used.
          nonceSecret: homeJudgeSecret(context.store.home),
        };
  const result = await runRse({
    target: modelFor(target.id, target, environment, `targets[${index}]`),
    references,
    promptSets,
    store: context.store,
    judge,
    seed: rse.seed,
    ...engineSettings(config),
    ...(context.signal ? { signal: context.signal } : {}),
  });
  return { ...result, target: target.label ?? target.id } as unknown as Record<string, unknown>;
}

/**
 * Lineage attribution over the configured corpus: one input or several (AlpacaEval folders, transcripts
 * JSONL), aligned on the prompt text as `lineage <inputs...>` does (src/corpus/corpus-inputs.ts).
 */
export async function runLineageStep(context: StepContext): Promise<Record<string, unknown>> {
  const lineage = context.config.evaluations.lineage;
  if (!lineage) throw new Error("runLineageStep: no lineage settings");
  const paths = typeof lineage.corpus === "string" ? [lineage.corpus] : lineage.corpus;
  const combined = loadCorpusInputs(
    paths.map((path) => ({
      path: resolve(context.configDirectory, path),
      ...(lineage.format ? { format: lineage.format } : {}),
    })),
  );
  const corpus = combined.corpus;
  if (combined.inputs.length > 1)
    for (const [index, input] of combined.inputs.entries())
      context.log(
        `lineage input ${index + 1}: ${paths[index]} (${input.format}): ${input.models.length} models, ${input.prompts} prompts`,
      );
  context.log(`lineage: ${corpus.counts.models} models, ${corpus.counts.prompts} aligned prompts`);
  // Ctrl-C stops the similarity's worker threads too, not only the model calls of the other steps.
  const signal = context.signal ? { signal: context.signal } : {};
  const result = runLineage(
    corpus,
    {
      candidates: [...lineage.candidates],
      alpha: lineage.alpha,
      ...signal,
    },
    await lineageEvidenceInParallel(corpus, signal),
  );
  return { ...result, label: paths.join(", ") } as unknown as Record<string, unknown>;
}
