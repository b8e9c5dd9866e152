/**
 * After an `ice run` result is written: a target that answered none of its queries (every one failed,
 * or was refused, after the engine's retries) measured nothing, so the command fails (exit 3) with one
 * line naming the target and its first failure, as `rse run` does for a silent model. The result file
 * is kept as the record.
 */
import { RuntimeFailure } from "../errors.ts";
import type { IceRunResult } from "./run.ts";

type Answered = Pick<IceRunResult, "target" | "items" | "failures">;

/** True when the target was asked at least once and no query got an answer. */
export function targetAnsweredNothing(result: Answered): boolean {
  return result.items.length === 0 && result.failures.length > 0;
}

export function failWhenTargetAnsweredNothing(result: Answered, outFile: string): void {
  if (!targetAnsweredNothing(result)) return;
  const first = result.failures[0]!;
  const shown = first.message.length > 160 ? `${first.message.slice(0, 160)}...` : first.message;
  throw new RuntimeFailure(
    `target ${result.target} answered none of its ${result.failures.length} queries ` +
      `(first: ${first.errorClass}: ${shown.replace(/\s+/g, " ")}), so nothing was measured ` +
      `(each failure is in ${outFile}); check the model id, its endpoint and key, then run the same command again`,
  );
}
