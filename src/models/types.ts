/**
 * The one small model interface every adapter implements, and the classified errors it returns.
 * Adapters never retry and never sleep: the engine owns the single retry layer.
 */

export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

/** Generation parameters that take part in the cache key. */
export interface GenerationParameters {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string[];
}

/**
 * A sampling parameter some models refuse (OpenAI's reasoning models, some Claude models): the adapter
 * then sends the request without it (see parameter-fallback.ts) and the answer says so.
 */
export type DroppableParameter = "temperature" | "topP";

/**
 * The parameters recorded with an answer: those asked for (they make the cache key) plus the ones the
 * model refused, which were not sent (the model ran at its provider's default for them).
 */
export interface RecordedParameters extends GenerationParameters {
  sentWithout?: DroppableParameter[];
}

export interface GenerateRequest extends GenerationParameters {
  messages: ChatMessage[];
  /** Ask the adapter to stream when the provider supports it (the result is the same). */
  stream?: boolean;
  /** Sample index of repeated sampling; only replay uses it (to pick the recorded sample). */
  sample?: number;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
}

export interface GenerateSuccess {
  ok: true;
  text: string;
  usage: Usage;
  /** Cost in US dollars from the price table, when the model is known. */
  costUsd?: number;
  /** Provider's finish reason, normalised: stop, length, content_filter, tool_calls, other. */
  finishReason?: string;
  /** The model name the provider reports it used. */
  responseModel?: string;
  /** Parameters of the request the model refused, so it was answered without them (at its default). */
  sentWithout?: DroppableParameter[];
}

/**
 * retryable: transient (5xx, 408, 409, timeouts, resets, unparseable bodies).
 * rate_limited: 429; retryAfterMs when the server said how long to wait.
 * fatal: retrying cannot help (401, 403, 400, unknown model, missing key); stops the run.
 * refused: the model answered but declined or the content filter stopped it; recorded, not retried.
 * too_long: this request is over the model's context window (or the endpoint's size limit); recorded for
 *   that item, not retried, and the run goes on (another prompt may fit).
 */
export type ModelErrorClass = "retryable" | "rate_limited" | "fatal" | "refused" | "too_long";

export interface GenerateFailure {
  ok: false;
  errorClass: ModelErrorClass;
  /** One line, never containing a secret. */
  message: string;
  status?: number;
  retryAfterMs?: number;
  /** For fatal errors: the env variable or flag the user should fix, e.g. "OPENAI_API_KEY". */
  fix?: string;
  /** A 400 saying the model does not take this parameter: the request may be sent again without it. */
  unsupportedParameter?: DroppableParameter;
}

export type GenerateResult = GenerateSuccess | GenerateFailure;

export interface Model {
  /** The id as the user wrote it, e.g. "openai:gpt-4o-mini". */
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  /**
   * Host (and port) of the endpoint, plus the base URL's path when it is not the provider's usual API root
   * (`gw:8080/team-a/v1`; models/endpoint-identity.ts): part of the cache key, the concurrency and rate-limit
   * scope, and the name in messages and transcripts. Never a secret: no user info, query or fragment.
   */
  readonly endpoint: string;
  /**
   * false: the engine neither serves this model's answers from the store nor stores them (a local, free
   * source such as replay, whose answers are whatever its file says now). Absent: cached like any model.
   */
  readonly cacheable?: boolean;
  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult>;
}
