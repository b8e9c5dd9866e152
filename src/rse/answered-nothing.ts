/**
 * After an RSE result is written: a requested model (the target or any reference) that gave no usable
 * answer at all measured nothing, so the command fails (exit 3) with one line naming the model and its
 * endpoint, as it does for an LLM judge that gave no verdict. The result file is kept as the record.
 * A reference that answered nothing fails the run even when the other references were scored: its
 * comparisons have n = 0, and a script checking the exit status must not read that as a measurement.
 */
import { RuntimeFailure } from "../errors.ts";
import type { Model } from "../models/types.ts";
import type { RseResult } from "./run.ts";

/** What one model that answered nothing did instead, e.g. "all 2 turns failed (retryable: ...)". */
function why(result: RseResult, model: string): string {
  const count = result.answerCounts[model]!;
  const parts: string[] = [];
  if (count.failed > 0) {
    const first = result.failures.collection.find((failure) => failure.model === model)?.error ?? "";
    const shown = first.length > 160 ? `${first.slice(0, 160)}...` : first;
    parts.push(`${count.failed} failed${shown === "" ? "" : ` (${shown.replace(/\s+/g, " ")})`}`);
  }
  if (count.empty > 0) parts.push(`${count.empty} empty`);
  return `none of ${count.turns} turns answered: ${parts.join(", ")}`;
}

/** Throws a RuntimeFailure (exit 3) when the target or a reference has no usable answer. */
export function failWhenModelAnsweredNothing(
  result: RseResult,
  models: readonly Model[],
  outFile: string,
): void {
  const silent = models.filter((model) => {
    const count = result.answerCounts[model.id];
    return count !== undefined && count.turns > 0 && count.answered === 0;
  });
  if (silent.length === 0) return;
  const role = (model: Model) => (model.id === result.target ? "target" : "reference");
  const named = silent.map(
    (model) => `${role(model)} ${model.id} at ${model.endpoint}: ${why(result, model.id)}`,
  );
  throw new RuntimeFailure(
    `${named.join("; ")}; nothing was measured against ${silent.length === 1 ? "it" : "them"} ` +
      `(each failure is in ${outFile}); check the model id, its endpoint and key, then run again`,
  );
}
