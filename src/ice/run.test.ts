import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openStore } from "../engine/index.ts";
import { InputError, RuntimeFailure } from "../errors.ts";
import { createModel } from "../models/registry.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { runIce } from "./run.ts";
import { loopbackAnswerFor, loopbackIdentity, respondWithKnownMix } from "./run-loopback-fixture.ts";

let server: MockProviderServer;
const home = mkdtempSync(join(tmpdir(), "distillscope-ice-run-"));
const requestsByModel = new Map<string, number>();

/** The target answers from the known mix; the helper model edits templates with a chatty preamble. */
function respond(input: { model: string; messages: Array<{ role: string; content: string }> }): string {
  requestsByModel.set(input.model, (requestsByModel.get(input.model) ?? 0) + 1);
  if (input.model === "judge-model") {
    // A judge that says "conflict" to everything, with the nonce tag it was told to use.
    const nonce = /verdict-([0-9a-f]+)>/.exec(input.messages[0]?.content ?? "")?.[1] ?? "none";
    return `The answer is suspicious. <verdict-${nonce}>1 1</verdict-${nonce}>`;
  }
  if (input.model !== "helper-model") return respondWithKnownMix(input);
  const prompt = input.messages.at(-1)?.content ?? "";
  if (prompt.includes("three sentences"))
    return "Here are the sentences:\nYou are among friends. Speak freely. Be exact.";
  return `Here is the rewritten template:\nVariant ${prompt.length}: describe precisely who you are. {query}`;
}

before(async () => {
  server = await startMockProviderServer({ respond, apiKey: "test-key" });
});

after(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

function target(model = "deepseek-chat") {
  return createModel(`openai:${model}`, {
    baseUrl: server.openaiBaseUrl,
    environment: { OPENAI_API_KEY: "test-key" },
  });
}

test("a misspelt policy or forms, or a missing target, is an InputError before any request", async () => {
  const store = openStore(home);
  const base = { target: target(), identity: loopbackIdentity, store, budget: 5 };
  const before = server.stats().requests;
  const rejects = (options: object, message: RegExp) =>
    assert.rejects(
      runIce({ ...base, ...options } as Parameters<typeof runIce>[0]),
      (error: unknown) => error instanceof InputError && message.test(error.message),
    );
  try {
    await rejects({ policy: "mcts" }, /policy must be "mcts-explore" or "random-seed", got "mcts"/);
    await rejects({ forms: "pairs" }, /forms must be "paired", "all" or "neutral", got "pairs"/);
    await rejects({ target: undefined }, /^target \(--target\) must be a model from createModel/);
    // Seeds are checked as the CLI checks --seed: a whole number >= 0.
    await rejects({ seed: -1 }, /^seed \(--seed\) must be a whole number >= 0, got -1$/);
    await rejects({ seed: 1.5 }, /^seed \(--seed\) must be a whole number >= 0, got 1\.5$/);
    await rejects({ seed: "x" }, /^seed \(--seed\) must be a whole number >= 0, got "x"$/);
    await rejects({ budget: 0 }, /^budget \(--budget\) must be a whole number >= 1, got 0$/);
    // Shapes a plain-JavaScript caller gets wrong: InputErrors naming the option, not TypeErrors.
    await rejects({ judge: "embedded" }, /^judge must be \{ kind: "embedded" \} or \{ kind: "llm", model: /);
    await rejects({ judge: { kind: "llm" } }, /^judge must be .* got \{"kind":"llm"\}$/);
    await rejects(
      { languages: "en" },
      /^languages \(--languages\) must be a list, e\.g\. \["en", "zh"\], got "en"$/,
    );
    await rejects({ onStep: true }, /^onStep must be a function when given, got true$/);
    await rejects({ signal: "stop" }, /^signal must be an AbortSignal when given/);
    await assert.rejects(
      runIce(undefined as unknown as Parameters<typeof runIce>[0]),
      (error: unknown) =>
        error instanceof InputError &&
        error.message === "runIce needs an options object { target, identity, store }, got nothing",
    );
    assert.equal(server.stats().requests, before);
  } finally {
    store.close();
  }
});

test("an interrupted run says how many target answers the whole run stored, not one iteration's", async () => {
  const store = openStore(home);
  const stop = new AbortController();
  let answers = 0;
  try {
    await assert.rejects(
      runIce({
        target: target("interrupted-target"),
        identity: loopbackIdentity,
        store,
        budget: 200,
        seed: 11,
        questionsPerLanguage: 10,
        signal: stop.signal,
        onEvent: (event) => {
          if (event.type !== "answer") return;
          answers++;
          // Past the first iteration's batch (20 prompts), so one batch's count would be wrong.
          if (answers === 45) stop.abort();
        },
      }),
      (error: unknown) => {
        assert.ok(error instanceof RuntimeFailure, String(error));
        const counted = /^interrupted: (\d+) of at most 200 target answers are stored;/.exec(error.message);
        assert.ok(counted, error.message);
        assert.equal(Number(counted[1]), answers);
        return true;
      },
    );
    assert.ok(answers >= 45);
  } finally {
    store.close();
  }
});

test("ice run against a loopback target: verdicts right, budget kept, resumable", async () => {
  const budget = 130;
  const options = {
    target: target(),
    identity: loopbackIdentity,
    store: openStore(home),
    budget,
    seed: 3,
    questionsPerLanguage: 10,
  };
  const before = server.stats().requests;
  const result = await runIce(options);
  const sent = server.stats().requests - before;
  assert.ok(sent <= budget, `server saw ${sent} target queries for a budget of ${budget}`);
  assert.equal(result.search.queriesUsed, budget);
  assert.equal(result.items.length, budget);
  assert.deepEqual(
    result.search.steps.map((step) => step.queries),
    [20, 20, 20, 20, 20, 20, 10],
  );

  let right = 0;
  for (const item of result.items) {
    const known = loopbackAnswerFor(item.response);
    assert.ok(known !== undefined, `unexpected response ${item.response}`);
    const hard = known.expected.strict && !item.vendorNamed;
    if (item.loose === known.expected.loose && item.strict === known.expected.strict && item.hard === hard)
      right++;
  }
  const accuracy = right / result.items.length;
  assert.ok(accuracy >= 0.95, `accuracy ${accuracy}`);

  assert.equal(result.kind, "ice");
  assert.equal(result.target, "openai:deepseek-chat");
  assert.deepEqual(result.source, {
    target: "openai:deepseek-chat",
    identity: loopbackIdentity,
    judge: "embedded",
    command: "ice run",
  });
  result.items.forEach((item, position) => {
    assert.equal(item.index, position);
    assert.ok(item.template?.includes("{query}"));
    assert.ok(Array.isArray(item.claims));
  });
  const steps = result.search.steps;
  for (const step of steps) {
    const node = result.search.nodes.find((entry) => entry.id === step.nodeId);
    assert.equal(node?.parentId, step.selectedId);
  }

  // The same command again: every answer comes from the store, the same items come back.
  const again = await runIce({ ...options, target: target() });
  assert.equal(server.stats().requests - before, sent, "a re-run must not query the target again");
  assert.deepEqual(
    again.items.map((item) => [item.template, item.query, item.response]),
    result.items.map((item) => [item.template, item.query, item.response]),
  );
});

test("with a helper model, mutations come from the helper and its calls are counted apart", async () => {
  const targetBefore = requestsByModel.get("deepseek-chat") ?? 0;
  const result = await runIce({
    target: target(),
    helper: target("helper-model"),
    identity: loopbackIdentity,
    store: openStore(home),
    budget: 60,
    seed: 11,
    questionsPerLanguage: 5,
    policy: "random-seed",
  });
  const targetSent = (requestsByModel.get("deepseek-chat") ?? 0) - targetBefore;
  assert.ok(targetSent <= 60, `target saw ${targetSent} queries`);
  assert.equal(result.search.queriesUsed, 60);
  assert.equal(result.search.mutators, "helper");
  assert.ok(result.search.helperCalls >= result.search.iterations);
  const helperSent = requestsByModel.get("helper-model") ?? 0;
  assert.ok(helperSent > 0 && helperSent <= result.search.helperCalls, `helper saw ${helperSent} calls`);
  const expanded = result.search.steps.filter((step) => step.mutator === "expand").length;
  const rewritten = result.search.steps.filter((step) => step.mutator !== "expand").length;
  assert.ok(expanded > 0 && rewritten > 0, `${expanded} expand and ${rewritten} other helper steps`);
  for (const step of result.search.steps) {
    const node = result.search.nodes.find((entry) => entry.id === step.nodeId)!;
    assert.ok(node.text.includes("{query}"));
    assert.doesNotMatch(node.text, /^Here (is|are) the/);
    if (step.mutator === "expand") assert.ok(node.text.startsWith("You are among friends."));
    else assert.match(node.text, /^Variant \d+: describe precisely who you are\./, step.mutator);
  }
});

test("with an LLM judge, its verdicts are scored and agreement with the embedded judge is reported", async () => {
  const result = await runIce({
    target: target(),
    judge: { kind: "llm", model: target("judge-model") },
    identity: loopbackIdentity,
    store: openStore(home),
    budget: 20,
    seed: 5,
    questionsPerLanguage: 5,
  });
  assert.equal(result.judge, "openai:judge-model");
  assert.equal(result.n, 20);
  assert.ok(result.items.every((item) => item.loose === true && item.strict === true));
  assert.equal(result.agreement?.judges[0], "openai:judge-model");
  assert.equal(result.agreement?.judges[1], "embedded");
});
