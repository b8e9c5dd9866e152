import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "./fake-clock.ts";
import { estimateTokens, RequestRateLimiter, TokenRateLimiter } from "./rate-limiter.ts";

test("the request limiter spaces starts evenly at 60000 / rpm ms", async () => {
  const clock = new FakeClock();
  const limiter = new RequestRateLimiter(600, clock);
  const signal = new AbortController().signal;
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      await limiter.acquire(signal);
      starts.push(clock.now());
    }),
  );
  assert.deepEqual(
    starts.sort((left, right) => left - right),
    [0, 100, 200, 300, 400],
  );
});

test("the request limiter gives up when aborted", async () => {
  const clock = new FakeClock();
  const limiter = new RequestRateLimiter(1, clock);
  const controller = new AbortController();
  await limiter.acquire(controller.signal);
  const waiting = limiter.acquire(controller.signal);
  controller.abort();
  assert.equal(await waiting, false);
});

test("the token limiter waits until the window has room and uses the corrected usage", async () => {
  const clock = new FakeClock();
  const limiter = new TokenRateLimiter(1000, clock);
  const signal = new AbortController().signal;
  const first = await limiter.acquire(800, signal);
  assert.ok(first);
  limiter.correct(first, 100);
  await limiter.acquire(800, signal);
  assert.equal(clock.now(), 0, "the correction freed room at once");
  await limiter.acquire(500, signal);
  assert.equal(clock.now(), 60_000, "the third waited for the window to slide");
});

test("a request larger than the whole budget passes alone", async () => {
  const clock = new FakeClock();
  const limiter = new TokenRateLimiter(100, clock);
  const signal = new AbortController().signal;
  assert.equal((await limiter.acquire(5000, signal))?.tokens, 5000);
  assert.equal(clock.now(), 0, "an empty window admits it at once");
  await limiter.acquire(10, signal);
  assert.equal(clock.now(), 60_000, "the next request waits until the big one leaves the window");
});

test("token estimate is about four characters per token", () => {
  assert.equal(estimateTokens(400), 100);
  assert.equal(estimateTokens(1), 1);
});
