import assert from "node:assert/strict";
import { test } from "node:test";
import { faultsSoakProblems, runFaultsSoak } from "./_faults.ts";

test("2,000 requests under mixed faults: every prompt answered once, correctly, no phantom requests", async () => {
  const result = await runFaultsSoak({ prompts: 2000, concurrency: 64, timeoutMs: 1500, seed: 5 });
  assert.deepEqual(faultsSoakProblems(result), []);
  assert.equal(result.lines, 2000);
  assert.equal(result.store.integrity, "ok");
  assert.ok(result.retries > 0, "the faults made the engine retry");
  for (const kind of ["500", "429-seconds", "429-ms", "429-both", "429-none", "hang", "reset"])
    assert.ok((result.byStatus[kind] ?? 0) > 0, `the server injected ${kind}`);
  assert.ok(result.serverRequests <= result.prompts + result.retries);
  assert.ok(result.peakRssBytes > 0 && result.memorySamples >= 2);
});
