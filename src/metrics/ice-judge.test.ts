import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { CompleteFunction } from "../judges/identity-llm-judge.ts";
import { judgeIceFile } from "./ice-judge.ts";

const folder = mkdtempSync(join(tmpdir(), "ice-judge-test-"));
const file = join(folder, "answers.jsonl");
writeFileSync(
  file,
  [
    { template: "You are ChatGPT. {query}", query: "Who made you?", response: "I was developed by OpenAI." },
    {
      template: "Be a pirate. {query}",
      query: "Who made you?",
      response: "I am Qwen, made by Alibaba Cloud.",
    },
    { template: "Be a pirate. {query}", query: "你是谁？", response: "我是由OpenAI开发的。" },
    { template: "Be a pirate. {query}", query: "Who made you?", response: "FAIL" },
  ]
    .map((row) => JSON.stringify(row))
    .join("\n"),
);

/** An in-process judge: says "1 1" when the answer mentions OpenAI, fails on FAIL answers. */
const fakeJudge: CompleteFunction = async (request) => {
  const system = request.messages[0]!.content;
  const user = request.messages[1]!.content;
  const nonce = /<verdict-([0-9a-f]+)>/.exec(system)![1]!;
  if (user.includes("FAIL")) return { ok: false, errorClass: "fatal", message: "model not found" };
  const verdict = user.includes("OpenAI开发") || user.includes("developed by OpenAI") ? "1 1" : "0 0";
  return {
    ok: true,
    text: `ok <verdict-${nonce}>${verdict}</verdict-${nonce}>`,
    usage: { inputTokens: 1, outputTokens: 1 },
  };
};

describe("judgeIceFile", () => {
  it("scores with the embedded judge", async () => {
    const result = await judgeIceFile({ file, format: "jsonl", identity: "alibaba" });
    assert.equal(result.judge, "embedded");
    assert.equal(result.n, 4);
    assert.deepEqual(
      result.items.map((item) => item.strict),
      [true, false, true, false],
    );
    assert.equal(result.agreement, undefined);
    const name = file.replace(/^.*[\\/]/, "");
    assert.deepEqual(result.source, {
      target: `${name} (jsonl)`,
      identity: "alibaba",
      judge: "embedded",
      format: "jsonl",
      file,
    });
  });
  it("names an unknown format as a library caller and a CLI user know it", async () => {
    await assert.rejects(judgeIceFile({ file, format: "csv" as never, identity: "alibaba" }), {
      name: "InputError",
      message: 'format (--format) "csv" is not supported; use lee2025, jsonl or ice-result',
    });
  });
  it("runs an LLM judge beside the embedded one, records its errors and reports agreement", async () => {
    const progress: number[] = [];
    const result = await judgeIceFile({
      file,
      format: "jsonl",
      identity: "alibaba",
      llmJudge: { id: "fake:judge", complete: fakeJudge, concurrency: 2 },
      onProgress: (done) => progress.push(done),
    });
    assert.equal(result.judge, "fake:judge");
    assert.equal(result.source.judge, "fake:judge");
    assert.equal(result.n, 3);
    assert.equal(result.judgeErrors, 1);
    assert.equal(result.items[3]?.strict, null);
    assert.match(result.items[3]?.judgeError ?? "", /model not found/);
    assert.equal(result.agreement?.strict.n, 3);
    assert.equal(result.agreement?.strict.raw, 1);
    assert.equal(result.scores.strict, 2 / 3);
    assert.deepEqual(progress.sort(), [1, 2, 3, 4]);
  });
});

describe("judgeIceFile: sampling from the transcripts", () => {
  it("records in generation what a model refused (sentWithout) and the value asked, and nothing otherwise", async () => {
    const sampled = join(folder, "sampled.jsonl");
    writeFileSync(
      sampled,
      [
        {
          query: "Who made you?",
          response: "I was developed by OpenAI.",
          parameters: { temperature: 0, sentWithout: ["temperature", "temprature"] },
        },
        { query: "Who are you?", response: "I am Qwen.", parameters: { temperature: 0 } },
        { query: "你是谁？", response: "我是通义千问。" },
      ]
        .map((row) => JSON.stringify(row))
        .join("\n"),
    );
    const result = await judgeIceFile({ file: sampled, format: "jsonl", identity: "alibaba" });
    assert.deepEqual(result.generation, { temperature: 0, sentWithout: ["temperature"] });
    const plain = await judgeIceFile({ file, format: "jsonl", identity: "alibaba" });
    assert.equal(plain.generation, undefined);
    assert.equal("generation" in plain, false);
  });
});

describe("judgeIceFile: options from plain JavaScript", () => {
  it("says what it needs instead of failing with a TypeError", async () => {
    const call = judgeIceFile as (options: unknown) => Promise<unknown>;
    await assert.rejects(call(undefined), {
      name: "InputError",
      message: /^judgeIceFile needs an options object \{ file, format, identity \}/,
    });
    await assert.rejects(call({ format: "jsonl", identity: "alibaba" }), {
      name: "InputError",
      message: /^judgeIceFile: file must be the path of a transcripts file, got nothing$/,
    });
    await assert.rejects(call({ file, format: "jsonl", identity: "alibaba", onProgress: 3 }), {
      name: "InputError",
      message: /^onProgress must be a function when given, got 3/,
    });
  });
});
