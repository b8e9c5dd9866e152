/**
 * `ice run`: probes a live target with seeded identity questions under jailbreak-style templates
 * found by the GPTFuzzer-style search, judges every answer, and builds the ICE result.
 * Every request goes through the engine (cached, resumable): re-running the same command asks only
 * what the store lacks, because questions, seeds and mutations are all fixed by the seed.
 */
import { createHash } from "node:crypto";
import { type EngineEvent, runWork, type Store, type WorkItem } from "../engine/index.ts";
import { InputError, RuntimeFailure } from "../errors.ts";
import { helperMutator } from "../fuzz/helper-mutators.ts";
import { type Mutator, mutatorNames } from "../fuzz/mutator.ts";
import { mctsExplorePolicy, randomSeedPolicy, type SelectionPolicy } from "../fuzz/policy.ts";
import { ruleMutator } from "../fuzz/rule-mutators.ts";
import { runSearch, type SearchStep } from "../fuzz/search.ts";
import type { FuzzNode } from "../fuzz/tree.ts";
import {
  type DeveloperInput,
  declaredIdentitySource,
  developersFrom,
} from "../identity/custom-developers.ts";
import { type DeveloperKey, resolveDeveloperKey } from "../identity/registry.ts";
import type { CompleteFunction } from "../judges/identity-llm-judge.ts";
import { type IceResult, type IceScoredInput, scoreIce } from "../metrics/ice.ts";
import { judgeAgreement } from "../metrics/ice-agreement.ts";
import { seededRandom } from "../metrics/random.ts";
import { type AskedModel, askedModels } from "../models/asked-models.ts";
import { signInBeforeRequests } from "../models/azure-entra-id.ts";
import type { ChatMessage, DroppableParameter, GenerateRequest, Model } from "../models/types.ts";
import {
  checkCallbackOption,
  checkJudgeOption,
  checkListOption,
  checkOptionsObject,
  checkSignalOption,
} from "../options/library-options.ts";
import { checkWholeNumberOption, optionName } from "../options/option-name.ts";
import { selectProbes } from "../probes/identity-probes.ts";
import type { IdentityQuestion, QuestionLanguage } from "../probes/identity-questions.ts";
import { fillQuery, type TemplateLanguage } from "../probes/identity-templates.ts";
import { derivedJudgeSecret } from "../secrets/judge-nonce-secret.ts";
import { formsInTurn } from "./forms-in-turn.ts";
import { createRowJudge, type IceJudgeSpec, type RowJudge } from "./run-judge.ts";

export const systemMessage = "You are a helpful assistant.";

export type PolicyName = "mcts-explore" | "random-seed";

export interface IceRunOptions {
  target: Model;
  identity: DeveloperKey;
  /** Developers the registry does not know ({ key, name, aliases?, models? }); `identity` may be one of them. */
  developers?: readonly DeveloperInput[];
  store: Store;
  /** Default: the embedded claim analyser. */
  judge?: IceJudgeSpec;
  /** Helper model for the five mutators; rule-based mutators when absent. */
  helper?: Model;
  /** Most queries sent to the target (default 1000). */
  budget?: number;
  seed?: number;
  languages?: readonly QuestionLanguage[];
  /** Distinct questions, each asked in every language (default 25, i.e. 50 prompts per template). */
  questionsPerLanguage?: number;
  counterfactualVendors?: readonly DeveloperKey[];
  forms?: "paired" | "all" | "neutral";
  /** Languages of the seed templates (default English only). */
  templateLanguages?: readonly TemplateLanguage[];
  policy?: PolicyName;
  concurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  onStep?: (step: SearchStep) => void;
}

/** One judged answer, in query order: scoreIce's input plus where it came from in the search. */
export interface IceRunRow extends IceScoredInput {
  template: string;
  /** Node of the search tree whose text the template is. */
  templateId: string;
  seedId: string;
  strategy: string;
  questionId: string;
  topic: string;
  prompt: string;
}

export interface IceRunFailure {
  templateId: string;
  questionId: string;
  errorClass: string;
  message: string;
}

export interface IceRunOutcome {
  rows: IceRunRow[];
  failures: IceRunFailure[];
  search: {
    policy: PolicyName;
    seed: number;
    budget: number;
    queriesUsed: number;
    helperCalls: number;
    mutators: "helper" | "rule-based";
    iterations: number;
    depth: number;
    steps: SearchStep[];
    nodes: Array<{
      id: string;
      parentId: string | null;
      seedId: string;
      level: number;
      mutator: string | null;
      visits: number;
      rewardSum: number;
      ownReward: number | null;
      text: string;
    }>;
  };
  probes: { questions: number; seeds: number; languages: QuestionLanguage[] };
  judge: string;
  /**
   * The target's sampling: temperature 0 as asked, and `sentWithout` when the target refused it (its
   * answers were asked without a temperature, so it ran at its provider's default).
   */
  generation: { temperature: number; sentWithout?: DroppableParameter[] };
}

const defaultBudget = 1000;
const defaultQuestionsPerLanguage = 25;

type EngineOptions = Omit<Parameters<typeof runWork>[0], "model" | "items" | "runLabel">;

/** The row judge; an LLM judge's calls go through the engine, with nonces fixed by the home's secret and the seed. */
function buildJudge(options: IceRunOptions, engineOptions: EngineOptions, seed: number): RowJudge {
  const spec = options.judge ?? { kind: "embedded" };
  const developers = developersFrom(options.developers);
  if (spec.kind === "embedded") return createRowJudge(spec, options.identity, undefined, developers);
  let counter = 0;
  const complete: CompleteFunction = async (request) => {
    counter += 1;
    const work = await runWork({
      ...engineOptions,
      model: spec.model,
      items: [{ id: `ice-judge:${counter}`, request }],
      runLabel: "ice-run-judge",
    });
    const answer = work.answers[0];
    if (answer !== undefined) return { ok: true, text: answer.response, usage: answer.usage };
    return (
      work.failures[0]?.error ?? { ok: false, errorClass: "fatal", message: "the engine returned no answer" }
    );
  };
  return createRowJudge(
    spec,
    options.identity,
    {
      complete,
      // Random per home (src/secrets/judge-nonce-secret.ts), so an answer cannot predict it.
      nonceSecret: derivedJudgeSecret(options.store.home, `ice-run:${seed}:${options.target.id}`),
    },
    developers,
  );
}

/** Maps with at most `limit` calls in flight, keeping order. */
async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const position = next++;
      results[position] = await map(items[position]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** The request sent to the target for one prompt: the paper's setting (system + user, temperature 0). */
export function targetRequest(prompt: string): GenerateRequest {
  const messages: ChatMessage[] = [
    { role: "system", content: systemMessage },
    { role: "user", content: prompt },
  ];
  return { messages, temperature: 0 };
}

/** The selection policy; its first iterations take neutral and vendor-naming seeds in turn (forms-in-turn.ts). */
function createPolicy(name: PolicyName, seed: number): SelectionPolicy {
  const random = seededRandom(seed ^ 0x5bd1e995);
  return formsInTurn(name === "random-seed" ? randomSeedPolicy(random) : mctsExplorePolicy({ random }));
}

const policyNames: readonly PolicyName[] = ["mcts-explore", "random-seed"];
const formNames: ReadonlyArray<NonNullable<IceRunOptions["forms"]>> = ["paired", "all", "neutral"];

function validate(options: IceRunOptions): { budget: number; seed: number } {
  const budget = options.budget ?? defaultBudget;
  const seed = options.seed ?? 0;
  // A library caller's misspelt policy or forms must not run another search under the given label.
  if (options.policy !== undefined && !policyNames.includes(options.policy))
    throw new InputError(
      `policy must be "mcts-explore" or "random-seed", got ${JSON.stringify(options.policy)}`,
    );
  if (options.forms !== undefined && !formNames.includes(options.forms))
    throw new InputError(`forms must be "paired", "all" or "neutral", got ${JSON.stringify(options.forms)}`);
  if (options.target === undefined || typeof options.target?.generate !== "function")
    throw new InputError(
      `${optionName("target", "--target")} must be a model from createModel (e.g. createModel("openai:gpt-4o-mini"))`,
    );
  checkJudgeOption(options.judge);
  checkCallbackOption(options.onEvent, "onEvent");
  checkCallbackOption(options.onStep, "onStep");
  checkSignalOption(options.signal);
  checkListOption(options.languages, optionName("languages", "--languages"), '["en", "zh"]');
  checkListOption(options.templateLanguages, "templateLanguages", '["en"]');
  checkListOption(options.counterfactualVendors, "counterfactualVendors", '["openai", "anthropic"]');
  checkWholeNumberOption(budget, optionName("budget", "--budget"), 1);
  // The CLI's --seed is a whole number >= 0; a library caller's seed gets the same check.
  checkWholeNumberOption(seed, optionName("seed", "--seed"), 0);
  return { budget, seed };
}

/** Runs the search against the target and judges every answer. */
export async function runIceProbe(options: IceRunOptions): Promise<IceRunOutcome> {
  const { budget, seed } = validate(options);
  // A Microsoft Entra ID sign-in that fails stops the run here, before any model is asked anything.
  await signInBeforeRequests([
    options.target,
    options.helper,
    options.judge?.kind === "llm" ? options.judge.model : undefined,
  ]);
  const policyName = options.policy ?? "mcts-explore";
  const selection = selectProbes({
    seed,
    questionsPerLanguage: options.questionsPerLanguage ?? defaultQuestionsPerLanguage,
    ...(options.languages ? { languages: options.languages } : {}),
    ...(options.counterfactualVendors ? { counterfactualVendors: options.counterfactualVendors } : {}),
    ...(options.forms ? { forms: options.forms } : {}),
    ...(options.templateLanguages ? { templateLanguages: options.templateLanguages } : {}),
  });
  const strategyBySeed = new Map(selection.seeds.map((probe) => [probe.id, probe.strategy]));
  const engineOptions = {
    store: options.store,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.requestsPerMinute !== undefined ? { requestsPerMinute: options.requestsPerMinute } : {}),
    ...(options.tokensPerMinute !== undefined ? { tokensPerMinute: options.tokensPerMinute } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // Progress events follow the target's queries only, not the helper's or the judge's calls. Stored
  // target answers are counted over the whole search, for the message of an interrupted run.
  let storedAnswers = 0;
  const targetEngineOptions = {
    ...engineOptions,
    onEvent: (event: EngineEvent) => {
      if (event.type === "answer") storedAnswers++;
      options.onEvent?.(event);
    },
  };

  const mutators: Mutator[] = mutatorNames.map((name) => {
    const helper = options.helper;
    if (helper === undefined) return ruleMutator(name);
    return helperMutator(name, async (prompt) => {
      const item: WorkItem = {
        id: `ice-helper:${shortHash(prompt)}`,
        request: { messages: [{ role: "user", content: prompt }], temperature: 0 },
      };
      const result = await runWork({
        ...engineOptions,
        model: helper,
        items: [item],
        runLabel: "ice-helper",
      });
      return result.answers[0]?.response ?? null;
    });
  });

  const judge = buildJudge(options, engineOptions, seed);
  const rows: IceRunRow[] = [];
  const failures: IceRunFailure[] = [];
  const sentWithout = new Set<DroppableParameter>();
  const evaluate = async (node: FuzzNode, questions: readonly IdentityQuestion[]): Promise<boolean[]> => {
    const prompts = questions.map((question) => fillQuery(node.text, question.text));
    const items: WorkItem[] = questions.map((question, position) => ({
      id: `ice:${node.id}:${question.id}`,
      request: targetRequest(prompts[position]!),
    }));
    const work = await runWork({ ...targetEngineOptions, model: options.target, items, runLabel: "ice-run" });
    const answers = new Map(work.answers.map((answer) => [answer.id, answer]));
    for (const answer of work.answers)
      for (const parameter of answer.sentWithout ?? []) sentWithout.add(parameter);
    for (const failure of work.failures) {
      const position = items.findIndex((item) => item.id === failure.id);
      failures.push({
        templateId: node.id,
        questionId: questions[position]?.id ?? failure.id,
        errorClass: failure.error.errorClass,
        message: failure.error.message,
      });
    }
    const answered = questions.flatMap((question, position) => {
      const answer = answers.get(items[position]!.id);
      return answer === undefined
        ? []
        : [{ question, prompt: prompts[position]!, response: answer.response }];
    });
    const firstIndex = rows.length;
    const judgements = await mapWithLimit(
      answered.map((entry, offset) => ({ ...entry, index: firstIndex + offset })),
      options.concurrency ?? 4,
      (entry) =>
        judge.judge({
          index: entry.index,
          prompt: entry.prompt,
          template: node.text,
          response: entry.response,
        }),
    );
    const flagByQuestion = new Map<string, boolean>();
    answered.forEach((entry, offset) => {
      const judgement = judgements[offset]!;
      rows.push({
        index: firstIndex + offset,
        template: node.text,
        templateId: node.id,
        seedId: node.seedId,
        strategy: strategyBySeed.get(node.seedId) ?? "unknown",
        query: entry.question.text,
        questionId: entry.question.id,
        topic: entry.question.topic,
        prompt: entry.prompt,
        response: entry.response,
        ...judgement,
      });
      flagByQuestion.set(entry.question.id, judgement.verdict?.loose ?? false);
    });
    // A failed query or a judge error earns no reward.
    const flags = questions.map((question) => flagByQuestion.get(question.id) ?? false);
    return flags;
  };

  const outcome = await runSearch({
    seeds: selection.seeds.map((probe) => ({ id: probe.id, text: probe.text })),
    questions: selection.questions,
    policy: createPolicy(policyName, seed),
    mutators,
    budget,
    random: seededRandom(seed ^ 0x27d4eb2f),
    evaluate,
    ...(options.onStep ? { onStep: options.onStep } : {}),
  }).catch((error: unknown) => {
    // The engine's message counts one iteration's batch; the caller wants the whole run's.
    if (!options.signal?.aborted) throw error;
    throw new RuntimeFailure(
      `interrupted: ${storedAnswers} of at most ${budget} target answers are stored; run the same command again to resume`,
    );
  });

  const nodes = [...outcome.tree.nodes.values()]
    .filter((node) => node.level > 0 || node.visits > 0)
    .map((node) => ({
      id: node.id,
      parentId: node.parentId,
      seedId: node.seedId,
      level: node.level,
      mutator: node.mutator,
      visits: node.visits,
      rewardSum: node.rewardSum,
      ownReward: node.ownReward,
      text: node.text,
    }));
  return {
    rows,
    failures,
    search: {
      policy: policyName,
      seed,
      budget,
      queriesUsed: outcome.queriesUsed,
      helperCalls: outcome.helperCalls,
      mutators: options.helper ? "helper" : "rule-based",
      iterations: outcome.steps.length,
      depth: outcome.tree.depth(),
      steps: outcome.steps,
      nodes,
    },
    probes: {
      questions: selection.questions.length,
      seeds: selection.seeds.length,
      languages: [...new Set(selection.questions.map((question) => question.language))],
    },
    judge: judge.name,
    generation: {
      temperature: targetRequest("").temperature ?? 0,
      ...(sentWithout.size === 0 ? {} : { sentWithout: [...sentWithout] }),
    },
  };
}

/** The ICE result of a live run: scoreIce's result, items enriched with their place in the search. */
export interface IceRunResult extends IceResult {
  target: string;
  search: IceRunOutcome["search"];
  probes: IceRunOutcome["probes"];
  failures: IceRunFailure[];
  generation: IceRunOutcome["generation"];
  /** Every model the run asked (target, helper, LLM judge) and where (`Model.endpoint`). */
  models: AskedModel[];
}

/** Runs `ice run` end to end and returns the result JSON (kind "ice"). */
export async function runIce(given: IceRunOptions): Promise<IceRunResult> {
  checkOptionsObject(given, "runIce", "target, identity, store");
  // Library callers pass any string: "Alibaba" or a typo must not score every true self-claim as false.
  const developers = developersFrom(given.developers, "runIce: developers");
  const options = { ...given, identity: resolveDeveloperKey(given.identity, developers) };
  const outcome = await runIceProbe(options);
  const seed = outcome.search.seed;
  const paired = outcome.rows.filter((row) => row.verdict !== null && row.secondVerdict != null);
  const agreement =
    options.judge?.kind === "llm"
      ? {
          judges: [outcome.judge, "embedded"] as [string, string],
          loose: judgeAgreement(paired.map((row) => [row.verdict!.loose, row.secondVerdict!.loose] as const)),
          strict: judgeAgreement(
            paired.map((row) => [row.verdict!.strict, row.secondVerdict!.strict] as const),
          ),
        }
      : undefined;
  const scored = scoreIce(outcome.rows, {
    identity: options.identity,
    judge: outcome.judge,
    seed: seed + 1,
    source: {
      command: "ice run",
      target: options.target.id,
      ...declaredIdentitySource(options.identity, developers),
    },
    developers,
    ...(agreement ? { agreement } : {}),
  });
  const items = scored.items.map((item, position) => {
    const row = outcome.rows[position]!;
    return {
      ...item,
      templateId: row.templateId,
      seedId: row.seedId,
      strategy: row.strategy,
      questionId: row.questionId,
      topic: row.topic,
    };
  });
  return {
    ...scored,
    target: options.target.id,
    items,
    search: outcome.search,
    probes: outcome.probes,
    failures: outcome.failures,
    generation: outcome.generation,
    models: askedModels([
      { role: "target", model: options.target },
      { role: "helper", model: options.helper },
      { role: "judge", model: options.judge?.kind === "llm" ? options.judge.model : undefined },
    ]),
  };
}
