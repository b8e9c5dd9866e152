/**
 * The faults soak: `collect` through the engine (in this process, store on) against the loopback mock
 * server (in its own process) answering a mix of 500s, 429s with and without Retry-After/retry-after-ms,
 * hangs, resets, truncated, malformed and oversized bodies. Checks every prompt is answered exactly once
 * with the server's answer, in the output and in the store; that the server saw no request the engine
 * did not account for (requests <= prompts + retries); and samples memory once a second.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collect } from "../../src/engine/collect.ts";
import { createModel } from "../../src/models/registry.ts";
import type { ChatMessage } from "../../src/models/types.ts";
import { openStore } from "../../src/store/store.ts";
import type { MockFaults } from "../../src/testing/mock-provider-server.ts";
import {
  promptText,
  readJsonl,
  startServerProcess,
  trueAnswer,
  writePrompts,
} from "../bench/_collect-common.ts";
import {
  duplicates,
  heapAfterGc,
  inspectStore,
  MemorySampler,
  promptKey,
  type StoreInspection,
} from "./_soak-common.ts";

export interface FaultsSoakOptions {
  prompts: number;
  concurrency?: number;
  timeoutMs?: number;
  seed?: number;
  faults?: MockFaults;
}

export interface FaultsSoakResult {
  prompts: number;
  seconds: number;
  lines: number;
  /** Prompts with no line in the output. */
  lost: number;
  /** Output lines beyond the first for a prompt. */
  duplicated: number;
  /** Lines whose response is not the server's answer to that prompt. */
  wrong: number;
  failed: number;
  store: StoreInspection;
  /** Prompts whose answer the store does not hold. */
  storeLost: number;
  serverRequests: number;
  retries: number;
  byStatus: Record<string, number>;
  /** Prompts the server answered successfully more than once (an answer that came too late, say). */
  answeredTwiceByServer: number;
  peakRssBytes: number;
  peakHeapBytes: number;
  heapStartBytes: number | undefined;
  heapEndBytes: number | undefined;
  memorySamples: number;
}

/** The default mix: about one request in five fails in one of seven ways. */
export const defaultFaults: MockFaults = {
  serverErrorRate: 0.06,
  rateLimitRate: 0.06,
  rateLimitRetryAfterMs: 300,
  rateLimitHeaderMix: ["seconds", "ms", "both", "none"],
  hangRate: 0.015,
  resetRate: 0.02,
  truncatedRate: 0.02,
  malformedRate: 0.01,
  oversizedRate: 0.01,
  oversizedBytes: 2 * 1024 * 1024,
};

export async function runFaultsSoak(options: FaultsSoakOptions): Promise<FaultsSoakResult> {
  const apiKey = "soak-faults-key";
  const modelName = "soak-model";
  const scratch = mkdtempSync(join(tmpdir(), "distillscope-soak-faults-"));
  const home = join(scratch, "home");
  const promptFile = join(scratch, "prompts.jsonl");
  const out = join(scratch, "out.jsonl");
  writePrompts(promptFile, options.prompts);
  const server = await startServerProcess(
    { latencyMs: 0, apiKey, seed: options.seed ?? 11, faults: options.faults ?? defaultFaults },
    "truth",
  );
  try {
    const heapStartBytes = heapAfterGc();
    const memory = new MemorySampler();
    const store = openStore(home);
    const model = createModel(`openai:${modelName}`, {
      baseUrl: server.openaiBaseUrl,
      environment: { OPENAI_API_KEY: apiKey },
    });
    const started = performance.now();
    let outcome: Awaited<ReturnType<typeof collect>>;
    try {
      outcome = await collect({
        model,
        store,
        promptsPath: promptFile,
        outPath: out,
        concurrency: options.concurrency ?? 64,
        timeoutMs: options.timeoutMs ?? 1500,
        onEvent: () => {},
      });
    } finally {
      store.close();
    }
    const seconds = (performance.now() - started) / 1000;
    memory.stop();
    const retries = outcome.stats.retries;
    const failed = outcome.failures.length;
    outcome = undefined as unknown as typeof outcome;
    const heapEndBytes = heapAfterGc();
    const stats = await server.stats();

    const lines = readJsonl<{ id: string; response: string; messages: ChatMessage[] }>(out);
    const ids = new Set(lines.map((line) => line.id));
    let lost = 0;
    for (let index = 0; index < options.prompts; index++) if (!ids.has(`p${index}`)) lost++;
    const wrong = lines.filter(
      (line) =>
        line.response !== trueAnswer([{ role: "user", content: promptText(Number(line.id.slice(1))) }]),
    ).length;
    const inspection = inspectStore(home, (_model, messages) => trueAnswer(messages));
    let storeLost = 0;
    for (let index = 0; index < options.prompts; index++) {
      if (!inspection.cachedPrompts.has(promptKey(modelName, [{ role: "user", content: promptText(index) }])))
        storeLost++;
    }
    return {
      prompts: options.prompts,
      seconds,
      lines: lines.length,
      lost,
      duplicated: duplicates(lines.map((line) => line.id)),
      wrong,
      failed,
      store: inspection,
      storeLost,
      serverRequests: stats.requests,
      retries,
      byStatus: stats.byStatus,
      answeredTwiceByServer: Object.values(stats.successfulByPrompt).filter((count) => count > 1).length,
      peakRssBytes: memory.peakRssBytes,
      peakHeapBytes: memory.peakHeapBytes,
      heapStartBytes,
      heapEndBytes,
      memorySamples: memory.samples,
    };
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Heap after GC may end at most this much above where it started (measured only with --expose-gc). */
export const flatHeapGrowthBytes = 4 * 1024 * 1024;

/** Every invariant of the soak, as a list of the ones that do not hold (empty when all hold). */
export function faultsSoakProblems(result: FaultsSoakResult): string[] {
  const problems: string[] = [];
  const check = (holds: boolean, what: string): void => {
    if (!holds) problems.push(what);
  };
  check(result.lines === result.prompts, `${result.lines} lines for ${result.prompts} prompts`);
  check(result.lost === 0, `${result.lost} prompts lost`);
  check(result.duplicated === 0, `${result.duplicated} duplicated lines`);
  check(result.wrong === 0, `${result.wrong} lines with a wrong answer`);
  check(result.failed === 0, `${result.failed} prompts failed after retries`);
  check(result.store.integrity === "ok", `integrity_check: ${result.store.integrity}`);
  check(result.store.answerRows === result.prompts, `${result.store.answerRows} answer rows in the store`);
  check(
    result.store.distinctAnswerKeys === result.store.answerRows,
    `${result.store.answerRows - result.store.distinctAnswerKeys} duplicated answer rows in the store`,
  );
  check(result.store.cacheRows === result.prompts, `${result.store.cacheRows} cache rows`);
  check(result.store.cacheDangling === 0, `${result.store.cacheDangling} dangling cache rows`);
  check(result.store.wrongAnswers === 0, `${result.store.wrongAnswers} wrong answers in the store`);
  check(result.storeLost === 0, `${result.storeLost} prompts missing from the store`);
  check(
    result.serverRequests <= result.prompts + result.retries,
    `server saw ${result.serverRequests} requests > ${result.prompts} prompts + ${result.retries} retries`,
  );
  if (result.heapStartBytes !== undefined && result.heapEndBytes !== undefined) {
    const growth = result.heapEndBytes - result.heapStartBytes;
    check(
      growth < flatHeapGrowthBytes,
      `memory not flat: heap after GC grew ${(growth / 1024 / 1024).toFixed(1)} MB over the run (limit ${flatHeapGrowthBytes / 1024 / 1024} MB)`,
    );
  }
  return problems;
}
