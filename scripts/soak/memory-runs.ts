/**
 * Soak: memory stays flat over many `collect` runs in one process (as in an audit or the demo, which
 * collect from several targets in turn). Six runs of 5,000 prompts through the engine and the store, each
 * against a fresh loopback server (a new endpoint); the heap after a full GC is measured after each run
 * and must not keep growing. Usage: node --expose-gc scripts/soak/memory-runs.ts [runs] [prompts]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collect } from "../../src/engine/collect.ts";
import { createModel } from "../../src/models/registry.ts";
import { openStore } from "../../src/store/store.ts";
import { startServerProcess, writePrompts } from "../bench/_collect-common.ts";
import { heapAfterGc, megabytes } from "./_soak-common.ts";

const runs = Number(process.argv[2] ?? 6);
const prompts = Number(process.argv[3] ?? 5000);
if (heapAfterGc() === undefined) {
  process.stdout.write("needs --expose-gc (node scripts/run-all.ts soak passes it)\n");
  process.exit(2);
}
const apiKey = "soak-memory-key";
const scratch = mkdtempSync(join(tmpdir(), "distillscope-soak-memory-"));
const promptFile = join(scratch, "prompts.jsonl");
writePrompts(promptFile, prompts);
const heaps: number[] = [];
try {
  for (let run = 0; run < runs; run++) {
    const server = await startServerProcess({ latencyMs: 0, apiKey }, "truth");
    const store = openStore(join(scratch, `home-${run}`));
    try {
      const outcome = await collect({
        model: createModel("openai:memory-model", {
          baseUrl: server.openaiBaseUrl,
          environment: { OPENAI_API_KEY: apiKey },
        }),
        store,
        promptsPath: promptFile,
        outPath: join(scratch, `out-${run}.jsonl`),
        concurrency: 64,
      });
      if (outcome.written !== prompts) throw new Error(`run ${run + 1}: ${outcome.written} lines`);
    } finally {
      store.close();
      await server.close();
    }
    heaps.push(heapAfterGc() ?? 0);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const growth = (heaps.at(-1) ?? 0) - (heaps[0] ?? 0);
process.stdout.write(
  `${runs} runs of ${prompts} prompts, each against a new endpoint: heap after GC ${heaps.map((heap) => megabytes(heap)).join(" -> ")} MB\n` +
    `growth from run 1 to run ${runs}: ${megabytes(growth)} MB\n`,
);
const flat = growth < 4 * 1024 * 1024;
process.stdout.write(`${flat ? "PASS" : "FAIL"}: heap flat over ${runs} runs (growth < 4 MB)\n`);
if (!flat) process.exitCode = 1;
