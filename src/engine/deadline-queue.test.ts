import assert from "node:assert/strict";
import { test } from "node:test";
import { DeadlineQueue } from "./deadline-queue.ts";
import { FakeClock } from "./fake-clock.ts";

/** Lets the fake clock run past `milliseconds` from now: every earlier timer has fired by then. */
const runClock = async (clock: FakeClock, milliseconds: number): Promise<void> => {
  await clock.sleep(milliseconds);
};

test("an entry not settled in time expires once, at its deadline", async () => {
  const clock = new FakeClock();
  const queue = new DeadlineQueue(clock, 1000);
  const expiredAt: number[] = [];
  queue.add(() => expiredAt.push(clock.now()));
  await runClock(clock, 1500);
  assert.deepEqual(expiredAt, [1000]);
  assert.equal(queue.size, 0);
});

test("settled entries never expire and leave the queue as they settle", async () => {
  const clock = new FakeClock();
  const queue = new DeadlineQueue(clock, 500);
  const expired: string[] = [];
  const first = queue.add(() => expired.push("first"));
  const second = queue.add(() => expired.push("second"));
  first.settle();
  assert.equal(queue.size, 1);
  second.settle();
  assert.equal(queue.size, 0);
  await runClock(clock, 1000);
  assert.deepEqual(expired, []);
});

test("a settled head does not shield a later entry that runs out", async () => {
  const clock = new FakeClock();
  const queue = new DeadlineQueue(clock, 100);
  const expired: Array<[string, number]> = [];
  const first = queue.add(() => expired.push(["first", clock.now()]));
  await clock.sleep(30);
  queue.add(() => expired.push(["second", clock.now()]));
  first.settle();
  await runClock(clock, 200);
  assert.deepEqual(expired, [["second", 130]]);
});

test("settling in the middle keeps the order of the others", async () => {
  const clock = new FakeClock();
  const queue = new DeadlineQueue(clock, 50);
  const expired: string[] = [];
  queue.add(() => expired.push("a"));
  const middle = queue.add(() => expired.push("b"));
  queue.add(() => expired.push("c"));
  middle.settle();
  await runClock(clock, 100);
  assert.deepEqual(expired, ["a", "c"]);
});

test("clear cancels every pending deadline", async () => {
  const clock = new FakeClock();
  const queue = new DeadlineQueue(clock, 50);
  let expired = 0;
  for (let index = 0; index < 5; index++) queue.add(() => expired++);
  queue.clear();
  await runClock(clock, 100);
  assert.equal(expired, 0);
  assert.equal(queue.size, 0);
});

test("one slow entry at the head does not keep thousands of settled ones alive", async () => {
  const clock = new FakeClock();
  const queue = new DeadlineQueue(clock, 1000);
  const expired: string[] = [];
  queue.add(() => expired.push("slow"));
  for (let index = 0; index < 5000; index++) queue.add(() => expired.push(`fast ${index}`)).settle();
  assert.ok(queue.size <= 1025, `${queue.size} entries kept for one live one`);
  await runClock(clock, 1500);
  assert.deepEqual(expired, ["slow"]);
  assert.equal(queue.size, 0);
});
