import { hash } from "node:crypto";
import type { ChatMessage, GenerationParameters } from "../models/types.ts";

/** What identifies one answer in the cache. Never holds a secret: no key, no header, no full URL. */
export interface CacheKeyInput {
  provider: string;
  model: string;
  /** Host and port of the endpoint (models/types.ts `Model.endpoint`). */
  endpoint: string;
  messages: readonly ChatMessage[];
  parameters: GenerationParameters;
  sample: number;
}

/** Bumped when the key's layout changes, so that old entries stop matching instead of matching wrongly. */
const cacheKeyVersion = 1;

/** The generation parameters that take part in the key (streaming does not change the answer). */
export function keyParameters(parameters: GenerationParameters): GenerationParameters {
  return {
    temperature: parameters.temperature,
    topP: parameters.topP,
    maxTokens: parameters.maxTokens,
    seed: parameters.seed,
    stop: parameters.stop,
  };
}

/**
 * SHA-256 (hex) of the key fields laid out as a fixed-position JSON array: canonical by construction
 * (no key order to normalise) and cheap, since it is computed for every item of every run.
 */
export function cacheKey(input: CacheKeyInput): string {
  const parameters = input.parameters;
  const canonical = JSON.stringify([
    cacheKeyVersion,
    input.provider,
    input.model,
    input.endpoint,
    input.messages.map((message) => [message.role, message.content]),
    [
      parameters.temperature ?? null,
      parameters.topP ?? null,
      parameters.maxTokens ?? null,
      parameters.seed ?? null,
      parameters.stop ?? null,
    ],
    input.sample,
  ]);
  // crypto.hash: the one-shot form, about twice as fast as createHash().update().digest() on short input.
  return hash("sha256", canonical, "hex");
}
