import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunWorkOptions, WorkResult } from "../engine/types.ts";
import type { GenerateRequest, Model } from "../models/types.ts";
import type { RsePrompt } from "../probes/prompt-sets/types.ts";
import type { Store } from "../store/store.ts";
import { collectAnswers, promptKey } from "./collect.ts";

// A model whose answer names the turn it answers and how many assistant messages it was shown.
function countingModel(): Model & { requests: GenerateRequest[] } {
  const requests: GenerateRequest[] = [];
  return {
    id: "test:counting",
    provider: "test",
    model: "counting",
    endpoint: "local",
    requests,
    async generate(request) {
      requests.push(request);
      const user = request.messages.filter((message) => message.role === "user").length;
      if (request.messages.at(-1)!.content === "fail")
        return { ok: false, errorClass: "fatal", message: "refused to go on" };
      if (request.messages.at(-1)!.content.startsWith("blank"))
        return {
          ok: true,
          text: request.messages.at(-1)!.content === "blank" ? "" : " \n ",
          usage: { inputTokens: 1, outputTokens: 0 },
        };
      return { ok: true, text: `own answer ${user}`, usage: { inputTokens: 1, outputTokens: 1 } };
    },
  };
}

// Runs items one by one on the model, the way the engine reports them (answers, failures).
async function directRunWork(options: RunWorkOptions): Promise<WorkResult> {
  const result: WorkResult = {
    answers: [],
    failures: [],
    stats: {
      total: 0,
      done: 0,
      answered: 0,
      cached: 0,
      failed: 0,
      retries: 0,
      rateLimited: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      elapsedMs: 0,
    },
  };
  for (const item of options.items) {
    const answer = await options.model.generate(item.request, new AbortController().signal);
    if (answer.ok)
      result.answers.push({
        id: item.id,
        sample: 0,
        model: options.model.id,
        response: answer.text,
        usage: answer.usage,
        latencyMs: 0,
        cached: false,
      });
    else result.failures.push({ id: item.id, sample: 0, error: answer });
  }
  return result;
}

describe("collectAnswers", () => {
  it("replays a conversation turn by turn with the model's own earlier answers", async () => {
    const model = countingModel();
    const prompts: RsePrompt[] = [
      { id: "c", dataset: "sharegpt", turns: ["one", "two", "three"], system: "be brief" },
      { id: "s", dataset: "sharegpt", turns: ["single"] },
    ];
    const answers = await collectAnswers({ model, prompts, store: {} as Store, runWork: directRunWork });
    const conversation = answers.get(promptKey(prompts[0]!))!;
    assert.deepEqual(
      conversation.map((turn) => turn.answer),
      ["own answer 1", "own answer 2", "own answer 3"],
    );
    assert.deepEqual(conversation[1]!.messages, [
      { role: "system", content: "be brief" },
      { role: "user", content: "one" },
      { role: "assistant", content: "own answer 1" },
      { role: "user", content: "two" },
    ]);
    // Turn 1 of both prompts goes first, then turn 2 of the conversation: three rounds, four requests.
    assert.equal(model.requests.length, 4);
    assert.equal(model.requests[2]!.messages[2]!.content, "own answer 1");
  });

  it("records a failed turn and does not ask the turns after it", async () => {
    const model = countingModel();
    const prompts: RsePrompt[] = [{ id: "f", dataset: "d", turns: ["fail", "after"] }];
    const answers = await collectAnswers({ model, prompts, store: {} as Store, runWork: directRunWork });
    const [first, second] = answers.get("d/f")!;
    assert.match(first!.error!, /fatal: refused to go on/);
    assert.match(second!.error!, /not asked/);
    assert.equal(model.requests.length, 1);
  });

  it("does not ask the turns after an empty or whitespace-only answer, like after a failed one", async () => {
    const model = countingModel();
    const prompts: RsePrompt[] = [
      { id: "e", dataset: "d", turns: ["blank", "second", "third"] },
      { id: "w", dataset: "d", turns: ["blank spaces", "second"] },
      { id: "ok", dataset: "d", turns: ["first", "second"] },
    ];
    const answers = await collectAnswers({ model, prompts, store: {} as Store, runWork: directRunWork });
    assert.deepEqual(
      answers.get("d/e")!.map((turn) => [turn.answer, turn.error]),
      [
        ["", undefined],
        [undefined, "not asked: an earlier turn's answer is empty"],
        [undefined, "not asked: an earlier turn's answer is empty"],
      ],
    );
    assert.deepEqual(
      answers.get("d/w")!.map((turn) => [turn.answer, turn.error]),
      [
        [" \n ", undefined],
        [undefined, "not asked: an earlier turn's answer is empty"],
      ],
    );
    // Only the three first turns and the healthy conversation's second turn are sent; no request ever
    // carries an empty assistant message.
    assert.equal(model.requests.length, 4);
    for (const request of model.requests)
      for (const message of request.messages)
        if (message.role === "assistant") assert.notEqual(message.content.trim(), "");
    assert.equal(answers.get("d/ok")![1]!.answer, "own answer 2");
  });
});
