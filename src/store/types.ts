import type { ChatMessage, ModelErrorClass, RecordedParameters, Usage } from "../models/types.ts";

/** One answer as the store keeps it: everything needed to export it and to serve it from the cache. */
export interface StoredAnswer {
  id: string;
  sample: number;
  /** The model id, `provider:model`. */
  model: string;
  /**
   * `Model.endpoint` of the endpoint that answered: host and port, plus its path when not the provider's
   * usual one (never a full URL with credentials).
   */
  endpoint: string;
  messages: ChatMessage[];
  /** As asked (the cache key is made of them), with `sentWithout` when the model refused some. */
  parameters: RecordedParameters;
  response: string;
  usage: Usage;
  costUsd?: number;
  latencyMs: number;
  finishReason?: string;
  /** Attempts it took, retries included. */
  attempts: number;
}

/** One attempt sent to a provider, whatever its outcome. */
export interface RequestAttempt {
  cacheKey: string;
  id: string;
  sample: number;
  attempt: number;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  /** "ok" or the error class of the failed attempt ("timeout" for a request the engine timed out). */
  outcome: string;
  status?: number;
}

/** A final failure of one item: recorded for the record, never cached. */
export interface StoredError {
  cacheKey: string;
  id: string;
  sample: number;
  model: string;
  errorClass: ModelErrorClass;
  status?: number;
  message: string;
  attempts: number;
}

export interface StoreCounts {
  runs: number;
  requests: number;
  answers: number;
  errors: number;
  cache: number;
}
