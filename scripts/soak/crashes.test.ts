import assert from "node:assert/strict";
import { test } from "node:test";
import { crashesSoakProblems, runCrashesSoak } from "./_crashes.ts";

test("3 SIGKILLs of collect at random moments: the store survives, nothing lost, duplicated or paid twice", async () => {
  const result = await runCrashesSoak({ prompts: 300, crashes: 3, seed: 3, concurrency: 8, latencyMs: 2 });
  assert.deepEqual(crashesSoakProblems(result, 3), []);
  assert.equal(result.crashes.length, 3);
  assert.ok(result.crashes.every((crash) => crash.integrity === "ok"));
  assert.equal(result.paidTwice, 0);
  assert.equal(result.lines, 300);
});
