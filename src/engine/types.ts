import type { DroppableParameter, GenerateFailure, GenerateRequest, Model, Usage } from "../models/types.ts";
import type { Store } from "../store/store.ts";
import type { Clock } from "./clock.ts";
import type { RetryPolicy } from "./retry-policy.ts";

/** One request to make: `id` (+ `sample` for repeated sampling) names it in the output. */
export interface WorkItem {
  id: string;
  sample?: number;
  request: GenerateRequest;
}

/** One answer, fresh or from the cache. */
export interface AnswerRecord {
  id: string;
  sample: number;
  /** The model id, `provider:model`. */
  model: string;
  response: string;
  usage: Usage;
  costUsd?: number;
  latencyMs: number;
  cached: boolean;
  finishReason?: string;
  /** Parameters the model refused, so the request went without them: it answered at its default. */
  sentWithout?: DroppableParameter[];
}

export interface WorkFailure {
  id: string;
  sample: number;
  error: GenerateFailure;
}

/** Running totals of one `runWork` call. Tokens and cost count fresh answers only. */
export interface EngineStats {
  total: number;
  done: number;
  answered: number;
  cached: number;
  failed: number;
  retries: number;
  rateLimited: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  elapsedMs: number;
}

export interface WorkResult {
  /** Same order as the items; an item without an answer is in `failures`. */
  answers: AnswerRecord[];
  failures: WorkFailure[];
  stats: EngineStats;
}

/** Progress events; every event carries a snapshot of the totals of its `runWork` call. */
export type EngineEvent =
  | { type: "start"; stats: EngineStats }
  | {
      type: "answer";
      id: string;
      sample: number;
      cached: boolean;
      usage: Usage;
      costUsd?: number;
      stats: EngineStats;
    }
  | {
      type: "retry";
      id: string;
      sample: number;
      attempt: number;
      errorClass: string;
      message: string;
      delayMs: number;
      stats: EngineStats;
    }
  | { type: "failure"; id: string; sample: number; error: GenerateFailure; stats: EngineStats }
  | { type: "finish"; stats: EngineStats };

export interface RunWorkOptions {
  model: Model;
  items: WorkItem[];
  store: Store;
  /** Name of the run in the store's `runs` table. */
  runLabel?: string;
  /** Most requests in flight to the model's endpoint (default 8). */
  concurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** Timeout of one attempt (default 60 000 ms). */
  timeoutMs?: number;
  /** Aborting stops at once: in-flight work is abandoned, stored answers stay, the call rejects. */
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  /** Overrides of the retry limits and of the "never answered" cut-off (tests, benchmarks). */
  retry?: Partial<RetryPolicy>;
  /** Injected time and randomness (tests). */
  clock?: Clock;
  random?: () => number;
}
