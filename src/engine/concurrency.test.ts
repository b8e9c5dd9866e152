import assert from "node:assert/strict";
import { test } from "node:test";
import { AdaptiveConcurrency } from "./concurrency.ts";

const signal = new AbortController().signal;

test("never admits more than the limit", async () => {
  const gate = new AdaptiveConcurrency(2);
  const first = await gate.acquire(signal);
  const second = await gate.acquire(signal);
  let thirdAdmitted = false;
  const third = gate.acquire(signal).then((permit) => {
    thirdAdmitted = true;
    return permit;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(thirdAdmitted, false);
  gate.release(first!, "ok");
  assert.ok(await third);
  assert.equal(gate.inFlight, 2);
  gate.release(second!, "ok");
});

test("a 429 halves the limit once per wave and cooldown, successes grow it back to the maximum", async () => {
  let now = 0;
  const gate = new AdaptiveConcurrency(16, { successesToGrow: 5, cooldownMs: 1000, now: () => now });
  const permits = await Promise.all(Array.from({ length: 4 }, () => gate.acquire(signal)));
  gate.release(permits[0]!, "rate_limited");
  assert.equal(gate.limit, 8);
  gate.release(permits[1]!, "rate_limited");
  assert.equal(gate.limit, 8, "requests of the same wave do not halve again");
  gate.release(permits[2]!, "ok");
  gate.release(permits[3]!, "ok");
  const early = await gate.acquire(signal);
  gate.release(early!, "rate_limited");
  assert.equal(gate.limit, 8, "not again within the cooldown");
  now = 1500;
  const next = await gate.acquire(signal);
  gate.release(next!, "rate_limited");
  assert.equal(gate.limit, 4, "a request started after the decrease, past the cooldown, halves again");
  for (let round = 0; round < 200 && gate.limit < 16; round++)
    gate.release((await gate.acquire(signal))!, "ok");
  assert.equal(gate.limit, 16);
});

test("an aborted waiter leaves the queue", async () => {
  const gate = new AdaptiveConcurrency(1);
  const held = await gate.acquire(signal);
  const controller = new AbortController();
  const waiting = gate.acquire(controller.signal);
  controller.abort();
  assert.equal(await waiting, undefined);
  gate.release(held!, "ok");
  assert.equal(gate.inFlight, 0);
});

test("a limiter that outlives a run does not keep the run's waiters (and their signals) reachable", async () => {
  const { setFlagsFromString } = await import("node:v8");
  const { runInNewContext } = await import("node:vm");
  setFlagsFromString("--expose-gc");
  const collectGarbage = runInNewContext("gc") as () => void;
  const gate = new AdaptiveConcurrency(1);
  const references: WeakRef<AbortSignal>[] = [];
  await (async () => {
    const first = await gate.acquire(new AbortController().signal);
    const waiting = Array.from({ length: 8 }, () => {
      const runSignal = new AbortController().signal;
      references.push(new WeakRef(runSignal));
      return gate.acquire(runSignal);
    });
    gate.release(first!, "ok");
    for (const pending of waiting) gate.release((await pending)!, "ok");
  })();
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  assert.equal(gate.inFlight, 0);
  assert.equal(references.filter((reference) => reference.deref() !== undefined).length, 0);
});
