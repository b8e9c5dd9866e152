/**
 * Bench (a): 6,000 prompts at concurrency 64 against a zero-latency loopback server (in its own process).
 * Throughput of the engine with the store on (runWork + the openai adapter + node:sqlite) against a bare
 * keep-alive node:http client making the same requests in the same run. Bar: ratio >= 0.8.
 * Runs each side twice, alternating, and keeps each side's best. Reports peak RSS of this process.
 * Usage: node scripts/bench/collect-throughput.ts [prompts]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runWork } from "../../src/engine/run-work.ts";
import type { WorkItem } from "../../src/engine/types.ts";
import { createModel } from "../../src/models/registry.ts";
import { openStore } from "../../src/store/store.ts";
import { bareClientRun, promptText, startServerProcess, verdict } from "./_collect-common.ts";

const count = Number(process.argv[2] ?? 6000);
const concurrency = 64;
const apiKey = "bench-throughput-key";
const server = await startServerProcess({ latencyMs: 0, apiKey });
const scratch = mkdtempSync(join(tmpdir(), "distillscope-bench-a-"));

async function engineRun(round: number): Promise<number> {
  const home = join(scratch, `home-${round}`);
  const store = openStore(home);
  const model = createModel("openai:bench-model", {
    baseUrl: server.openaiBaseUrl,
    environment: { OPENAI_API_KEY: apiKey },
  });
  const items: WorkItem[] = Array.from({ length: count }, (_, index) => ({
    id: `p${index}`,
    request: { messages: [{ role: "user", content: promptText(index) }], temperature: 0 },
  }));
  const started = performance.now();
  const result = await runWork({ model, items, store, concurrency, timeoutMs: 30_000, runLabel: "bench" });
  const seconds = (performance.now() - started) / 1000;
  if (result.answers.length !== count)
    throw new Error(`engine answered ${result.answers.length} of ${count}`);
  if (store.counts().answers !== count) throw new Error("not every answer is in the store");
  store.close();
  return seconds;
}

const prompts = Array.from({ length: count }, (_, index) => promptText(index));
// Warm-up of both paths (JIT, sockets) on a few hundred requests.
await bareClientRun(server.openaiBaseUrl, "bench-model", prompts.slice(0, 300), concurrency, apiKey);
const bareSeconds: number[] = [];
const engineSeconds: number[] = [];
for (let round = 0; round < 2; round++) {
  bareSeconds.push(
    (await bareClientRun(server.openaiBaseUrl, "bench-model", prompts, concurrency, apiKey)).seconds,
  );
  engineSeconds.push(await engineRun(round));
}
await server.close();
rmSync(scratch, { recursive: true, force: true });

const bareRate = count / Math.min(...bareSeconds);
const engineRate = count / Math.min(...engineSeconds);
const ratio = engineRate / bareRate;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `prompts ${count}, concurrency ${concurrency}\n` +
    `bare keep-alive node:http: ${bareSeconds.map((seconds) => seconds.toFixed(2)).join(" / ")} s -> best ${bareRate.toFixed(0)} req/s\n` +
    `engine + store (runWork, openai adapter, node:sqlite): ${engineSeconds.map((seconds) => seconds.toFixed(2)).join(" / ")} s -> best ${engineRate.toFixed(0)} req/s\n` +
    `ratio engine/bare: ${ratio.toFixed(2)}\n` +
    `peak RSS of this process (both clients): ${peakRssMb.toFixed(0)} MB\n`,
);
verdict(ratio >= 0.8, `engine throughput is ${ratio.toFixed(2)} of the bare client (bar >= 0.80)`);
