/** Pieces every adapter shares: building a success with cost, and the failure context. */
import { costFor } from "./prices.ts";
import type { GenerateResult, Usage } from "./types.ts";

/** A successful result with the cost filled from the price table when known. */
export function success(
  provider: string,
  model: string,
  text: string,
  usage: Usage,
  finishReason?: string,
  responseModel?: unknown,
): GenerateResult {
  const result: GenerateResult = { ok: true, text, usage };
  const cost = costFor(provider, model, usage);
  if (cost !== undefined) result.costUsd = cost;
  if (finishReason !== undefined) result.finishReason = finishReason;
  if (typeof responseModel === "string") result.responseModel = responseModel;
  return result;
}
