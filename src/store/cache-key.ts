import { hash } from "node:crypto";
import type { ChatMessage, GenerationParameters } from "../models/types.ts";

/** What identifies one answer in the cache. Never holds a secret: no key, no header, no full URL. */
export interface CacheKeyInput {
  provider: string;
  model: string;
  /**
   * Host and port of the endpoint, plus its path when not the provider's usual one (models/types.ts
   * `Model.endpoint`): a usual base URL keys as the bare host, as it did before paths counted, so no
   * layout version bump.
   */
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
 * The key is made of the parameters as asked, never of those actually sent. When a model refuses a
 * parameter (models/parameter-fallback.ts: OpenAI's reasoning models and temperature), its answer is
 * stored under the key of the request that carried it, with `parameters.sentWithout` saying what was
 * left out. Serving that answer again for the same request (same model, endpoint, messages, parameters
 * and sample) is right: that model refuses the parameter every time, so the request it gets is the same
 * one, and a re-run does not pay again. Any other request keeps its own key: one without a temperature,
 * or with another, is asked again (the model's default sampling is not deterministic across samples,
 * and `sample` stays in the key). `sentWithout` is left out of the key, so an import rebuilds it.
 *
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
