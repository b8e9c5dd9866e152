/**
 * Profiling helper for bench (a), not a bench itself (the leading _ keeps `npm run bench` off it): runs
 * the chosen sides against the zero-latency server, interleaved, several rounds, printing the time and
 * the CPU time of this process per round and the least CPU per request of each side.
 * Sides: bare (the node:http baseline client), undici (the bare undici client), adapter (openai adapter alone), nostore (engine + adapter, a store
 * that writes nothing), engine (everything).
 * No garbage collection is forced between sides, as in collect-throughput.ts; `--gc-between-sides` (with
 * node --expose-gc) forces one before each side, the way that bench measured before 29 Nov 2026 (that full
 * collection deoptimises code and makes every side slower, the engine more: see docs/design/engine.md).
 * Usage: node [--expose-gc] [--cpu-prof] scripts/bench/_collect-profile.ts engine|nostore|adapter|undici|bare[,...] [prompts] [rounds] [--gc-between-sides]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runWork } from "../../src/engine/run-work.ts";
import type { WorkItem } from "../../src/engine/types.ts";
import { createModel } from "../../src/models/registry.ts";
import { openStore, type Store } from "../../src/store/store.ts";
import { bareClientRun, bareUndiciRun, promptText, startServerProcess } from "./_collect-common.ts";

const positional = process.argv.slice(2).filter((argument) => !argument.startsWith("--"));
const gcBetweenSides = process.argv.includes("--gc-between-sides");
const sides = (positional[0] ?? "engine").split(",");
const count = Number(positional[1] ?? 6000);
const rounds = Number(positional[2] ?? 3);
const concurrency = 64;
const apiKey = "bench-profile-key";
const server = await startServerProcess({ latencyMs: 0, apiKey });
const scratch = mkdtempSync(join(tmpdir(), "distillscope-bench-profile-"));
const prompts = Array.from({ length: count }, (_, index) => promptText(index));
const forcedGc = (globalThis as { gc?: () => void }).gc;
if (gcBetweenSides && forcedGc === undefined) throw new Error("--gc-between-sides needs node --expose-gc");
const collectGarbage = gcBetweenSides && forcedGc !== undefined ? forcedGc : () => {};

const best = new Map<string, number>();
for (let round = 0; round < rounds; round++)
  for (const side of sides) {
    collectGarbage();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    if (side === "bare") {
      await bareClientRun(server.openaiBaseUrl, "bench-model", prompts, concurrency, apiKey);
    } else if (side === "undici") {
      await bareUndiciRun(server.openaiBaseUrl, "bench-model", prompts, concurrency, apiKey);
    } else if (side === "adapter") {
      // The openai adapter alone, 64 in flight, no engine and no store.
      const model = createModel("openai:bench-model", {
        baseUrl: server.openaiBaseUrl,
        environment: { OPENAI_API_KEY: apiKey },
      });
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            const index = next++;
            const result = await model.generate(
              { messages: [{ role: "user", content: prompts[index]! }], temperature: 0 },
              new AbortController().signal,
            );
            if (!result.ok) throw new Error(result.message);
          }
        }),
      );
    } else if (side === "nostore") {
      // The engine and the adapter with a store that writes nothing.
      const model = createModel("openai:bench-model", {
        baseUrl: server.openaiBaseUrl,
        environment: { OPENAI_API_KEY: apiKey },
      });
      const store = {
        path: "none",
        startRun: () => 1,
        finishRun: () => {},
        findCachedMany: () => new Map(),
        saveAnswers: () => {},
        saveAttempts: () => {},
        saveError: () => {},
        indexCache: () => {},
      } as unknown as Store;
      const items: WorkItem[] = prompts.map((content, index) => ({
        id: `p${index}`,
        request: { messages: [{ role: "user", content }], temperature: 0 },
      }));
      await runWork({ model, items, store, concurrency, timeoutMs: 30_000, runLabel: "bench" });
    } else {
      const store = openStore(join(scratch, `home-${side}-${round}`));
      const model = createModel("openai:bench-model", {
        baseUrl: server.openaiBaseUrl,
        environment: { OPENAI_API_KEY: apiKey },
      });
      const items: WorkItem[] = prompts.map((content, index) => ({
        id: `p${index}`,
        request: { messages: [{ role: "user", content }], temperature: 0 },
      }));
      await runWork({
        model,
        items,
        store,
        concurrency,
        timeoutMs: 30_000,
        runLabel: "bench",
      });
      store.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const perRequest = (cpu.user + cpu.system) / count;
    best.set(side, Math.min(best.get(side) ?? Number.POSITIVE_INFINITY, perRequest));
    process.stdout.write(
      `${side} round ${round}: ${seconds.toFixed(2)} s, ${(count / seconds).toFixed(0)} req/s, ` +
        `client CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (${(((cpu.user + cpu.system) / 1e6 / count) * 1e6).toFixed(0)} us/request)\n`,
    );
  }
for (const [side, microseconds] of best)
  process.stdout.write(`${side}: least client CPU ${microseconds.toFixed(0)} us/request\n`);
await server.close();
rmSync(scratch, { recursive: true, force: true });
