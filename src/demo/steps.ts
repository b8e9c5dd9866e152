/**
 * The two measurements the demo runs, through the other areas' library functions: ICE re-judging of
 * a paper transcript file (lee2025 importer + embedded claim analyser + ICE scoring) and lineage
 * attribution over an AlpacaEval corpus.
 */
import { judgeIceFile } from "../metrics/ice-judge.ts";

/** Re-judges one `attack_result` JSONL file with the embedded judge; returns the ICE result JSON. */
export async function judgeAttackFile(input: {
  file: string;
  identity: string;
  target: string;
}): Promise<Record<string, unknown>> {
  const result = await judgeIceFile({ file: input.file, format: "lee2025", identity: input.identity });
  return { ...result, target: input.target };
}

/** Whether this build has the lineage module (src/metrics/lineage.ts); the demo skips lineage without it. */
export const lineageAvailable = false;

/**
 * Lineage attribution over an AlpacaEval folder; undefined while the lineage module
 * (src/metrics/lineage.ts, engineer E) is not in this build.
 */
export async function lineageOnCorpus(_input: {
  directory: string;
  candidates: readonly string[];
}): Promise<Record<string, unknown> | undefined> {
  return undefined;
}
