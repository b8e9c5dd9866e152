/**
 * Bench (a): 6,000 prompts at concurrency 64 against a zero-latency loopback server (in its own process).
 * Throughput of the engine with the store on (runWork + the openai adapter + node:sqlite) against a bare
 * keep-alive node:http client (Agent keepAlive, 64 in flight, same request bodies, parses every JSON
 * answer) making the same requests in the same run against the same server. After one uncounted full-size
 * warm-up run of each side, 21 rounds; each round gives one ratio, and the verdict uses the median ratio.
 * Bar: median ratio >= 0.8. Each side of a round takes only about half a second, so single rounds on this
 * shared virtual machine range widely; 21 rounds keep the median steady. Reports the peak RSS too.
 *
 * The adapters send requests with undici's request API, which costs less CPU a request than node:http.
 * So a third side, a bare undici client (a Pool of 64 keep-alive connections), shows what the engine and
 * the store cost beyond their own HTTP library; it is printed, not part of the verdict. The order of the
 * three sides rotates from round to round.
 *
 * No garbage collection is forced between the sides (the alternating order shares out whatever one side
 * leaves to the other). A forced full collection also throws away optimised code ("embedded weak objects
 * cleared": 325 deoptimisations in 6 rounds against 2 without), so every side restarts partly cold, the
 * engine (more code) more than the bare client: a cost no real `collect` run pays. `--gc-between-sides`
 * (with node --expose-gc) measures that way anyway, as this bench did before 29 Nov 2026.
 * Usage: node [--expose-gc] scripts/bench/collect-throughput.ts [prompts] [rounds] [--gc-between-sides]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runWork } from "../../src/engine/run-work.ts";
import type { WorkItem } from "../../src/engine/types.ts";
import { createModel } from "../../src/models/registry.ts";
import { openStore } from "../../src/store/store.ts";
import { bareClientRun, bareUndiciRun, promptText, startServerProcess, verdict } from "./_collect-common.ts";

/** The load average before anything runs (the bench itself keeps about 2 processes busy). */
const loadAtStart = loadavg();
const positional = process.argv.slice(2).filter((argument) => !argument.startsWith("--"));
const gcBetweenSides = process.argv.includes("--gc-between-sides");
const count = Number(positional[0] ?? 6000);
const rounds = Number(positional[1] ?? 21);
const concurrency = 64;
const apiKey = "bench-throughput-key";
const server = await startServerProcess({ latencyMs: 0, apiKey });
const scratch = mkdtempSync(join(tmpdir(), "distillscope-bench-a-"));
const prompts = Array.from({ length: count }, (_, index) => promptText(index));
const forcedGc = (globalThis as { gc?: () => void }).gc;
if (gcBetweenSides && forcedGc === undefined) throw new Error("--gc-between-sides needs node --expose-gc");
const collectGarbage = gcBetweenSides && forcedGc !== undefined ? forcedGc : () => {};

/** CPU microseconds per request of the last engine run (runWork and closing the store). */
let lastEngineCpu = 0;
/** Peak RSS seen while the engine runs (sampled every 50 ms). */
let enginePeakRss = 0;

/** One engine run into a fresh store; resolves with its seconds (runWork, then closing the store). */
async function engineRun(label: string, size: number): Promise<number> {
  const store = openStore(join(scratch, `home-${label}`));
  const model = createModel("openai:bench-model", {
    baseUrl: server.openaiBaseUrl,
    environment: { OPENAI_API_KEY: apiKey },
  });
  const items: WorkItem[] = prompts.slice(0, size).map((content, index) => ({
    id: `p${index}`,
    request: { messages: [{ role: "user", content }], temperature: 0 },
  }));
  const sampler = setInterval(() => {
    enginePeakRss = Math.max(enginePeakRss, process.memoryUsage.rss());
  }, 50);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await runWork({ model, items, store, concurrency, timeoutMs: 30_000, runLabel: "bench" });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  lastEngineCpu = (cpu.user + cpu.system) / size;
  clearInterval(sampler);
  enginePeakRss = Math.max(enginePeakRss, process.memoryUsage.rss());
  if (result.answers.length !== size) throw new Error(`engine answered ${result.answers.length} of ${size}`);
  if (store.counts().answers !== size) throw new Error("not every answer is in the store");
  // Closing (the final WAL checkpoint) is part of the engine's bill too.
  const closeCpuBefore = process.cpuUsage();
  const closeStarted = performance.now();
  store.close();
  const closeCpu = process.cpuUsage(closeCpuBefore);
  lastEngineCpu += (closeCpu.user + closeCpu.system) / size;
  return seconds + (performance.now() - closeStarted) / 1000;
}

type Baseline = "http" | "undici";

async function bareRun(baseline: Baseline, size: number): Promise<number> {
  const run = await (baseline === "http" ? bareClientRun : bareUndiciRun)(
    server.openaiBaseUrl,
    "bench-model",
    prompts.slice(0, size),
    concurrency,
    apiKey,
  );
  if (run.answers.length !== size || run.answers.some((answer) => !answer))
    throw new Error(`the bare ${baseline} client missed answers`);
  return run.seconds;
}

// Warm-up: one full-size run of each side (JIT, sockets, SQLite), not counted; its ratio is printed below.
const coldBare = await bareRun("http", count);
const coldUndici = await bareRun("undici", count);
const coldEngine = await engineRun("warm-up", count);

type Side = Baseline | "engine";
const seconds: Record<Side, number[]> = { http: [], undici: [], engine: [] };
/** CPU time of this process per request, each side (less disturbed by other processes than wall time). */
const cpu: Record<Side, number[]> = { http: [], undici: [], engine: [] };
const httpRatios: number[] = [];
const undiciRatios: number[] = [];

async function runSide(side: Side, round: number): Promise<void> {
  if (side === "engine") {
    seconds.engine.push(await engineRun(`round-${round}`, count));
    cpu.engine.push(lastEngineCpu);
    return;
  }
  const before = process.cpuUsage();
  seconds[side].push(await bareRun(side, count));
  const used = process.cpuUsage(before);
  cpu[side].push((used.user + used.system) / count);
}

/** The three sides in turn; the order rotates from round to round so no side always goes first. */
const orders: Side[][] = [
  ["http", "undici", "engine"],
  ["engine", "http", "undici"],
  ["undici", "engine", "http"],
];
for (let round = 0; round < rounds; round++) {
  for (const side of orders[round % orders.length]!) {
    collectGarbage();
    await runSide(side, round);
  }
  httpRatios.push(seconds.http[round]! / seconds.engine[round]!);
  undiciRatios.push(seconds.undici[round]! / seconds.engine[round]!);
}
await server.close();
rmSync(scratch, { recursive: true, force: true });

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const httpRatio = median(httpRatios);
const undiciRatio = median(undiciRatios);
const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const list = (values: readonly number[], digits: number): string =>
  values.map((value) => value.toFixed(digits)).join(" ");
const rate = (side: Side): string => (count / median(seconds[side])).toFixed(0);
process.stdout.write(
  `prompts ${count}, concurrency ${concurrency}, ${rounds} rounds (order rotates; ${gcBetweenSides ? "full GC forced before each side" : "no GC forced"})\n` +
    `bare keep-alive node:http seconds: ${list(seconds.http, 2)} -> median ${rate("http")} req/s\n` +
    `bare keep-alive undici seconds: ${list(seconds.undici, 2)} -> median ${rate("undici")} req/s\n` +
    `engine + store (runWork, openai adapter on undici, node:sqlite) seconds: ${list(seconds.engine, 2)} -> median ${rate("engine")} req/s\n` +
    `first (cold) run of each side, not counted: node:http ${coldBare.toFixed(2)} s, undici ${coldUndici.toFixed(2)} s, engine ${coldEngine.toFixed(2)} s\n` +
    `ratio engine/bare node:http per round: ${list(httpRatios, 2)}\n` +
    `ratio engine/bare undici per round: ${list(undiciRatios, 2)}\n` +
    `median ratio engine/bare node:http: ${httpRatio.toFixed(3)}; engine/bare undici: ${undiciRatio.toFixed(3)}\n` +
    `client CPU per request (median): bare node:http ${median(cpu.http).toFixed(0)} us, bare undici ${median(cpu.undici).toFixed(0)} us, engine ${median(cpu.engine).toFixed(0)} us\n` +
    `load average at the start: ${loadAtStart.map((value) => value.toFixed(1)).join(" ")}, at the end: ${loadavg()
      .map((value) => value.toFixed(1))
      .join(" ")} on ${availableParallelism()} cores\n` +
    `peak RSS while the engine ran: ${megabytes(enginePeakRss)} MB; peak RSS of this process (all three clients): ${megabytes(process.resourceUsage().maxRSS * 1024)} MB\n`,
);
verdict(
  httpRatio >= 0.8,
  `engine throughput is ${httpRatio.toFixed(3)} of the bare node:http client, median of ${rounds} rounds (bar >= 0.80)`,
);
// Not a verdict: the same ratio against a bare client on the engine's own HTTP library.
process.stdout.write(
  `INFO: against a bare undici client (the adapters' HTTP library) the engine reaches ${undiciRatio.toFixed(3)}: the engine and the store cost ${(median(cpu.engine) - median(cpu.undici)).toFixed(0)} us of CPU a request beyond bare undici\n`,
);
