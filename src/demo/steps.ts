/**
 * The two measurements the demo runs, through the other areas' library functions: ICE re-judging of
 * a paper transcript file (lee2025 importer + embedded claim analyser + ICE scoring) and lineage
 * attribution over an AlpacaEval corpus (AlpacaEval loader + lineage statistic).
 */
import { loadAlpacaEvalCorpus } from "../corpus/alpacaeval.ts";
import { judgeIceFile } from "../metrics/ice-judge.ts";
import { lineageEvidenceInParallel, runLineage } from "../metrics/lineage.ts";

/** Re-judges one `attack_result` JSONL file with the embedded judge; returns the ICE result JSON. */
export async function judgeAttackFile(input: {
  file: string;
  identity: string;
  target: string;
}): Promise<Record<string, unknown>> {
  const result = await judgeIceFile({ file: input.file, format: "lee2025", identity: input.identity });
  return { ...result, target: input.target };
}

/** Lineage attribution over an AlpacaEval `results/` folder: every model not a candidate is a student. */
export async function lineageOnCorpus(input: {
  directory: string;
  candidates: readonly string[];
  seed?: number;
}): Promise<Record<string, unknown>> {
  const corpus = loadAlpacaEvalCorpus(input.directory);
  const result = runLineage(
    corpus,
    {
      candidates: [...input.candidates],
      ...(input.seed !== undefined ? { seed: input.seed } : {}),
    },
    await lineageEvidenceInParallel(corpus),
  );
  return { ...result, label: "AlpacaEval answers" } as unknown as Record<string, unknown>;
}
