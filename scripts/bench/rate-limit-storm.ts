/**
 * Bench: items lost to a 429 storm. 400 prompts through the engine against a loopback server that
 * answers 70% of requests 429 with Retry-After 200 ms, at concurrency 16, once with each cap on an
 * item's 429 attempts given on the command line (default: 12, the old shared cap, and 30, the default).
 * A rate limit is the server asking to wait: no item should be lost to it while the time budget lasts.
 * Usage: node scripts/bench/rate-limit-storm.ts [cap ...]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runWork } from "../../src/engine/run-work.ts";
import { createModel } from "../../src/models/registry.ts";
import { openStore } from "../../src/store/store.ts";
import { startMockProviderServer } from "../../src/testing/mock-provider-server.ts";

const caps = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [12, 30];
const apiKey = "sk-bench-rate-limit-storm-0123456789";
const prompts = 400;
const server = await startMockProviderServer({ apiKey });
try {
  for (const cap of caps) {
    if (!Number.isInteger(cap) || cap < 1) throw new Error(`a cap is a whole number from 1, got ${cap}`);
    server.resetStats();
    server.setOptions({ faults: { rateLimitRate: 0.7, rateLimitRetryAfterMs: 200, rateLimitHeader: "ms" } });
    const home = mkdtempSync(join(tmpdir(), "distillscope-storm-"));
    const store = openStore(home);
    const model = createModel("openai:storm", {
      baseUrl: server.openaiBaseUrl,
      environment: { OPENAI_API_KEY: apiKey },
    });
    const items = Array.from({ length: prompts }, (_, index) => ({
      id: `q${index}`,
      request: { messages: [{ role: "user" as const, content: `question ${index}` }], temperature: 0 },
    }));
    const started = Date.now();
    const result = await runWork({
      model,
      items,
      store,
      concurrency: 16,
      retry: { maxRateLimitedAttempts: cap },
    });
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `429 cap ${cap}: ${result.answers.length} answered, ${result.failures.length} of ${prompts} lost to 429s, ` +
        `${seconds.toFixed(1)} s, ${server.stats().byStatus["429"] ?? 0} 429s\n`,
    );
    store.close();
    rmSync(home, { recursive: true, force: true });
  }
} finally {
  server.close();
}
