/**
 * `distinctiveSimilarity` over several threads. Every prompt is computed on its own (its IDF is taken over
 * the answers to that prompt only), so the prompts split into contiguous ranges, one per worker thread, and
 * the ranges are laid side by side. The result is the same, value for value, as the single-threaded
 * function. The main thread only waits, so it stays free for a progress display and for Ctrl-C. Small
 * corpora stay on the main thread: starting a worker and copying answers to it costs more than it saves.
 */
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { distinctiveSimilarity } from "./distinctive.ts";
import type { PairwiseSimilarity } from "./pairwise.ts";

/** What one worker is given: the answers and prompt texts of its range of prompts. */
export interface DistinctiveRange {
  answers: string[][];
  promptTexts?: (string | undefined)[];
}

export interface ParallelOptions {
  /** Threads to use, the main one included (default: the machine's available parallelism). */
  threads?: number;
  /** Below this many answers (models x prompts) everything runs on the main thread (default 40,000). */
  minimumAnswers?: number;
  /** Called as prompts are done (in worker threads: every few prompts), with the count so far. */
  onProgress?: (promptsDone: number, prompts: number) => void;
  /** Overrides the worker module (tests: a worker that fails). */
  workerModule?: URL;
  /**
   * Cancels the computation: every worker thread is terminated and the promise rejects with the signal's
   * reason. On the main thread (a small corpus) the signal is read before the computation only.
   */
  signal?: AbortSignal;
}

/** What a worker posts: progress (prompts done in its range so far), then its values or an error. */
export type WorkerMessage = { done: number } | { values: Float32Array } | { error: string };

// The worker module sits beside this one, with the same extension (`.ts` from source, `.js` once built).
const workerUrl = new URL(`./distinctive-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

function rangeOf(
  answers: readonly (readonly string[])[],
  promptTexts: readonly (string | undefined)[] | undefined,
  start: number,
  end: number,
): DistinctiveRange {
  return {
    answers: answers.map((row) => row.slice(start, end)),
    ...(promptTexts ? { promptTexts: promptTexts.slice(start, end) } : {}),
  };
}

/** Starts one worker on `range`; its promise settles with the values or the reason it failed. */
function inWorker(
  module: URL,
  range: DistinctiveRange,
  onDone: (done: number) => void,
): { worker: Worker; values: Promise<Float32Array> } {
  const worker = new Worker(module, { workerData: range });
  const values = new Promise<Float32Array>((resolve, reject) => {
    worker.on("message", (message: WorkerMessage) => {
      if ("done" in message) onDone(message.done);
      else if ("error" in message) reject(new Error(`similarity worker: ${message.error}`));
      else resolve(message.values);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`similarity worker stopped (exit ${code})`)));
  });
  return { worker, values };
}

/** A promise that rejects with the signal's reason when it aborts (never without a signal). */
function whenAborted(signal: AbortSignal | undefined): { promise: Promise<never>; dispose: () => void } {
  if (signal === undefined) return { promise: new Promise<never>(() => {}), dispose: () => {} };
  let onAbort = (): void => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}

/** `distinctiveSimilarity(answers, promptTexts)`, computed on up to `threads` threads. */
export async function distinctiveSimilarityInParallel(
  answers: readonly (readonly string[])[],
  promptTexts?: readonly (string | undefined)[],
  options: ParallelOptions = {},
): Promise<PairwiseSimilarity> {
  const models = answers.length;
  const prompts = answers[0]?.length ?? 0;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), prompts));
  const report = options.onProgress;
  const { signal } = options;
  signal?.throwIfAborted();
  if (threads === 1 || models * prompts < (options.minimumAnswers ?? 40_000))
    return distinctiveSimilarity(answers, promptTexts, report && ((done) => report(done, prompts)));
  const bounds = Array.from({ length: threads + 1 }, (_, index) => Math.round((index * prompts) / threads));
  const doneByRange = new Array<number>(threads).fill(0);
  const workers: ReturnType<typeof inWorker>[] = [];
  const aborted = whenAborted(signal);
  let parts: Float32Array[];
  try {
    for (const [index, start] of bounds.slice(0, -1).entries())
      workers.push(
        inWorker(
          options.workerModule ?? workerUrl,
          rangeOf(answers, promptTexts, start, bounds[index + 1]!),
          (done) => {
            doneByRange[index] = done;
            report?.(
              doneByRange.reduce((total, count) => total + count, 0),
              prompts,
            );
          },
        ),
      );
    parts = await Promise.race([Promise.all(workers.map((work) => work.values)), aborted.promise]);
  } catch {
    // Aborted: every worker is stopped before the promise rejects, so none outlives the call.
    // A worker that could not start or died (no memory for another thread, say): the others are
    // stopped and the main thread computes everything, as it does for a small corpus. An error in the
    // computation itself happens again there and is reported as it would be without workers.
    await Promise.all(
      workers.map(({ worker, values }) => {
        values.catch(() => {});
        return worker.terminate();
      }),
    );
    if (signal?.aborted) throw signal.reason;
    return distinctiveSimilarity(answers, promptTexts, report && ((done) => report(done, prompts)));
  } finally {
    aborted.dispose();
  }
  const square = models * models;
  const values = new Float32Array(prompts * square);
  parts.forEach((part, index) => {
    values.set(part, bounds[index]! * square);
  });
  return { models, prompts, values };
}
