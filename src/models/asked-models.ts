/**
 * Which models a result asked, in which role, and where: the evidence that tells a provider's real API
 * from a local stand-in serving the same model id. `endpoint` is `Model.endpoint` (host and port, plus a
 * base URL path that is not the provider's usual root; models/endpoint-identity.ts): never a key, query
 * or user info.
 */
import type { Model } from "./types.ts";

export type AskedRole = "target" | "reference" | "judge" | "helper";

export interface AskedModel {
  role: AskedRole;
  /** The model id as the user wrote it, e.g. "anthropic:claude-sonnet-4". */
  id: string;
  endpoint: string;
}

/** One entry per model and role, in the order given; absent models (no helper, an embedded judge) skipped. */
export function askedModels(
  entries: ReadonlyArray<{ role: AskedRole; model: Model | undefined }>,
): AskedModel[] {
  const asked: AskedModel[] = [];
  for (const { role, model } of entries) {
    if (model === undefined) continue;
    if (
      asked.some((entry) => entry.role === role && entry.id === model.id && entry.endpoint === model.endpoint)
    )
      continue;
    asked.push({ role, id: model.id, endpoint: model.endpoint });
  }
  return asked;
}
