/**
 * `rse run`: the target and every reference answer the same prompts (through the engine: cached and
 * resumable), each target answer is judged against each reference's answer to the same turn, and the
 * result carries per-dataset and overall similarity with intervals, plus paired comparisons between
 * references. The first reference is the primary one: its scores are the result's top-level `scores`.
 */
import { runWork as engineRunWork } from "../engine/index.ts";
import type { EngineEvent } from "../engine/types.ts";
import { InputError } from "../errors.ts";
import {
  type AnswerFeatures,
  type AxisScores,
  answerFeatures,
  compareAnswerFeatures,
  documentFrequencies,
} from "../judges/similarity-embedded.ts";
import {
  type BatchComplete,
  judgeSimilarityPairs,
  type OrderVerdict,
  type SimilarityPair,
} from "../judges/similarity-llm-judge.ts";
import { type RseStatistics, rseStatistics } from "../metrics/rse.ts";
import { bootstrapMeanInterval, type Interval, mean } from "../metrics/stats.ts";
import { type AskedModel, askedModels } from "../models/asked-models.ts";
import { signInBeforeRequests } from "../models/azure-entra-id.ts";
import type {
  ChatMessage,
  DroppableParameter,
  GenerateResult,
  GenerationParameters,
  Model,
} from "../models/types.ts";
import {
  checkCallbackOption,
  checkGenerationOption,
  checkJudgeOption,
  checkOptionsObject,
  checkSignalOption,
} from "../options/library-options.ts";
import { checkWholeNumberOption, optionName } from "../options/option-name.ts";
import type { PromptSet } from "../probes/prompt-sets/types.ts";
import { envelope, type ResultEnvelope } from "../report/envelope.ts";
import type { Store } from "../store/store.ts";
import { collectAnswers, promptKey, type RunWorkFunction, type TurnAnswer, turnItemId } from "./collect.ts";
import { judgeNonceSecret } from "./judge-secret.ts";

export type RseJudgeSpec =
  | { kind: "embedded" }
  | {
      kind: "llm";
      model: Model;
      /** Secret behind the judge's nonces; default: the store home's random judge secret, as `rse run` uses. */
      nonceSecret?: string;
      maxAttempts?: number;
    };

export interface RseRunOptions {
  target: Model;
  references: readonly Model[];
  promptSets: readonly PromptSet[];
  store: Store;
  /** Default: the embedded judge-free similarity. */
  judge?: RseJudgeSpec;
  /** Seed of the bootstrap and permutation tests (prompt sampling happens when the sets are loaded). */
  seed?: number;
  /** Generation parameters of the target and references (default temperature 0). */
  generation?: GenerationParameters;
  resamples?: number;
  concurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  /** Called before each model's collection and before judging (progress labels). */
  onPhase?: (phase: string, total: number) => void;
  /** The engine's runWork unless replaced (tests of failure handling). */
  runWork?: RunWorkFunction;
}

export interface RseItem {
  promptId: string;
  dataset: string;
  category?: string;
  turn: number;
  reference: string;
  /** What the target was sent for this turn (its own earlier answers included). */
  messages: ChatMessage[];
  /** For later turns of a conversation: what the reference was sent (its own earlier answers). */
  referenceMessages?: ChatMessage[];
  targetResponse: string;
  referenceResponse: string;
  /** Null when the judge failed; then `error` says why. */
  scores: AxisScores | null;
  judge: string;
  orders?: OrderVerdict[];
  error?: string;
}

export interface RseCollectionFailure {
  model: string;
  promptId: string;
  dataset: string;
  turn: number;
  error: string;
}

/** An answer that was collected but is empty or whitespace only: a missing answer, never scored. */
export interface RseEmptyAnswer {
  model: string;
  promptId: string;
  dataset: string;
  turn: number;
}

/** Per model: turns asked, non-empty answers, empty answers and turns without any answer. */
export interface RseAnswerCount {
  turns: number;
  answered: number;
  empty: number;
  failed: number;
  /**
   * Parameters of `generation` the model refused (e.g. temperature for OpenAI's reasoning models): its
   * answers were asked without them, so it ran at its provider's default. Absent when none.
   */
  sentWithout?: DroppableParameter[];
}

export interface RseResult extends ResultEnvelope, RseStatistics {
  target: string;
  references: string[];
  primaryReference: string;
  judge: string;
  seed: number;
  /**
   * The sampling parameters every model was asked with; a model that refused some ran without them
   * (see `answerCounts[model].sentWithout`).
   */
  generation: GenerationParameters;
  /** Judged items against the primary reference. */
  n: number;
  scores: AxisScores;
  intervals: Record<keyof AxisScores, Interval>;
  prompts: Array<{
    dataset: string;
    source: string;
    prompts: number;
    turns: number;
    skipped: Record<string, number>;
    /** Records kept in part (a ShareGPT conversation cut at a mid-conversation system turn), by reason. */
    shortened?: Record<string, number>;
  }>;
  /**
   * `collection`: turns a model could not answer; `judge`: items the judge could not score;
   * `emptyAnswers`: empty or whitespace-only answers, left out of the scores like missing ones.
   */
  failures: { collection: RseCollectionFailure[]; judge: number; emptyAnswers: RseEmptyAnswer[] };
  /** Per model (target and references): what its collection gave. */
  answerCounts: Record<string, RseAnswerCount>;
  /** Every model the run asked (target, references, LLM judge) and where (`Model.endpoint`). */
  models: AskedModel[];
  /**
   * LLM judge only: mean of (target-first minus reference-first) overall score over judged items, with a
   * bootstrap interval. Averaging both orders cancels it; its size tells how much the judge leans.
   */
  positionBias?: { difference: number; interval: Interval; n: number };
  items: RseItem[];
}

/** An empty or whitespace-only answer says nothing: it is counted, never scored. */
function isBlank(answer: string): boolean {
  return answer.trim() === "";
}

function usable(answer: string | undefined): answer is string {
  return answer !== undefined && !isBlank(answer);
}

function positionBias(items: readonly RseItem[], seed: number): RseResult["positionBias"] {
  const differences: number[] = [];
  for (const item of items) {
    const [first, second] = item.orders ?? [];
    if (first?.scores && second?.scores) differences.push(first.scores.overall - second.scores.overall);
  }
  return {
    difference: mean(differences),
    interval: bootstrapMeanInterval(differences, { seed, resamples: 1000 }),
    n: differences.length,
  };
}

function checkModels(target: Model, references: readonly Model[]): void {
  const isModel = (value: unknown) => typeof (value as Model | undefined)?.generate === "function";
  if (!isModel(target))
    throw new InputError(
      `${optionName("target", "--target")} must be a model from createModel (e.g. createModel("openai:gpt-4o"))`,
    );
  const name = optionName("references", "--reference");
  if (!Array.isArray(references) || !references.every(isModel))
    throw new InputError(`${name} must be a list of models from createModel`);
  if (references.length === 0) throw new InputError(`${name}: give at least one reference model`);
  const seen = new Set<string>();
  for (const reference of references) {
    if (seen.has(reference.id))
      throw new InputError(`${name}: ${reference.id} is given twice; list each reference once`);
    seen.add(reference.id);
  }
  if (seen.has(target.id))
    throw new InputError(`${name}: ${target.id} is the target; the target cannot also be a reference`);
}

/** Two prompt sets (or files) giving the same dataset and id would share answers: refused, naming both. */
function checkUniquePrompts(promptSets: readonly PromptSet[]): void {
  const seen = new Map<string, string>();
  for (const set of promptSets)
    for (const prompt of set.prompts) {
      const key = promptKey(prompt);
      const earlier = seen.get(key);
      if (earlier !== undefined)
        throw new InputError(
          `${optionName("promptSets", "--prompts")}: dataset "${prompt.dataset}" has id "${prompt.id}" in ${earlier} and in ${set.source}; ` +
            `give one of them another "dataset" name or id`,
        );
      seen.set(key, set.source);
    }
}

function llmBatch(options: RseRunOptions, judge: Model, runWork: RunWorkFunction): BatchComplete {
  return async (calls) => {
    const result = await runWork({
      model: judge,
      items: calls.map((call) => ({ id: call.id, sample: call.sample, request: call.request })),
      store: options.store,
      runLabel: "rse judge",
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.requestsPerMinute !== undefined ? { requestsPerMinute: options.requestsPerMinute } : {}),
      ...(options.tokensPerMinute !== undefined ? { tokensPerMinute: options.tokensPerMinute } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
    });
    const key = (id: string, sample: number) => `${id}\u0000${sample}`;
    const answers = new Map(result.answers.map((answer) => [key(answer.id, answer.sample), answer]));
    const failures = new Map(result.failures.map((failure) => [key(failure.id, failure.sample), failure]));
    return calls.map((call): GenerateResult => {
      const answer = answers.get(key(call.id, call.sample));
      if (answer !== undefined) return { ok: true, text: answer.response, usage: answer.usage };
      return (
        failures.get(key(call.id, call.sample))?.error ?? {
          ok: false,
          errorClass: "retryable",
          message: "the engine returned no answer",
        }
      );
    });
  };
}

/** Runs RSE end to end and builds the result JSON. */
export async function runRse(options: RseRunOptions): Promise<RseResult> {
  checkOptionsObject(options, "runRse", "target, references, promptSets, store");
  checkModels(options.target, options.references);
  // As the CLI checks --seed: a seed of "x" or 1.5 would otherwise reach the bootstrap unnoticed.
  const seed = options.seed ?? 0;
  checkWholeNumberOption(seed, optionName("seed", "--seed"), 0);
  // 0 used to mean the default silently, and "x" no bootstrap round at all (intervals of NaN).
  if (options.resamples !== undefined) checkWholeNumberOption(options.resamples, "resamples", 1);
  const isPromptSet = (set: unknown) => Array.isArray((set as PromptSet | null)?.prompts);
  if (!Array.isArray(options.promptSets as unknown) || !options.promptSets.every(isPromptSet))
    throw new InputError(
      `${optionName("promptSets", "--prompts")} must be a list of prompt sets, e.g. from loadPromptSets(["default"])`,
    );
  checkJudgeOption(options.judge);
  checkGenerationOption(options.generation);
  checkCallbackOption(options.onEvent, "onEvent");
  checkCallbackOption(options.onPhase, "onPhase");
  checkSignalOption(options.signal);
  const runWork = options.runWork ?? engineRunWork;
  const judgeSpec = options.judge ?? { kind: "embedded" };
  const prompts = options.promptSets.flatMap((set) => set.prompts);
  checkUniquePrompts(options.promptSets);
  if (prompts.length === 0)
    throw new InputError(`${optionName("promptSets", "--prompts")}: the prompt sets hold no prompts`);
  const turnCount = prompts.reduce((total, prompt) => total + prompt.turns.length, 0);
  const generation = options.generation ?? { temperature: 0 };
  // A Microsoft Entra ID sign-in that fails stops the run here, before any model is asked anything.
  await signInBeforeRequests([
    options.target,
    ...options.references,
    judgeSpec.kind === "llm" ? judgeSpec.model : undefined,
  ]);
  const collected = new Map<string, Map<string, TurnAnswer[]>>();
  for (const model of [options.target, ...options.references]) {
    // The count is of turns: a multi-turn conversation asks one question per user turn.
    const unit =
      turnCount === prompts.length
        ? "answers"
        : `turn answers (${prompts.length} prompt${prompts.length === 1 ? "" : "s"})`;
    options.onPhase?.(`${unit} of ${model.id}`, turnCount);
    collected.set(
      model.id,
      await collectAnswers({
        model,
        prompts,
        store: options.store,
        runWork,
        generation,
        runLabel: `rse ${model.id}`,
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.requestsPerMinute !== undefined ? { requestsPerMinute: options.requestsPerMinute } : {}),
        ...(options.tokensPerMinute !== undefined ? { tokensPerMinute: options.tokensPerMinute } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
      }),
    );
  }

  const collectionFailures: RseCollectionFailure[] = [];
  const emptyAnswers: RseEmptyAnswer[] = [];
  const answerCounts: Record<string, RseAnswerCount> = {};
  for (const [model, conversations] of collected) {
    const count: RseAnswerCount = { turns: 0, answered: 0, empty: 0, failed: 0 };
    answerCounts[model] = count;
    for (const prompt of prompts)
      for (const turn of conversations.get(promptKey(prompt)) ?? []) {
        count.turns++;
        const where = { model, promptId: prompt.id, dataset: prompt.dataset, turn: turn.turn };
        if (turn.answer === undefined) {
          count.failed++;
          collectionFailures.push({ ...where, error: turn.error ?? "no answer" });
        } else if (isBlank(turn.answer)) {
          count.empty++;
          emptyAnswers.push(where);
        } else count.answered++;
        for (const parameter of turn.sentWithout ?? []) {
          count.sentWithout ??= [];
          if (!count.sentWithout.includes(parameter)) count.sentWithout.push(parameter);
        }
      }
  }

  const targetResponses = collected.get(options.target.id)!;
  const items: RseItem[] = [];
  const pairs: SimilarityPair[] = [];
  const judgeName = judgeSpec.kind === "embedded" ? "embedded" : judgeSpec.model.id;
  for (const reference of options.references) {
    const referenceResponses = collected.get(reference.id)!;
    for (const prompt of prompts) {
      const targetTurns = targetResponses.get(promptKey(prompt)) ?? [];
      const referenceTurns = referenceResponses.get(promptKey(prompt)) ?? [];
      for (const targetTurn of targetTurns) {
        const referenceTurn = referenceTurns[targetTurn.turn];
        if (!usable(targetTurn.answer) || !usable(referenceTurn?.answer)) continue;
        items.push({
          promptId: prompt.id,
          dataset: prompt.dataset,
          ...(prompt.category !== undefined ? { category: prompt.category } : {}),
          turn: targetTurn.turn,
          reference: reference.id,
          messages: targetTurn.messages,
          ...(targetTurn.turn > 0 ? { referenceMessages: referenceTurn.messages } : {}),
          targetResponse: targetTurn.answer,
          referenceResponse: referenceTurn!.answer!,
          scores: null,
          judge: judgeName,
        });
        pairs.push({
          id: `${turnItemId(prompt, targetTurn.turn)}|${reference.id}`,
          userTurns: prompt.turns.slice(0, targetTurn.turn + 1),
          target: targetTurn.answer,
          reference: referenceTurn!.answer!,
        });
      }
    }
  }

  if (judgeSpec.kind === "embedded") {
    const features = new Map<string, AnswerFeatures>();
    const featuresOf = (text: string): AnswerFeatures => {
      let found = features.get(text);
      if (found === undefined) {
        found = answerFeatures(text);
        features.set(text, found);
      }
      return found;
    };
    const frequencies = documentFrequencies(
      new Set(items.flatMap((item) => [item.targetResponse, item.referenceResponse])),
    );
    for (const item of items)
      item.scores = compareAnswerFeatures(
        featuresOf(item.targetResponse),
        featuresOf(item.referenceResponse),
        frequencies,
      );
  } else {
    options.onPhase?.(`judging with ${judgeName}`, pairs.length * 2);
    const verdicts = await judgeSimilarityPairs(pairs, {
      complete: llmBatch(options, judgeSpec.model, runWork),
      // A library caller need not invent a secret (a guessable one would let an answer forge a verdict tag).
      nonceSecret: judgeSpec.nonceSecret ?? judgeNonceSecret(options.store.home),
      ...(judgeSpec.maxAttempts !== undefined ? { maxAttempts: judgeSpec.maxAttempts } : {}),
    });
    verdicts.forEach((verdict, index) => {
      const item = items[index]!;
      item.scores = verdict.scores;
      item.orders = verdict.orders;
      if (verdict.error !== undefined) item.error = verdict.error;
    });
  }

  const referenceIds = options.references.map((reference) => reference.id);
  const statistics = rseStatistics(
    items.map((item) => ({
      dataset: item.dataset,
      conversation: promptKey({ dataset: item.dataset, id: item.promptId }),
      turn: item.turn,
      reference: item.reference,
      scores: item.scores,
    })),
    {
      references: referenceIds,
      seed,
      ...(options.resamples ? { resamples: options.resamples } : {}),
    },
  );
  const primary = statistics.byReference[referenceIds[0]!]!;
  return {
    ...envelope("rse"),
    target: options.target.id,
    references: referenceIds,
    primaryReference: referenceIds[0]!,
    judge: judgeName,
    seed,
    generation,
    n: primary.n,
    scores: primary.scores,
    intervals: primary.intervals,
    ...statistics,
    prompts: options.promptSets.map((set) => ({
      dataset: set.dataset,
      source: set.source,
      prompts: set.prompts.length,
      turns: set.prompts.reduce((total, prompt) => total + prompt.turns.length, 0),
      skipped: set.skipped,
      ...(set.shortened ? { shortened: set.shortened } : {}),
    })),
    failures: {
      collection: collectionFailures,
      judge: items.filter((item) => item.scores === null).length,
      emptyAnswers,
    },
    answerCounts,
    models: askedModels([
      { role: "target", model: options.target },
      ...options.references.map((model) => ({ role: "reference" as const, model })),
      { role: "judge", model: judgeSpec.kind === "llm" ? judgeSpec.model : undefined },
    ]),
    ...(judgeSpec.kind === "llm" ? { positionBias: positionBias(items, seed) } : {}),
    items,
  };
}
