import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openStore } from "../engine/index.ts";
import { InputError, RuntimeFailure } from "../errors.ts";
import type { GenerateRequest, GenerateResult, Model } from "../models/types.ts";
import type { PromptSet } from "../probes/prompt-sets/types.ts";
import { failWhenModelAnsweredNothing } from "./answered-nothing.ts";
import { judgeNonceSecret } from "./judge-secret.ts";
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

  it("an LLM judge given without nonceSecret uses the home's judge secret, as rse run does", async () => {
    const target = scriptedModel("target-6", (request) => ok(`answer to ${lastUser(request)}`));
    const reference = scriptedModel("reference-6", (request) => ok(`reply to ${lastUser(request)}`));
    const judgeRequests = (requests: string[]) =>
      scriptedModel("judge-6", (request) => {
        requests.push(JSON.stringify(request.messages));
        return { ok: false, errorClass: "refused", message: "content filter" };
      });
    const run = async (nonceSecret: string | undefined) => {
      const requests: string[] = [];
      const judge = judgeRequests(requests);
      const store = openStore(mkdtempSync(join(home, "judge-secret-")));
      await runRse({
        target,
        references: [reference],
        promptSets: [prompts],
        store,
        judge: { kind: "llm", model: judge, ...(nonceSecret === undefined ? {} : { nonceSecret }) },
      });
      store.close();
      return { requests: requests.sort(), home: store.home };
    };
    const omitted = await run(undefined);
    assert.ok(omitted.requests.length > 0);
    assert.match(omitted.requests[0]!, /<scores-[0-9a-f]{16}>/);
    const store = openStore(omitted.home);
    const homeSecret = judgeNonceSecret(store.home);
    store.close();
    const requests: string[] = [];
    await runRse({
      target,
      references: [reference],
      promptSets: [prompts],
      store: openStore(omitted.home),
      judge: { kind: "llm", model: judgeRequests(requests), nonceSecret: homeSecret },
    });
    assert.deepEqual(requests.sort(), omitted.requests, "the same nonces as with the home's secret given");
    const other = await run(undefined);
    assert.notDeepEqual(other.requests, omitted.requests, "another home, other nonces");
  });

  it("counts empty and whitespace-only answers as missing: never scored, two blanks never 5.0", async () => {
    const blankTarget = scriptedModel("blank-target", (request) =>
      lastUser(request) === "beta question" ? ok("") : ok(`answer to ${lastUser(request)}`),
    );
    const blankReference = scriptedModel("blank-reference", (request) =>
      lastUser(request) === "alpha follow-up" ? ok(" \n\t ") : ok(""),
    );
    const fine = scriptedModel("fine-reference", (request) => ok(`reply to ${lastUser(request)}`));
    const result = await runRse({
      target: blankTarget,
      references: [blankReference, fine],
      promptSets: [prompts],
      store: openStore(home),
    });
    // Target: "b" blank; blank reference: every answer blank; only target a#0 and a#1 vs fine are scored.
    assert.deepEqual(
      result.items.map((item) => [item.reference, item.promptId, item.turn]),
      [
        ["test:fine-reference", "a", 0],
        ["test:fine-reference", "a", 1],
      ],
    );
    for (const item of result.items) assert.ok(item.scores!.overall < 5);
    assert.equal(result.n, 0, "the primary (blank) reference has nothing scored");
    assert.ok(Number.isNaN(result.scores.overall));
    assert.deepEqual(
      result.failures.emptyAnswers.map((entry) => [entry.model, entry.promptId, entry.turn]),
      [
        ["test:blank-target", "b", 0],
        ["test:blank-reference", "a", 0],
        ["test:blank-reference", "b", 0],
      ],
    );
    // After the blank a#0 the blank reference is not asked a#1 (its history would hold an empty answer).
    assert.deepEqual(
      result.failures.collection.map((failure) => [
        failure.model,
        failure.promptId,
        failure.turn,
        failure.error,
      ]),
      [["test:blank-reference", "a", 1, "not asked: an earlier turn's answer is empty"]],
    );
    assert.deepEqual(result.answerCounts["test:blank-target"], {
      turns: 3,
      answered: 2,
      empty: 1,
      failed: 0,
    });
    assert.deepEqual(result.answerCounts["test:blank-reference"], {
      turns: 3,
      answered: 0,
      empty: 2,
      failed: 1,
    });
    assert.throws(
      () => failWhenModelAnsweredNothing(result, [blankTarget, blankReference, fine], "out.json", "/h/home"),
      (error: unknown) => {
        assert.ok(error instanceof RuntimeFailure);
        assert.equal(
          error.message,
          "reference test:blank-reference at in-process: none of 3 turns answered: 2 empty, 1 not asked " +
            "(an earlier turn's answer is empty); nothing was measured against it (each failure is in out.json); " +
            "check the model id, its endpoint and key; empty answers are stored like any answer and the same " +
            "command reuses them without asking; to ask again, run with a new --home folder (this store is in /h/home)",
        );
        return true;
      },
    );
    // The advice is true: the same run again takes the empty answers from the store, asks nothing.
    let asked = 0;
    const countingBlank = scriptedModel("blank-reference", (request) => {
      asked++;
      return lastUser(request) === "alpha follow-up" ? ok(" \n\t ") : ok("");
    });
    const again = await runRse({
      target: blankTarget,
      references: [countingBlank, fine],
      promptSets: [prompts],
      store: openStore(home),
    });
    assert.equal(asked, 0);
    assert.deepEqual(again.answerCounts["test:blank-reference"], result.answerCounts["test:blank-reference"]);
    // A model that is not cacheable (replay) stores nothing: the advice is to fix its file, not --home.
    const replayed = { ...blankReference, cacheable: false };
    assert.throws(
      () => failWhenModelAnsweredNothing(result, [blankTarget, replayed, fine], "out.json", "/h/home"),
      (error: unknown) =>
        error instanceof RuntimeFailure &&
        error.message.endsWith(
          "check the model id, its endpoint and key; replayed answers are read from the transcript file on every run, so fix the file",
        ),
    );
  });

  it("fails (exit 3) when one reference answered nothing while another was scored, naming only that one", async () => {
    const target = scriptedModel("target-3", (request) => ok(`answer to ${lastUser(request)}`));
    const dead = scriptedModel("dead-reference", () => ({
      ok: false,
      errorClass: "refused",
      message: "content filter",
    }));
    const fine = scriptedModel("fine-reference-3", (request) => ok(`reply to ${lastUser(request)}`));
    const result = await runRse({
      target,
      references: [fine, dead],
      promptSets: [prompts],
      store: openStore(home),
    });
    assert.equal(result.n, 3, "the working reference is scored");
    assert.equal(result.comparisons[0]!.n, 0);
    assert.equal(result.comparisons[0]!.axes.overall.pValueHolm, 1, "no test, not counted by Holm");
    assert.throws(
      () => failWhenModelAnsweredNothing(result, [target, fine, dead], "out.json"),
      (error: unknown) => {
        assert.ok(error instanceof RuntimeFailure);
        assert.match(
          error.message,
          /^reference test:dead-reference at in-process: none of 3 turns answered: 2 failed \(refused: content filter\), 1 not asked \(an earlier turn has no answer\)/,
        );
        assert.ok(!error.message.includes("fine-reference"));
        // Failures are not stored: the advice is to run the same command again, not to change --home.
        assert.match(
          error.message,
          /failed turns are not stored, so running the same command again asks them again$/,
        );
        assert.ok(!error.message.includes("--home"));
        return true;
      },
    );
    const healthy = await runRse({
      target,
      references: [fine],
      promptSets: [prompts],
      store: openStore(home),
    });
    assert.doesNotThrow(() => failWhenModelAnsweredNothing(healthy, [target, fine], "out.json"));
  });

  it("keeps dataset x with id y/z apart from dataset x/y with id z, and names both sets of a true duplicate", async () => {
    const target = scriptedModel("target-4", (request) => ok(`answer to ${lastUser(request)}`));
    const reference = scriptedModel("reference-4", (request) => ok(`reply to ${lastUser(request)}`));
    const tricky: PromptSet = {
      dataset: "s",
      source: "s.jsonl",
      skipped: {},
      prompts: [
        { id: "y/z", dataset: "x", turns: ["first question"] },
        { id: "z", dataset: "x/y", turns: ["second question"] },
      ],
    };
    const result = await runRse({
      target,
      references: [reference],
      promptSets: [tricky],
      store: openStore(home),
    });
    assert.deepEqual(
      result.items.map((item) => [item.dataset, item.promptId, item.targetResponse]),
      [
        ["x", "y/z", "answer to first question"],
        ["x/y", "z", "answer to second question"],
      ],
    );
    const again: PromptSet = { ...tricky, source: "t.jsonl", prompts: [tricky.prompts[1]!] };
    await assert.rejects(
      runRse({ target, references: [reference], promptSets: [tricky, again], store: openStore(home) }),
      (error: unknown) =>
        error instanceof InputError &&
        error.message ===
          'promptSets (--prompts): dataset "x/y" has id "z" in s.jsonl and in t.jsonl; give one of them another "dataset" name or id',
    );
  });
});
