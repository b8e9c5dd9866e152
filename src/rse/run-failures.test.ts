import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openStore } from "../engine/index.ts";
import type { GenerateRequest, GenerateResult, Model } from "../models/types.ts";
import type { PromptSet } from "../probes/prompt-sets/types.ts";
import { runRse } from "./run.ts";

// In-process models through the real engine and store, for the failure paths a loopback server would
// only make slower to reach.
function scriptedModel(name: string, answer: (request: GenerateRequest) => GenerateResult): Model {
  return {
    id: `test:${name}`,
    provider: "test",
    model: name,
    endpoint: "in-process",
    async generate(request) {
      return answer(request);
    },
  };
}
const ok = (text: string): GenerateResult => ({ ok: true, text, usage: { inputTokens: 1, outputTokens: 1 } });
const lastUser = (request: GenerateRequest) => request.messages.at(-1)!.content;
const prompts: PromptSet = {
  dataset: "mine",
  source: "test",
  skipped: {},
  prompts: [
    { id: "a", dataset: "mine", turns: ["alpha question", "alpha follow-up"] },
    { id: "b", dataset: "mine", turns: ["beta question"] },
  ],
};
const home = mkdtempSync(join(tmpdir(), "rse-failures-"));
after(() => rmSync(home, { recursive: true, force: true }));

describe("runRse failure handling", () => {
  it("leaves unanswered turns out of the scores and lists them", async () => {
    const target = scriptedModel("target", (request) => ok(`answer to ${lastUser(request)}`));
    const reference = scriptedModel("reference", (request) =>
      lastUser(request) === "alpha question"
        ? { ok: false, errorClass: "refused", message: "declined" }
        : ok(`reply to ${lastUser(request)}`),
    );
    const result = await runRse({
      target,
      references: [reference],
      promptSets: [prompts],
      store: openStore(home),
    });
    assert.deepEqual(
      result.items.map((item) => item.promptId),
      ["b"],
    );
    assert.deepEqual(
      result.failures.collection.map((failure) => [
        failure.model,
        failure.promptId,
        failure.turn,
        failure.error,
      ]),
      [
        ["test:reference", "a", 0, "refused: declined"],
        ["test:reference", "a", 1, "not asked: an earlier turn has no answer"],
      ],
    );
    assert.equal(result.n, 1);
  });

  it("records judge failures as errors, never as scores", async () => {
    const target = scriptedModel("target-2", (request) => ok(`answer to ${lastUser(request)}`));
    const reference = scriptedModel("reference-2", (request) => ok(`reply to ${lastUser(request)}`));
    const judge = scriptedModel("judge", () => ({
      ok: false,
      errorClass: "refused",
      message: "content filter",
    }));
    const result = await runRse({
      target,
      references: [reference],
      promptSets: [prompts],
      store: openStore(home),
      judge: { kind: "llm", model: judge, nonceSecret: "secret" },
    });
    assert.equal(result.items.length, 3);
    for (const item of result.items) {
      assert.equal(item.scores, null);
      assert.match(item.error!, /refused: content filter/);
    }
    assert.equal(result.failures.judge, 3);
    assert.equal(result.n, 0);
    assert.ok(Number.isNaN(result.scores.overall));
  });
});
