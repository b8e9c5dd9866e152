import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Worker } from "node:worker_threads";
import { mainInProcess } from "../../testing/main-in-process.ts";

const folder = mkdtempSync(join(tmpdir(), "lineage-interrupt-"));
after(() => rmSync(folder, { recursive: true, force: true }));

test("Ctrl-C during lineage's similarity: exit 3 with one line, no result written, no worker thread left", {
  timeout: 60_000,
}, async () => {
  // 20 models x 2,000 prompts = 40,000 answers: the size at which the CLI moves the similarity to workers.
  const models = 20;
  const prompts = 2000;
  const lines: string[] = [];
  for (let model = 0; model < models; model++)
    for (let prompt = 0; prompt < prompts; prompt++)
      lines.push(
        JSON.stringify({
          id: `p${prompt}`,
          model: `model${model}`,
          response: `answer ${prompt} habit${model} topic${prompt % 97} word${(prompt * (model + 3)) % 211}`,
        }),
      );
  const corpus = join(folder, "corpus");
  mkdirSync(corpus);
  writeFileSync(join(corpus, "answers.jsonl"), `${lines.join("\n")}\n`);
  const out = join(folder, "lineage.json");

  // Ctrl-C as the first worker thread starts: the similarity is under way.
  const workers: Worker[] = [];
  const onWorker = (worker: Worker) => {
    workers.push(worker);
    if (workers.length === 1) setImmediate(() => process.emit("SIGINT"));
  };
  process.on("worker", onWorker);
  let run: { status: number; stderr: string };
  try {
    run = await mainInProcess(["lineage", corpus, "--format", "jsonl", "--threads", "2", "--out", out]);
  } finally {
    process.off("worker", onWorker);
  }
  assert.equal(workers.length, 2, "the similarity ran on worker threads");
  assert.equal(run.status, 3, run.stderr);
  assert.match(
    run.stderr.trim().split("\n").at(-1) ?? "",
    /^distillscope: interrupted: lineage stopped during the similarity; no result was made \(run it again\)$/,
  );
  assert.equal(existsSync(out), false, "no result from an interrupted run");
  for (const worker of workers) assert.equal(worker.threadId, -1, "every worker thread has exited");
  assert.equal(process.listenerCount("SIGINT"), 0, "the Ctrl-C handler does not outlive the command");
});
