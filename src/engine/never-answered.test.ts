import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, test } from "node:test";
import { RuntimeFailure } from "../errors.ts";
import { createModel } from "../models/registry.ts";
import type { GenerateResult } from "../models/types.ts";
import { openStore, type Store } from "../store/store.ts";
import {
  type MockFaults,
  type MockProviderServer,
  startMockProviderServer,
} from "../testing/mock-provider-server.ts";
import { NeverAnsweredWatch } from "./never-answered.ts";
import type { RetryPolicy } from "./retry-policy.ts";
import { runWork } from "./run-work.ts";
import type { EngineEvent, WorkItem } from "./types.ts";

const apiKey = "sk-test-never-answered-0123456789";
let server: MockProviderServer;
let home: string;
let store: Store;

before(async () => {
  server = await startMockProviderServer({ apiKey });
});
after(() => server.close());
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "distillscope-never-answered-"));
  store = openStore(home);
  server.setOptions({ faults: {} });
  server.resetStats();
});
afterEach(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

function items(count: number): WorkItem[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `q${index}`,
    request: { messages: [{ role: "user" as const, content: `question ${index}` }], temperature: 0 },
  }));
}

/** A fresh model object each time: the watch belongs to one model object (one command). */
function mockModel() {
  return createModel("openai:dead-or-alive", {
    baseUrl: server.openaiBaseUrl,
    environment: { OPENAI_API_KEY: apiKey },
  });
}

/** Small delays and limits, so a test sees the cut-off in well under a second. */
const quick: Partial<RetryPolicy> = {
  baseDelayMs: 1,
  maxDelayMs: 5,
  neverAnsweredAttempts: 6,
  neverAnsweredMs: 0,
};

function withFaults(faults: MockFaults): void {
  server.setOptions({ faults });
}

const failure = (errorClass: "retryable" | "rate_limited" | "refused"): GenerateResult => ({
  ok: false,
  errorClass,
  message: `m: ${errorClass}`,
});
const limits = {
  neverAnsweredAttempts: 3,
  neverAnsweredMs: 1000,
  neverAnsweredRateLimitedAttempts: 4,
  neverAnsweredRateLimitedMs: 2000,
};

test("the watch needs both the attempt count and the time; 429s neither count nor reset", () => {
  const watch = new NeverAnsweredWatch();
  assert.equal(watch.record(failure("retryable"), 0, limits), false);
  assert.equal(watch.record(failure("rate_limited"), 100, limits), false);
  assert.equal(watch.record(failure("retryable"), 200, limits), false);
  assert.equal(watch.record(failure("retryable"), 300, limits), false, "3 failures, but only 0.3 s");
  assert.equal(watch.failures, 3, "the 429 is not counted");
  assert.equal(watch.record(failure("rate_limited"), 1500, limits), false, "a 429 never trips it");
  assert.equal(watch.record(failure("retryable"), 1500, limits), true);
});

test("429s alone have their own rule: enough of them over long enough, with no answer, and the line says so", () => {
  const watch = new NeverAnsweredWatch();
  assert.equal(watch.record(failure("rate_limited"), 0, limits), false);
  assert.equal(watch.record(failure("rate_limited"), 100, limits), false);
  assert.equal(watch.record(failure("rate_limited"), 200, limits), false);
  assert.equal(watch.record(failure("rate_limited"), 300, limits), false, "4 429s, but only 0.3 s");
  assert.equal(watch.record(failure("retryable"), 400, limits), false, "other failures keep their own count");
  assert.equal(watch.record(failure("rate_limited"), 2100, limits), true);
  const model = { id: "openai:m", endpoint: "127.0.0.1:9" } as Parameters<NeverAnsweredWatch["message"]>[0];
  assert.match(
    watch.message(model, 2100),
    /^openai:m at 127\.0\.0\.1:9 answered every request with 429 \(rate limited\): 5 over 2 s and not one answer \(last: m: rate_limited\); the account's quota or plan allows no requests now/,
  );
  // One answer before the limits turns this rule off too.
  const answered = new NeverAnsweredWatch();
  answered.record({ ok: true, text: "hi", usage: { inputTokens: 1, outputTokens: 1 } }, 0, limits);
  for (let time = 10; time < 5000; time += 100)
    assert.equal(answered.record(failure("rate_limited"), time, limits), false);
});

test("one answer (or a refusal, which is the model answering) turns the watch off for good", () => {
  for (const first of [
    { ok: true, text: "hi", usage: { inputTokens: 1, outputTokens: 1 } } as const,
    failure("refused"),
  ]) {
    const watch = new NeverAnsweredWatch();
    watch.record(failure("retryable"), 0, limits);
    watch.record(first, 10, limits);
    for (let time = 20; time < 5000; time += 100)
      assert.equal(watch.record(failure("retryable"), time, limits), false);
  }
});

test("a model whose server always answers 500 stops early with one line naming it, its endpoint and the last error", async () => {
  withFaults({ serverErrorRate: 1 });
  const model = mockModel();
  const started = Date.now();
  await assert.rejects(
    // Back-off of 0-100 ms: each item's 12 attempts take about half a second, so the 0.3 s are what decide.
    runWork({
      model,
      items: items(30),
      store,
      concurrency: 4,
      retry: { ...quick, baseDelayMs: 100, maxDelayMs: 100, neverAnsweredMs: 300 },
    }),
    (error: unknown) => {
      assert.ok(error instanceof RuntimeFailure);
      assert.match(
        error.message,
        new RegExp(
          `^openai:dead-or-alive at ${model.endpoint.replace(/\./g, "\\.")} never answered: \\d+ attempts failed over \\d+ s \\(last error: .*500.*\\); stopped`,
        ),
      );
      assert.doesNotMatch(error.message, /\n/);
      assert.equal(error.message.includes(apiKey), false);
      return true;
    },
  );
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 5, `took ${seconds} s`);
  // 30 items x 12 attempts would be 360 requests; the cut-off needs 6 failures and 0.3 s.
  const requests = server.stats().requests;
  assert.ok(requests >= 6 && requests < 300, `requests ${requests}`);
  assert.ok((server.stats().byStatus["500"] ?? 0) >= 6);
});

test("a server that resets every connection, or never answers, is cut off the same way", async () => {
  for (const faults of [{ resetRate: 1 }, { hangRate: 1 }] satisfies MockFaults[]) {
    withFaults(faults);
    await assert.rejects(
      runWork({ model: mockModel(), items: items(8), store, concurrency: 4, timeoutMs: 100, retry: quick }),
      (error: unknown) =>
        error instanceof RuntimeFailure && /never answered: \d+ attempts failed/.test(error.message),
      JSON.stringify(faults),
    );
  }
});

test("a server that fails its first requests, then answers once, is not cut off afterwards", async () => {
  withFaults({ serverErrorRate: 1 });
  const model = mockModel();
  const events: EngineEvent[] = [];
  let answered = false;
  const result = await runWork({
    model,
    items: items(4),
    store,
    concurrency: 1,
    retry: { ...quick, maxAttempts: 12 },
    onEvent: (event) => {
      events.push(event);
      // 5 failures (below the 6 of the cut-off), then one answer, then 500s for ever.
      if (event.type === "retry" && event.stats.retries === 5 && !answered) withFaults({});
      if (event.type === "answer" && !answered) {
        answered = true;
        withFaults({ serverErrorRate: 1 });
      }
    },
  });
  assert.equal(result.answers.length, 1);
  assert.equal(result.failures.length, 3, "the per-item retries decided, after 12 attempts each");
  const firstAnswer = events.findIndex((event) => event.type === "answer");
  assert.equal(events.slice(0, firstAnswer).filter((event) => event.type === "retry").length, 5);
  assert.ok((server.stats().byStatus["500"] ?? 0) >= 3 * 12, "far more failures than the cut-off's 6");

  // The same model object keeps its answer for the rest of the command: a later call is not cut off.
  const again = await runWork({
    model,
    items: items(6).slice(4),
    store,
    retry: { ...quick, maxAttempts: 3 },
  });
  assert.equal(again.failures.length, 2);
});

test("a server that only ever answers 429 is not cut off by the failures' rule: the 429 cap decides per item", async () => {
  withFaults({ rateLimitRate: 1 });
  const result = await runWork({
    model: mockModel(),
    items: items(4),
    store,
    concurrency: 2,
    // The 12 other attempts are not what ends an item here: its 8 429s are.
    retry: { ...quick, maxAttempts: 12, maxRateLimitedAttempts: 8 },
  });
  assert.equal(result.answers.length, 0);
  assert.equal(result.failures.length, 4);
  assert.ok(result.failures.every((failure) => failure.error.errorClass === "rate_limited"));
  assert.equal(server.stats().byStatus["429"], 32);
});

test("a server that answers nothing but 429 for long enough stops the run with one line about the quota", async () => {
  withFaults({ rateLimitRate: 1 });
  const model = mockModel();
  await assert.rejects(
    runWork({
      model,
      items: items(20),
      store,
      concurrency: 4,
      retry: { ...quick, neverAnsweredRateLimitedAttempts: 10, neverAnsweredRateLimitedMs: 0 },
    }),
    (error: unknown) => {
      assert.ok(error instanceof RuntimeFailure);
      assert.match(
        error.message,
        /answered every request with 429 \(rate limited\): \d+ over \d+ s and not one answer/,
      );
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
  // 20 items x 30 429s each would be 600 requests.
  const requests = server.stats().byStatus["429"] ?? 0;
  assert.ok(requests >= 10 && requests < 100, `429s ${requests}`);
});

test("without the cut-off's limits met, items keep their own retries (and answers already stored stay)", async () => {
  const model = mockModel();
  await runWork({ model, items: items(2), store, retry: quick });
  withFaults({ serverErrorRate: 1 });
  // A fresh model object (a new command) on a dead endpoint: stored answers are served, the rest stops.
  await assert.rejects(
    runWork({ model: mockModel(), items: items(10), store, concurrency: 2, retry: quick }),
    /never answered/,
  );
  assert.equal(store.counts().answers, 2);
  withFaults({});
  const resumed = await runWork({ model: mockModel(), items: items(10), store, retry: quick });
  assert.equal(resumed.answers.length, 10);
  assert.equal(resumed.stats.cached, 2);
});

test("the stop aborts every attempt, even one whose slot was handed over just before it", async () => {
  withFaults({ hangRate: 1 });
  let lastRetryAt = 0;
  const timeoutMs = 1500;
  await assert.rejects(
    runWork({
      model: mockModel(),
      items: items(8),
      store,
      // 3 slots (an endpoint setting no other test here uses: its limiter is shared, and 429s halve it).
      concurrency: 3,
      timeoutMs,
      retry: { ...quick, neverAnsweredAttempts: 5 },
      onEvent: (event) => {
        if (event.type === "retry") lastRetryAt = performance.now();
      },
    }),
    /never answered: 5 attempts failed/,
  );
  // The 5th timeout stops the run; the slot the 4th freed went to a waiting item, whose attempt must
  // not hang on until its own timeout (the old behaviour: one more timeout of waiting).
  const afterStop = performance.now() - lastRetryAt;
  assert.ok(afterStop < timeoutMs / 2, `the run ended ${Math.round(afterStop)} ms after the last retry`);
});
