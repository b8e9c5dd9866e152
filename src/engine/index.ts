/** The engine's public API: open the store, run work through the scheduler and the retry layer. */

export { cacheKey } from "../store/cache-key.ts";
export { openStore, type Store } from "../store/store.ts";
export type { StoredAnswer } from "../store/types.ts";
export { type Clock, systemClock } from "./clock.ts";
export { defaultRetryPolicy, type RetryPolicy } from "./retry-policy.ts";
export { defaultConcurrency, defaultTimeoutMs, runWork } from "./run-work.ts";
export type {
  AnswerRecord,
  EngineEvent,
  EngineStats,
  RunWorkOptions,
  WorkFailure,
  WorkItem,
  WorkResult,
} from "./types.ts";
