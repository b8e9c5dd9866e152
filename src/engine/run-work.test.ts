import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { InputError, RuntimeFailure } from "../errors.ts";
import { openStore, type Store } from "../store/store.ts";
import { FakeClock } from "./fake-clock.ts";
import { defaultAnswer, FakeModel, fakeAnswerText, hang } from "./fake-model.ts";
import { runWork } from "./run-work.ts";
import type { EngineEvent, WorkItem } from "./types.ts";

let home: string;
let store: Store;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "distillscope-engine-"));
  store = openStore(home);
});

afterEach(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

function items(count: number, prefix = "p"): WorkItem[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}${index}`,
    request: {
      messages: [{ role: "user" as const, content: `${prefix} question ${index}` }],
      temperature: 0,
    },
  }));
}

test("a missing model, store or item list is an InputError before anything runs", async () => {
  const model = new FakeModel();
  const rejects = (options: object, message: RegExp) =>
    assert.rejects(
      runWork({ model, store, items: items(1), ...options } as Parameters<typeof runWork>[0]),
      (error: unknown) => error instanceof InputError && message.test(error.message),
      String(message),
    );
  await rejects({ model: undefined }, /^model must be a Model, e\.g\. createModel/);
  await rejects({ model: "openai:gpt-4o-mini" }, /^model must be a Model/);
  await rejects({ store: undefined }, /^store must be a Store, e\.g\. openStore/);
  await rejects({ items: undefined }, /^items must be a list of \{ id, request \} work items$/);
  await rejects({ onEvent: "log" }, /^onEvent must be a function when given, got "log"$/);
  await rejects({ signal: { aborted: false } }, /^signal must be an AbortSignal when given/);
  await assert.rejects(
    runWork(undefined as unknown as Parameters<typeof runWork>[0]),
    (error: unknown) =>
      error instanceof InputError &&
      error.message === "runWork needs an options object { model, items, store }, got nothing",
  );
  assert.equal(model.calls, 0);
});

test("answers come back in item order, are stored, and a second run is served from the cache", async () => {
  const model = new FakeModel();
  const clock = new FakeClock();
  const first = await runWork({ model, items: items(20), store, concurrency: 4, clock });
  assert.deepEqual(
    first.answers.map((answer) => answer.id),
    items(20).map((item) => item.id),
  );
  assert.equal(first.answers[3]?.response, fakeAnswerText("p question 3"));
  assert.ok(first.answers.every((answer) => !answer.cached));
  assert.equal(model.calls, 20);
  assert.ok(model.peakInFlight <= 4, `peak ${model.peakInFlight} exceeds the concurrency of 4`);

  const second = await runWork({ model, items: items(20), store, clock });
  assert.equal(model.calls, 20, "the cache answered everything");
  assert.ok(second.answers.every((answer) => answer.cached));
  assert.equal(second.stats.cached, 20);
  assert.equal(store.counts().answers, 20);
});

test("a different sample index is a different cache entry", async () => {
  const model = new FakeModel();
  const clock = new FakeClock();
  const base = items(1)[0]!;
  await runWork({ model, items: [base, { ...base, sample: 1 }], store, clock });
  assert.equal(model.calls, 2);
  await runWork({ model, items: [{ ...base, sample: 1 }], store, clock });
  assert.equal(model.calls, 2);
});

test("a model marked not cacheable (replay) is asked on every run and never stored; others stay cached", async () => {
  let version = "first";
  const answer: typeof defaultAnswer = ({ prompt }) => ({
    ok: true,
    text: `${version} answer to ${prompt}`,
    usage: { inputTokens: 1, outputTokens: 1 },
  });
  const clock = new FakeClock();
  const local = Object.assign(new FakeModel(answer, "replay"), { cacheable: false });
  const paid = new FakeModel(answer, "paid.test:1");
  const first = await runWork({ model: local, items: items(3), store, clock });
  const paidFirst = await runWork({ model: paid, items: items(3), store, clock });
  assert.equal(first.answers[1]?.response, "first answer to p question 1");
  assert.equal(paidFirst.answers[1]?.response, "first answer to p question 1");
  assert.equal(store.counts().answers, 3, "only the cacheable model's answers are stored");

  version = "edited"; // the replay file changed (or the store was filled by older code)
  const second = await runWork({ model: local, items: items(3), store, clock });
  assert.equal(local.calls, 6, "asked again");
  assert.deepEqual(
    second.answers.map((record) => [record.response, record.cached]),
    [0, 1, 2].map((index) => [`edited answer to p question ${index}`, false]),
  );
  assert.equal(second.stats.cached, 0);
  const paidSecond = await runWork({ model: paid, items: items(3), store, clock });
  assert.equal(paid.calls, 3, "the paid model is served from the store");
  assert.ok(paidSecond.answers.every((record) => record.cached));
  assert.equal(paidSecond.answers[1]?.response, "first answer to p question 1");
  assert.equal(store.counts().answers, 3);
});

test("retryable failures are retried with back-off that honours retryAfterMs, then answered", async () => {
  const model = new FakeModel((call) => {
    if (call.attempt === 1)
      return { ok: false, errorClass: "rate_limited", message: "429", status: 429, retryAfterMs: 7000 };
    if (call.attempt === 2) return { ok: false, errorClass: "retryable", message: "500", status: 500 };
    return defaultAnswer(call);
  });
  const clock = new FakeClock();
  const events: EngineEvent[] = [];
  const result = await runWork({
    model,
    items: items(1),
    store,
    clock,
    onEvent: (event) => events.push(event),
  });
  assert.equal(result.answers.length, 1);
  assert.equal(result.stats.retries, 2);
  assert.equal(result.stats.rateLimited, 1);
  const retries = events.filter((event) => event.type === "retry");
  assert.equal(retries.length, 2);
  const firstDelay = retries[0]?.type === "retry" ? retries[0].delayMs : 0;
  assert.ok(firstDelay >= 7000 && firstDelay <= 8000, `retry-after honoured, got ${firstDelay}`);
  assert.equal(store.counts().requests, 3, "every attempt is recorded");
});

test("after the attempt cap an item is a failure: recorded as an error, never cached", async () => {
  const model = new FakeModel(() => ({
    ok: false,
    errorClass: "retryable",
    message: "HTTP 503",
    status: 503,
  }));
  const clock = new FakeClock();
  const result = await runWork({ model, items: items(2), store, clock, retry: { maxAttempts: 4 } });
  assert.equal(result.answers.length, 0);
  assert.deepEqual(
    result.failures.map((failure) => failure.id),
    ["p0", "p1"],
  );
  assert.equal(model.calls, 8);
  const counts = store.counts();
  assert.equal(counts.errors, 2);
  assert.equal(counts.cache, 0);
  await runWork({ model, items: items(1), store, clock, retry: { maxAttempts: 1 } });
  assert.equal(model.calls, 9, "a failure is asked again on the next run");
});

test("a refusal is not retried", async () => {
  const model = new FakeModel(() => ({ ok: false, errorClass: "refused", message: "content filter" }));
  const result = await runWork({ model, items: items(1), store, clock: new FakeClock() });
  assert.equal(model.calls, 1);
  assert.equal(result.failures[0]?.error.errorClass, "refused");
});

test("a fatal error with a fix aborts everything in flight at once and throws InputError naming the fix", async () => {
  let abortedInFlight = 0;
  const model = new FakeModel((call) => {
    if (call.prompt === "p question 5")
      return {
        ok: false,
        errorClass: "fatal",
        message: "HTTP 401 invalid key",
        status: 401,
        fix: "OPENAI_API_KEY",
      };
    return new Promise((resolve) => {
      call.signal.addEventListener("abort", () => {
        abortedInFlight++;
        resolve({ ok: false, errorClass: "retryable", message: "aborted" });
      });
    });
  });
  await assert.rejects(
    runWork({ model, items: items(8), store, concurrency: 8, clock: new FakeClock() }),
    (error: unknown) => error instanceof InputError && /OPENAI_API_KEY/.test(error.message),
  );
  assert.equal(abortedInFlight, 7);
});

test("a fatal error without a fix is a RuntimeFailure", async () => {
  const model = new FakeModel(() => ({
    ok: false,
    errorClass: "fatal",
    message: "HTTP 400 bad request",
    status: 400,
  }));
  await assert.rejects(runWork({ model, items: items(2), store, clock: new FakeClock() }), RuntimeFailure);
});

test("an attempt that hangs is timed out and retried, even when the adapter ignores the signal", async () => {
  const model = new FakeModel((call) => (call.attempt === 1 ? new Promise(() => {}) : defaultAnswer(call)));
  const clock = new FakeClock();
  const events: EngineEvent[] = [];
  const result = await runWork({
    model,
    items: items(1),
    store,
    clock,
    timeoutMs: 5000,
    onEvent: (event) => events.push(event),
  });
  assert.equal(result.answers.length, 1);
  const retry = events.find((event) => event.type === "retry");
  assert.ok(retry?.type === "retry" && /timed out after 5000 ms/.test(retry.message));
});

test("aborting the signal abandons in-flight work, keeps what is stored, and the next run resumes", async () => {
  const controller = new AbortController();
  let answered = 0;
  const model = new FakeModel((call) => {
    if (answered >= 3) {
      controller.abort();
      return hang(call);
    }
    answered++;
    return defaultAnswer(call);
  });
  await assert.rejects(
    runWork({
      model,
      items: items(10),
      store,
      concurrency: 1,
      signal: controller.signal,
      clock: new FakeClock(),
    }),
    (error: unknown) => error instanceof RuntimeFailure && /interrupted/.test(error.message),
  );
  assert.equal(store.counts().answers, 3);
  const resumed = new FakeModel();
  const result = await runWork({ model: resumed, items: items(10), store, clock: new FakeClock() });
  assert.equal(result.answers.length, 10);
  assert.equal(resumed.calls, 7, "only the missing answers are asked");
});

test("an unreachable endpoint fails fast with a RuntimeFailure after the connection cap", async () => {
  const model = new FakeModel(() => ({
    ok: false,
    errorClass: "retryable",
    message: "connect ECONNREFUSED 127.0.0.1:9",
  }));
  await assert.rejects(
    runWork({ model, items: items(50), store, concurrency: 2, clock: new FakeClock() }),
    (error: unknown) => error instanceof RuntimeFailure && /cannot reach/.test(error.message),
  );
  assert.ok(model.calls <= 6, `calls ${model.calls}`);
});

test("429s halve the concurrency", async () => {
  let rateLimited = 0;
  let inFlightAtFirstLaterStart: number | undefined;
  const model = new FakeModel(async (call) => {
    // The first 16 calls start together; the 17th starts once the wave's answers and 429s come back.
    if (model.calls === 17) inFlightAtFirstLaterStart = model.inFlight;
    await new Promise((resolve) => setImmediate(resolve));
    if (call.attempt === 1 && rateLimited < 3) {
      rateLimited++;
      return { ok: false, errorClass: "rate_limited", message: "429", status: 429, retryAfterMs: 100 };
    }
    return defaultAnswer(call);
  }, "fake.test:429");
  const result = await runWork({ model, items: items(40), store, concurrency: 16, clock: new FakeClock() });
  assert.equal(result.answers.length, 40);
  assert.equal(result.stats.rateLimited, 3);
  assert.equal(model.peakInFlight, 16, "the first wave uses the whole concurrency");
  // Without the halving the 429's freed slot is refilled at once (16 in flight); halved to 8, the next
  // start waits until the in-flight count falls under the limit (grown back by successes, not to 16).
  assert.ok(
    inFlightAtFirstLaterStart !== undefined && inFlightAtFirstLaterStart <= 12,
    `in flight when the first later call started: ${inFlightAtFirstLaterStart}`,
  );
});

test("items sharing a cache key are asked once", async () => {
  const model = new FakeModel();
  const shared = items(1)[0]!.request;
  const result = await runWork({
    model,
    items: [
      { id: "a", request: shared },
      { id: "b", request: shared },
    ],
    store,
    clock: new FakeClock(),
  });
  assert.equal(model.calls, 1);
  assert.deepEqual(
    result.answers.map((answer) => answer.id),
    ["a", "b"],
  );
});

test("duplicate ids and bad options are input errors", async () => {
  const model = new FakeModel();
  const item = items(1)[0]!;
  await assert.rejects(runWork({ model, items: [item, item], store }), InputError);
  await assert.rejects(runWork({ model, items: [item], store, concurrency: 0 }), InputError);
  // Each option is named as the library caller wrote it and as the CLI user typed it.
  for (const [option, message] of [
    [{ concurrency: 0 }, "concurrency (--concurrency) must be a number above 0, got 0"],
    [{ timeoutMs: -5 }, "timeoutMs (--timeout-ms) must be a number above 0, got -5"],
    [{ requestsPerMinute: 0 }, "requestsPerMinute (--rpm) must be a number above 0, got 0"],
    [{ tokensPerMinute: Number.NaN }, "tokensPerMinute (--tpm) must be a number above 0, got NaN"],
  ] as const)
    await assert.rejects(runWork({ model, items: [item], store, ...option }), {
      name: "InputError",
      message,
    });
  assert.equal(model.calls, 0);
});

test("every answer is committed before runWork reports it (a kill loses only requests in flight)", async () => {
  const model = new FakeModel();
  const clock = new FakeClock();
  // A second connection sees only what was committed.
  const reader = openStore(home);
  const committedAtReport: number[] = [];
  let reported = 0;
  await runWork({
    model,
    items: items(30),
    store,
    concurrency: 8,
    clock,
    onEvent: (event) => {
      if (event.type !== "answer") return;
      reported++;
      committedAtReport.push(reader.counts().answers);
    },
  });
  reader.close();
  assert.equal(reported, 30);
  committedAtReport.forEach((committed, index) => {
    assert.ok(committed >= index + 1, `answer ${index + 1} was reported with ${committed} committed`);
  });
});

test("answers another process stores during the run are taken from the store, not asked again", async () => {
  const clock = new FakeClock();
  const all = items(10, "shared");
  // A second connection to the same store file stands for another `collect` process.
  const other = openStore(home);
  const otherModel = new FakeModel();
  try {
    const model = new FakeModel(async (call) => {
      if (call.prompt === "shared question 0") {
        // While this run waits for its first answer, the other process answers items 1-9 and stores them.
        await runWork({ model: otherModel, items: all.slice(1), store: other, concurrency: 3, clock });
        await clock.sleep(10, call.signal);
      }
      return defaultAnswer(call);
    });
    const result = await runWork({ model, items: all, store, concurrency: 1, clock });
    assert.equal(otherModel.calls, 9);
    assert.equal(model.calls, 1, "only the item nobody had stored was asked");
    assert.equal(result.stats.cached, 9);
    assert.deepEqual(
      result.answers.map((answer) => answer.response),
      all.map((item) => fakeAnswerText(String(item.request.messages[0]!.content))),
    );
    assert.equal(store.counts().answers, 10, "one stored answer per item, none twice");
  } finally {
    other.close();
  }
});

test("a run alone on its store never looks items up again (its own commits do not count)", async () => {
  const clock = new FakeClock();
  const model = new FakeModel(async (call) => {
    await clock.sleep(10, call.signal);
    return defaultAnswer(call);
  });
  let lookups = 0;
  const findStored = store.findStored.bind(store);
  store.findStored = (key: string) => {
    lookups++;
    return findStored(key);
  };
  const result = await runWork({ model, items: items(12), store, concurrency: 2, clock });
  assert.equal(model.calls, 12);
  assert.equal(result.stats.cached, 0);
  assert.equal(store.othersHaveWritten(), false);
  assert.equal(lookups, 0);
});
