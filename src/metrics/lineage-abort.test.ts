import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import { RuntimeFailure } from "../errors.ts";
import { lineageEvidenceInParallel, runLineage } from "./lineage.ts";
import { syntheticCorpus } from "./lineage-synthetic.ts";

const folder = mkdtempSync(join(tmpdir(), "lineage-abort-"));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Every worker thread started while `work` runs (Node announces each on the process). */
async function watchingWorkers<T>(work: () => Promise<T>): Promise<{ workers: Worker[]; outcome: unknown }> {
  const workers: Worker[] = [];
  const onWorker = (worker: Worker) => workers.push(worker);
  process.on("worker", onWorker);
  try {
    return { workers, outcome: await work().catch((error: unknown) => error) };
  } finally {
    process.off("worker", onWorker);
  }
}

const interrupted = (error: unknown): boolean =>
  error instanceof RuntimeFailure &&
  /^interrupted: lineage stopped during the similarity/.test(error.message);

test("aborted mid-run, the parallel similarity rejects as the run functions do and no worker thread remains", {
  timeout: 30_000,
}, async () => {
  const corpus = syntheticCorpus(3);
  const controller = new AbortController();
  let progressReports = 0;
  const { workers, outcome } = await watchingWorkers(() =>
    lineageEvidenceInParallel(corpus, {
      threads: 2,
      minimumAnswers: 0,
      signal: controller.signal,
      onProgress: () => {
        progressReports++;
        controller.abort();
      },
    }),
  );
  assert.ok(progressReports >= 1, "the run was under way when it was aborted");
  assert.equal(workers.length, 2, "the similarity ran on worker threads");
  assert.ok(interrupted(outcome), String(outcome));
  for (const worker of workers) assert.equal(worker.threadId, -1, "every worker thread has exited");
});

test("a worker that would never finish is terminated on abort (it does not hold the process)", {
  timeout: 30_000,
}, async () => {
  // A worker stuck in a loop: only terminate() ends it, so a missing terminate leaves it (and the test) hanging.
  const stuck = join(folder, "stuck-worker.mjs");
  writeFileSync(
    stuck,
    'import { parentPort } from "node:worker_threads";\nparentPort.postMessage({ done: 1 });\nfor (;;) {}\n',
  );
  const controller = new AbortController();
  const { workers, outcome } = await watchingWorkers(() =>
    lineageEvidenceInParallel(syntheticCorpus(4), {
      threads: 3,
      minimumAnswers: 0,
      workerModule: pathToFileURL(stuck),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }),
  );
  assert.equal(workers.length, 3);
  assert.ok(interrupted(outcome), String(outcome));
  for (const worker of workers) assert.equal(worker.threadId, -1, "every worker thread has exited");
});

test("runLineage with an aborted signal stops before the similarity; an unaborted one changes nothing", async () => {
  const corpus = syntheticCorpus(5);
  const options = { candidates: ["teachera", "teacherb", "teacherc"] };
  const aborted = AbortSignal.abort();
  assert.throws(
    () => runLineage(corpus, { ...options, signal: aborted }),
    (error: unknown) =>
      error instanceof RuntimeFailure &&
      /^interrupted: lineage stopped before the similarity/.test(error.message),
  );
  const { workers, outcome } = await watchingWorkers(() =>
    lineageEvidenceInParallel(corpus, { threads: 2, minimumAnswers: 0, signal: aborted }),
  );
  assert.equal(workers.length, 0, "an aborted signal starts no worker");
  assert.ok(
    outcome instanceof RuntimeFailure && /before the similarity/.test(outcome.message),
    String(outcome),
  );

  const signal = new AbortController().signal;
  const evidence = await lineageEvidenceInParallel(corpus, { threads: 2, minimumAnswers: 0, signal });
  const withSignal = runLineage(corpus, { ...options, signal }, evidence);
  const without = runLineage(corpus, options);
  assert.deepEqual(
    withSignal.attributions.map(({ model, teacher, pValue }) => ({ model, teacher, pValue })),
    without.attributions.map(({ model, teacher, pValue }) => ({ model, teacher, pValue })),
  );
});

test("a signal that is not an AbortSignal, or evidence that is not lineage evidence, is an InputError", () => {
  const corpus = syntheticCorpus(5);
  assert.throws(
    () => runLineage(corpus, { signal: { aborted: true } as never }),
    /^InputError: signal must be an AbortSignal when given/,
  );
  assert.throws(
    () => runLineage(corpus, {}, { relative: [] } as never),
    /^InputError: runLineage: evidence \(the third argument\) must be what lineageEvidenceInParallel returned for this corpus, got an object$/,
  );
});
