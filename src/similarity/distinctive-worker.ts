/**
 * Worker side of `distinctiveSimilarityInParallel`: computes one range of prompts and hands the values
 * back without copying them (the buffer is transferred).
 */
import { parentPort, workerData } from "node:worker_threads";
import { distinctiveSimilarity } from "./distinctive.ts";
import type { DistinctiveRange, WorkerMessage } from "./distinctive-parallel.ts";

const range = workerData as DistinctiveRange;
const post = (message: WorkerMessage, transfer?: ArrayBuffer[]) => parentPort?.postMessage(message, transfer);
try {
  const { values } = distinctiveSimilarity(range.answers, range.promptTexts, (done) => {
    if (done % 16 === 0) post({ done });
  });
  post({ done: range.answers[0]?.length ?? 0 });
  post({ values }, [values.buffer as ArrayBuffer]);
} catch (error) {
  post({ error: error instanceof Error ? error.message : String(error) });
}
