import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openStore } from "../engine/index.ts";
import { InputError } from "../errors.ts";
import { axes } from "../judges/similarity-llm-judge.ts";
import type { ChatMessage, Model } from "../models/types.ts";
import { defaultPromptSet } from "../probes/prompt-sets/default-set.ts";
import { samplePromptSet } from "../probes/prompt-sets/load.ts";
import { loadShareGpt } from "../probes/prompt-sets/sharegpt.ts";
import type { MockProviderServer } from "../testing/mock-provider-server.ts";
import {
  dissimilarModelName,
  judgeModelName,
  referenceModelName,
  scriptedAnswer,
  scriptedJudgeReply,
  similarModelName,
} from "./loopback-fixture.ts";
import { type RseResult, runRse } from "./run.ts";

// The adapters and the loopback server are engineer A's; until they exist these tests say so and skip.
const needed = ["../models/registry.ts", "../testing/mock-provider-server.ts"];
const missing = needed.filter((path) => !existsSync(new URL(path, import.meta.url)));
const skip = missing.length > 0 ? `needs ${missing.join(" and ")}, not built yet` : false;

let server: MockProviderServer;
let createModel: (id: string, options: { baseUrl: string; environment: NodeJS.ProcessEnv }) => Model;
const seen: Array<{ model: string; messages: ChatMessage[] }> = [];
const environment = { OPENAI_API_KEY: "sk-loopback-test" };
const model = (name: string) => createModel(`openai:${name}`, { baseUrl: server.openaiBaseUrl, environment });

before(async () => {
  if (skip) return;
  ({ createModel } = await import("../models/registry.ts"));
  const { startMockProviderServer } = await import("../testing/mock-provider-server.ts");
  server = await startMockProviderServer({
    respond: ({ model: name, messages }) => {
      seen.push({ model: name, messages });
      return name === judgeModelName ? scriptedJudgeReply(messages) : scriptedAnswer(name, messages);
    },
  });
});
after(async () => {
  await server?.close();
});

function assertSimilarScoresHigher(result: RseResult): void {
  const similar = result.byReference[`openai:${similarModelName}`]!;
  const dissimilar = result.byReference[`openai:${dissimilarModelName}`]!;
  const comparison = result.comparisons[0]!;
  for (const axis of axes) {
    assert.ok(
      similar.intervals[axis].low > dissimilar.intervals[axis].high,
      `${axis}: similar ${JSON.stringify(similar.intervals[axis])} vs dissimilar ${JSON.stringify(dissimilar.intervals[axis])}`,
    );
    assert.ok(comparison.axes[axis].pValueHolm < 0.05, `${axis} p=${comparison.axes[axis].pValueHolm}`);
    assert.ok(comparison.axes[axis].interval.low > 0, axis);
  }
  assert.equal(comparison.nearer, `openai:${similarModelName}`);
}

describe("rse run over loopback servers", { skip }, () => {
  it("scores the same-style model significantly nearer on every axis (embedded judge), then re-uses the store", async () => {
    const store = openStore(mkdtempSync(join(tmpdir(), "rse-run-")));
    const options = {
      target: model(referenceModelName),
      references: [model(similarModelName), model(dissimilarModelName)],
      promptSets: [defaultPromptSet()],
      store,
      seed: 1,
    };
    const result = await runRse(options);
    assert.equal(result.kind, "rse");
    assert.equal(result.judge, "embedded");
    assert.equal(result.primaryReference, `openai:${similarModelName}`);
    assert.deepEqual(result.scores, result.byReference[`openai:${similarModelName}`]!.scores);
    assert.ok(result.n >= 84);
    assertSimilarScoresHigher(result);
    const item = result.items[0]!;
    assert.ok(
      item.targetResponse.length > 0 && item.referenceResponse.length > 0 && item.messages.length > 0,
    );
    const requestsBefore = server.stats().requests;
    const again = await runRse(options);
    assert.equal(server.stats().requests, requestsBefore, "a second run is answered from the store");
    assert.deepEqual(again.scores, result.scores);
  });

  it("judges with an LLM judge in both orders through the engine, retrying malformed replies", async () => {
    const store = openStore(mkdtempSync(join(tmpdir(), "rse-llm-")));
    const result = await runRse({
      target: model(referenceModelName),
      references: [model(similarModelName), model(dissimilarModelName)],
      promptSets: [samplePromptSet(defaultPromptSet(), 30, 2)],
      store,
      judge: { kind: "llm", model: model(judgeModelName), nonceSecret: "loopback-secret" },
    });
    assert.equal(result.judge, `openai:${judgeModelName}`);
    const judged = result.items.filter((entry) => entry.scores !== null);
    assert.ok(judged.length >= result.items.length - 2);
    for (const entry of judged)
      assert.deepEqual(
        entry.orders!.map((order) => order.order),
        ["target-first", "reference-first"],
      );
    assert.ok(
      result.items.some((entry) => entry.orders!.some((order) => order.attempts > 1)),
      "some replies were retried",
    );
    // The scripted judge adds 1 when the longer answer is shown first, so the two orders disagree.
    assert.ok(result.positionBias!.n > 0 && Math.abs(result.positionBias!.difference) > 0.1);
    assertSimilarScoresHigher(result);
  });

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
    const result = await runRse({
      target: model(referenceModelName),
      references: [model(dissimilarModelName)],
      promptSets: [await loadShareGpt(path)],
      store,
    });
    for (const name of [referenceModelName, dissimilarModelName]) {
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
    assert.equal(result.datasets.sharegpt!.references[`openai:${dissimilarModelName}`]!.conversations, 1);
  });

  it("rejects a reference that is the target or repeated", async () => {
    const store = openStore(mkdtempSync(join(tmpdir(), "rse-bad-")));
    const base = { promptSets: [defaultPromptSet()], store };
    await assert.rejects(
      runRse({ ...base, target: model(referenceModelName), references: [model(referenceModelName)] }),
      InputError,
    );
    await assert.rejects(
      runRse({
        ...base,
        target: model(referenceModelName),
        references: [model(similarModelName), model(similarModelName)],
      }),
      /given twice/,
    );
  });
});
