/**
 * Collects one model's answers to RSE prompts through the engine. Multi-turn prompts are replayed turn
 * by turn: turn k is sent with the user turns 1..k and the model's OWN answers to turns 1..k-1, so each
 * turn is a separate request that depends on the previous answer. All prompts' turn k go to the engine
 * in one batch, then turn k+1, so the engine's concurrency still applies across conversations.
 */
import type { EngineEvent, RunWorkOptions, WorkItem, WorkResult } from "../engine/types.ts";
import type { ChatMessage, DroppableParameter, GenerationParameters, Model } from "../models/types.ts";
import type { RsePrompt } from "../probes/prompt-sets/types.ts";
import type { Store } from "../store/store.ts";

export type RunWorkFunction = (options: RunWorkOptions) => Promise<WorkResult>;

/** One turn of one conversation: what the model was sent and what it answered (or why not). */
export interface TurnAnswer {
  turn: number;
  messages: ChatMessage[];
  answer?: string;
  cached?: boolean;
  error?: string;
  /** Parameters the model refused, so this turn was asked without them (it ran at its default). */
  sentWithout?: DroppableParameter[];
}

export interface CollectOptions {
  model: Model;
  prompts: readonly RsePrompt[];
  store: Store;
  runWork: RunWorkFunction;
  generation?: GenerationParameters;
  runLabel?: string;
  concurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
}

/**
 * Key of a prompt across datasets: `dataset/id`, with "%" and "/" in the dataset name written as %25
 * and %2F, so that dataset "x" with id "y/z" and dataset "x/y" with id "z" get different keys.
 */
export function promptKey(prompt: Pick<RsePrompt, "dataset" | "id">): string {
  return `${prompt.dataset.replace(/%/g, "%25").replace(/\//g, "%2F")}/${prompt.id}`;
}

/** The engine item id of one turn. */
export function turnItemId(prompt: Pick<RsePrompt, "dataset" | "id">, turn: number): string {
  return `rse/${promptKey(prompt)}#${turn}`;
}

/** Why a later turn is not asked, by what the earlier turn gave (no answer at all, or a blank one). */
export const notAskedAfterFailure = "not asked: an earlier turn has no answer";
export const notAskedAfterEmpty = "not asked: an earlier turn's answer is empty";

/**
 * Answers of every turn, by prompt key. A turn after a failed or empty one is recorded as not asked: its
 * history would hold no answer (or an empty assistant message), so it could not be compared with another
 * model's turn, and some providers refuse an empty assistant message.
 */
export async function collectAnswers(options: CollectOptions): Promise<Map<string, TurnAnswer[]>> {
  const conversations = new Map<string, TurnAnswer[]>();
  const history = new Map<string, ChatMessage[]>();
  for (const prompt of options.prompts) {
    conversations.set(promptKey(prompt), []);
    history.set(promptKey(prompt), prompt.system ? [{ role: "system", content: prompt.system }] : []);
  }
  const longest = Math.max(0, ...options.prompts.map((prompt) => prompt.turns.length));
  for (let turn = 0; turn < longest; turn++) {
    const asked: Array<{ prompt: RsePrompt; messages: ChatMessage[] }> = [];
    for (const prompt of options.prompts) {
      if (turn >= prompt.turns.length) continue;
      const record = conversations.get(promptKey(prompt))!;
      if (turn > 0) {
        const earlier = record[turn - 1];
        if (earlier?.answer === undefined || earlier.answer.trim() === "") {
          // A turn after a turn that was itself not asked keeps that turn's reason.
          const notAsked = earlier?.error?.startsWith("not asked: ") === true ? earlier.error : undefined;
          const reason = earlier?.answer === undefined ? notAskedAfterFailure : notAskedAfterEmpty;
          record.push({ turn, messages: [], error: notAsked ?? reason });
          continue;
        }
      }
      const messages: ChatMessage[] = [
        ...history.get(promptKey(prompt))!,
        { role: "user", content: prompt.turns[turn]! },
      ];
      asked.push({ prompt, messages });
    }
    if (asked.length === 0) continue;
    const items: WorkItem[] = asked.map(({ prompt, messages }) => ({
      id: turnItemId(prompt, turn),
      request: { ...options.generation, messages },
    }));
    const result = await options.runWork({
      model: options.model,
      items,
      store: options.store,
      ...(options.runLabel !== undefined ? { runLabel: options.runLabel } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.requestsPerMinute !== undefined ? { requestsPerMinute: options.requestsPerMinute } : {}),
      ...(options.tokensPerMinute !== undefined ? { tokensPerMinute: options.tokensPerMinute } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
    });
    const answers = new Map(result.answers.map((answer) => [answer.id, answer]));
    const failures = new Map(result.failures.map((failure) => [failure.id, failure]));
    for (const { prompt, messages } of asked) {
      const id = turnItemId(prompt, turn);
      const answer = answers.get(id);
      const record = conversations.get(promptKey(prompt))!;
      if (answer !== undefined) {
        record.push({
          turn,
          messages,
          answer: answer.response,
          cached: answer.cached,
          ...(answer.sentWithout === undefined ? {} : { sentWithout: answer.sentWithout }),
        });
        history.set(promptKey(prompt), [...messages, { role: "assistant", content: answer.response }]);
      } else {
        const failure = failures.get(id);
        const error = failure ? `${failure.error.errorClass}: ${failure.error.message}` : "no answer";
        record.push({ turn, messages, error });
      }
    }
  }
  return conversations;
}
