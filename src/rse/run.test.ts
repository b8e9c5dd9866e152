import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openStore } from "../engine/index.ts";
import { InputError } from "../errors.ts";
import { createModel } from "../models/registry.ts";
import type { ChatMessage } from "../models/types.ts";
import { defaultPromptSet } from "../probes/prompt-sets/default-set.ts";
import { loadShareGpt } from "../probes/prompt-sets/sharegpt.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import {
  judgeModelName,
  otherStyleModelName,
  sameStyleModelName,
  scriptedAnswer,
  scriptedJudgeReply,
  targetModelName,
} from "./loopback-fixture.ts";
import { runRse } from "./run.ts";

let server: MockProviderServer;
const seen: Array<{ model: string; messages: ChatMessage[] }> = [];
const environment = { OPENAI_API_KEY: "sk-loopback-test" };
const model = (name: string) => createModel(`openai:${name}`, { baseUrl: server.openaiBaseUrl, environment });

before(async () => {
  server = await startMockProviderServer({
    respond: ({ model: name, messages }) => {
      seen.push({ model: name, messages });
      return name === judgeModelName ? scriptedJudgeReply(messages) : scriptedAnswer(name, messages);
    },
  });
});
after(async () => {
  await server.close();
});

describe("rse run over loopback servers", () => {
  // Scores and resumability end to end (CLI, three HTTP servers, both judges) are tested in
  // src/cli/commands/rse.test.ts.
  it("replays ShareGPT conversations turn by turn with each model's own answers", async () => {
    const folder = mkdtempSync(join(tmpdir(), "rse-sharegpt-"));
    const path = join(folder, "sharegpt.json");
    writeFileSync(
      path,
      JSON.stringify([
        {
          id: "conv-1",
          conversations: [
            { from: "human", value: "How should I learn knitting quickly?" },
            { from: "gpt", value: "RECORDED ANSWER THAT MUST NOT BE SENT" },
            { from: "human", value: "And which yarn should beginners choose?" },
          ],
        },
      ]),
    );
    const store = openStore(mkdtempSync(join(tmpdir(), "rse-replay-")));
    seen.length = 0;
    const phases: Array<[string, number]> = [];
    const result = await runRse({
      target: model(targetModelName),
      references: [model(otherStyleModelName)],
      promptSets: [await loadShareGpt(path)],
      store,
      onPhase: (phase, total) => phases.push([phase, total]),
    });
    // The progress counts turns, and says so when a conversation has more than one.
    assert.deepEqual(phases.slice(0, 2), [
      [`turn answers (1 prompt) of openai:${targetModelName}`, 2],
      [`turn answers (1 prompt) of openai:${otherStyleModelName}`, 2],
    ]);
    for (const name of [targetModelName, otherStyleModelName]) {
      const requests = seen.filter((entry) => entry.model === name);
      assert.equal(requests.length, 2, name);
      const second = requests.find((entry) => entry.messages.length === 3)!;
      const ownFirst = requests.find((entry) => entry.messages.length === 1)!;
      assert.equal(second.messages[1]!.role, "assistant");
      assert.equal(second.messages[1]!.content, scriptedAnswer(name, ownFirst.messages));
      assert.ok(!JSON.stringify(second.messages).includes("RECORDED ANSWER"));
    }
    assert.deepEqual(
      result.items.map((entry) => entry.turn),
      [0, 1],
    );
    assert.equal(result.datasets.sharegpt!.references[`openai:${otherStyleModelName}`]!.conversations, 1);
  });

  it("rejects a reference that is the target or repeated", async () => {
    const store = openStore(mkdtempSync(join(tmpdir(), "rse-bad-")));
    const base = { promptSets: [defaultPromptSet()], store };
    await assert.rejects(
      runRse({ ...base, target: model(targetModelName), references: [model(targetModelName)] }),
      InputError,
    );
    await assert.rejects(
      runRse({
        ...base,
        target: model(targetModelName),
        references: [model(sameStyleModelName), model(sameStyleModelName)],
      }),
      /references \(--reference\): openai:\S+ is given twice/,
    );
    const notModels = (options: object, message: RegExp) =>
      assert.rejects(
        runRse({ ...base, target: model(targetModelName), references: [], ...options } as never),
        (error: unknown) => error instanceof InputError && message.test(error.message),
      );
    await notModels(
      { references: undefined },
      /^references \(--reference\) must be a list of models from createModel/,
    );
    await notModels(
      { references: ["openai:gpt-4o"] },
      /^references \(--reference\) must be a list of models from createModel/,
    );
    await notModels({ target: "openai:gpt-4o" }, /^target \(--target\) must be a model from createModel/);
  });

  it("checks the seed as the CLI checks --seed (a whole number >= 0) and needs a list of prompt sets", async () => {
    const store = openStore(mkdtempSync(join(tmpdir(), "rse-seed-")));
    const base = {
      promptSets: [defaultPromptSet()],
      store,
      target: model(targetModelName),
      references: [model(otherStyleModelName)],
    };
    const requestsBefore = seen.length;
    for (const [seed, shown] of [
      ["x", '"x"'],
      [1.5, "1.5"],
      [-1, "-1"],
    ] as const)
      await assert.rejects(
        runRse({ ...base, seed } as never),
        (error: unknown) =>
          error instanceof InputError &&
          error.message === `seed (--seed) must be a whole number >= 0, got ${shown}`,
      );
    await assert.rejects(
      runRse({ ...base, promptSets: undefined } as never),
      (error: unknown) =>
        error instanceof InputError &&
        /^promptSets \(--prompts\) must be a list of prompt sets/.test(error.message),
    );
    assert.equal(seen.length, requestsBefore, "no request before the options are checked");
  });

  it("refuses options of the wrong shape with an InputError naming the option, before any request", async () => {
    const store = openStore(mkdtempSync(join(tmpdir(), "rse-shape-")));
    const base = {
      promptSets: [defaultPromptSet()],
      store,
      target: model(targetModelName),
      references: [model(otherStyleModelName)],
    };
    const requestsBefore = seen.length;
    const rejects = (options: unknown, message: string | RegExp) =>
      assert.rejects(runRse(options as never), (error: unknown) => {
        const matches =
          typeof message === "string"
            ? error instanceof Error && error.message === message
            : message.test(String((error as Error).message));
        return error instanceof InputError && matches;
      });
    await rejects(
      undefined,
      "runRse needs an options object { target, references, promptSets, store }, got nothing",
    );
    await rejects(
      { ...base, promptSets: ["default"] },
      /^promptSets \(--prompts\) must be a list of prompt sets/,
    );
    await rejects(
      { ...base, judge: { kind: "similarity" } },
      /^judge must be \{ kind: "embedded" \} or \{ kind: "llm"/,
    );
    await rejects({ ...base, judge: { kind: "llm" } }, /^judge must be .* got \{"kind":"llm"\}$/);
    await rejects({ ...base, resamples: 0 }, "resamples must be a whole number >= 1, got 0");
    await rejects({ ...base, resamples: "x" }, 'resamples must be a whole number >= 1, got "x"');
    await rejects(
      { ...base, generation: { temperature: "x" } },
      'generation.temperature must be between 0 and 2, got "x"',
    );
    await rejects(
      { ...base, generation: { maxTokens: 0 } },
      "generation.maxTokens must be a whole number >= 1, got 0",
    );
    await rejects(
      { ...base, generation: { stop: "END" } },
      'generation.stop must be a list of strings, got "END"',
    );
    await rejects({ ...base, onPhase: "log" }, 'onPhase must be a function when given, got "log"');
    await rejects({ ...base, signal: {} }, /^signal must be an AbortSignal when given/);
    assert.equal(seen.length, requestsBefore, "no request before the options are checked");
  });
});
