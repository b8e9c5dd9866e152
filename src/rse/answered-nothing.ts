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

/** A collection failure that is a turn never asked (an earlier turn failed or was empty). */
function notAsked(error: string): boolean {
  return error.startsWith("not asked: ");
}

/** What one model that answered nothing did instead, e.g. "all 2 turns failed (retryable: ...)". */
function why(
  result: RseResult,
  model: string,
): { text: string; failed: number; rateLimited: number; empty: number } {
  const count = result.answerCounts[model]!;
  const failures = result.failures.collection.filter((failure) => failure.model === model);
  const skipped = failures.filter((failure) => notAsked(failure.error));
  const failed = count.failed - skipped.length;
  const rateLimited = failures.filter((failure) => failure.error.startsWith(rateLimitedPrefix)).length;
  const parts: string[] = [];
  if (failed > 0) {
    const first = failures.find((failure) => !notAsked(failure.error))?.error ?? "";
    const shown = first.length > 160 ? `${first.slice(0, 160)}...` : first;
    parts.push(`${failed} failed${shown === "" ? "" : ` (${shown.replace(/\s+/g, " ")})`}`);
  }
  if (count.empty > 0) parts.push(`${count.empty} empty`);
  if (skipped.length > 0)
    parts.push(`${skipped.length} not asked (${skipped[0]!.error.slice("not asked: ".length)})`);
  return {
    text: `none of ${count.turns} turns answered: ${parts.join(", ")}`,
    failed,
    rateLimited,
    empty: count.empty,
  };
}

/** How a failure that the provider's rate limit caused begins (the error class, as the engine records it). */
const rateLimitedPrefix = "rate_limited: ";

/**
 * Throws a RuntimeFailure (exit 3) when the target or a reference has no usable answer. The advice is
 * what a rerun really does: failures are never stored, so the same command asks those turns again; empty
 * answers are stored like any answer, so the same command gets them back from the store (0 requests)
 * and only another --home asks again (a replayed model stores nothing: its file is read again). `home`
 * (the store's folder) is named when given.
 */
/** A model asked at least one turn that gave no usable answer to any: nothing was measured against it. */
export function answeredNothing(count: { turns: number; answered: number } | undefined): boolean {
  return count !== undefined && count.turns > 0 && count.answered === 0;
}

export function failWhenModelAnsweredNothing(
  result: RseResult,
  models: readonly Model[],
  outFile: string,
  home?: string,
): void {
  const silent = models.filter((model) => answeredNothing(result.answerCounts[model.id]));
  if (silent.length === 0) return;
  const role = (model: Model) => (model.id === result.target ? "target" : "reference");
  let failed = 0;
  let rateLimited = 0;
  let emptyStored = 0;
  let emptyReplayed = 0;
  const named = silent.map((model) => {
    const reason = why(result, model.id);
    failed += reason.failed;
    rateLimited += reason.rateLimited;
    // A model that is not cacheable (replay) stores nothing: its next run reads its file again.
    if (model.cacheable === false) emptyReplayed += reason.empty;
    else emptyStored += reason.empty;
    return `${role(model)} ${model.id} at ${model.endpoint}: ${reason.text}`;
  });
  // A model that only ever answered 429 was reached with the right id and key: the fix is the pace.
  const onlyRateLimited = rateLimited > 0 && rateLimited === failed && emptyStored + emptyReplayed === 0;
  const advice = onlyRateLimited ? [] : ["check the model id, its endpoint and key"];
  if (rateLimited > 0)
    advice.push(
      "the provider kept refusing with 429 (rate limited) after every retry: lower --concurrency or set " +
        "--rpm / --tpm to its limits (or wait for its quota to reset)",
    );
  if (failed > 0)
    advice.push("failed turns are not stored, so running the same command again asks them again");
  if (emptyReplayed > 0)
    advice.push("replayed answers are read from the transcript file on every run, so fix the file");
  if (emptyStored > 0)
    advice.push(
      "empty answers are stored like any answer and the same command reuses them without asking; " +
        `to ask again, run with a new --home folder${home === undefined ? "" : ` (this store is in ${home})`}`,
    );
  throw new RuntimeFailure(
    `${named.join("; ")}; nothing was measured against ${silent.length === 1 ? "it" : "them"} ` +
      `(each failure is in ${outFile}); ${advice.join("; ")}`,
  );
}
