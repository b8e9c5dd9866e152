import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openStore, runWork } from "../engine/index.ts";
import { RuntimeFailure } from "../errors.ts";
import { createModel } from "../models/registry.ts";
import type { PromptSet } from "../probes/prompt-sets/types.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import type { RunWorkFunction } from "./collect.ts";
import { runRse } from "./run.ts";

const apiKey = "sk-test-dead-reference-0123456789";
let healthy: MockProviderServer;
let dead: MockProviderServer;
const home = mkdtempSync(join(tmpdir(), "rse-dead-reference-"));

before(async () => {
  healthy = await startMockProviderServer({ apiKey });
  dead = await startMockProviderServer({ apiKey, faults: { serverErrorRate: 1 } });
});
after(async () => {
  await healthy.close();
  await dead.close();
  rmSync(home, { recursive: true, force: true });
});

const prompts: PromptSet = {
  dataset: "mine",
  source: "test",
  skipped: {},
  prompts: Array.from({ length: 12 }, (_, index) => ({
    id: `p${index}`,
    dataset: "mine",
    turns: [`question number ${index} about rivers`],
  })),
};

/** The engine with the cut-off's limits (and back-off) made small: the CLI's defaults would take 90 s. */
const quickRunWork: RunWorkFunction = (options) =>
  runWork({
    ...options,
    retry: { baseDelayMs: 1, maxDelayMs: 5, neverAnsweredAttempts: 8, neverAnsweredMs: 0 },
  });

function models() {
  const environment = { OPENAI_API_KEY: apiKey };
  return {
    target: createModel("openai:target-model", { baseUrl: healthy.openaiBaseUrl, environment }),
    reference: createModel("openai:reference-model", { baseUrl: dead.openaiBaseUrl, environment }),
  };
}

test("rse run with a reference that always answers 500 stops early naming it; a rerun resumes", async () => {
  const store = openStore(home);
  try {
    const { target, reference } = models();
    await assert.rejects(
      runRse({ target, references: [reference], promptSets: [prompts], store, runWork: quickRunWork }),
      (error: unknown) =>
        error instanceof RuntimeFailure &&
        error.message.startsWith(`openai:reference-model at ${reference.endpoint} never answered: `) &&
        /\d+ attempts failed over \d+ s \(last error: .*500/.test(error.message) &&
        !error.message.includes(apiKey),
    );
    // 12 items x 12 attempts would be 144 requests without the cut-off.
    assert.ok(dead.stats().requests < 100, `requests ${dead.stats().requests}`);
    assert.equal(store.counts().answers, 12, "the target's answers are stored");

    dead.setOptions({ faults: {} });
    healthy.resetStats();
    const again = models();
    const result = await runRse({
      target: again.target,
      references: [again.reference],
      promptSets: [prompts],
      store,
      runWork: quickRunWork,
    });
    assert.equal(healthy.stats().requests, 0, "the target is served from the store");
    assert.equal(result.n, 12);
  } finally {
    store.close();
  }
});
