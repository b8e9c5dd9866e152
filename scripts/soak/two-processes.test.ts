import assert from "node:assert/strict";
import { test } from "node:test";
import { runTwoProcessesSoak, twoProcessesProblems } from "./_two-processes.ts";

test("two collect processes on one store (300 prompts each): both finish, no corruption, cache consistent", async () => {
  const result = await runTwoProcessesSoak({
    prompts: 300,
    concurrency: 8,
    latencyMs: 1,
    rerunCommands: 2,
  });
  assert.deepEqual(twoProcessesProblems(result), []);
  assert.equal(result.processes.length, 6);
  assert.ok(result.processes.every((outcome) => outcome.exit === 0));
  assert.equal(result.store.integrity, "ok");
  assert.equal(result.serverRequestsByRound[2], 0, "the re-run is served from the store");
});
