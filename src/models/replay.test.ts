import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runWork } from "../engine/run-work.ts";
import { InputError } from "../errors.ts";
import { cacheKey } from "../store/cache-key.ts";
import { openStore } from "../store/store.ts";
import { createModel } from "./registry.ts";

const folder = mkdtempSync(join(tmpdir(), "replay-"));
after(() => rmSync(folder, { recursive: true, force: true }));

const line = (id: string, model: string, prompt: string, response: string, sample = 0) =>
  JSON.stringify({
    id,
    sample,
    model,
    messages: [{ role: "user", content: prompt }],
    response,
    usage: { inputTokens: 2, outputTokens: 3 },
    latencyMs: 5,
    cached: false,
  });

test("replay answers recorded prompts by model and sample, and fails clearly on a miss", async () => {
  const directory = join(folder, "runs");
  mkdirSync(directory);
  writeFileSync(
    join(directory, "a.jsonl"),
    `${[line("p1", "openai:gpt-4o", "hello", "hi from 4o"), line("p1", "openai:gpt-4o", "hello", "second sample", 1)].join("\n")}\n`,
  );
  writeFileSync(
    join(directory, "b.jsonl"),
    `${line("p2", "deepseek:deepseek-chat", "hello", "hi from deepseek")}\n`,
  );
  writeFileSync(join(directory, "notes.txt"), "ignored");
  const signal = new AbortController().signal;
  const model = createModel(`replay:${directory}#gpt-4o`);
  const first = await model.generate({ messages: [{ role: "user", content: "hello" }] }, signal);
  assert.ok(first.ok);
  assert.equal(first.text, "hi from 4o");
  assert.deepEqual(first.usage, { inputTokens: 2, outputTokens: 3 });
  const second = await model.generate({ messages: [{ role: "user", content: "hello" }], sample: 1 }, signal);
  assert.ok(second.ok && second.text === "second sample");
  const other = createModel(`replay:${join(directory, "b.jsonl")}#deepseek-chat`);
  const answer = await other.generate({ messages: [{ role: "user", content: "hello" }] }, signal);
  assert.ok(answer.ok && answer.text === "hi from deepseek");
  const miss = await model.generate({ messages: [{ role: "user", content: "never asked before" }] }, signal);
  assert.equal(miss.ok, false);
  assert.ok(!miss.ok && miss.errorClass === "fatal");
  assert.ok(!miss.ok && miss.message.includes(directory) && miss.message.includes("never asked before"));
});

test("replay of a missing path is an InputError", () => {
  assert.throws(() => createModel(`replay:${join(folder, "absent.jsonl")}#x`), InputError);
});

test("replay: a request naming a sample never recorded is fatal; one naming none takes a recorded answer", async () => {
  const file = join(folder, "samples.jsonl");
  writeFileSync(file, `${line("p1", "openai:m", "hi", "only sample 1", 1)}\n`);
  const signal = new AbortController().signal;
  const model = createModel(`replay:${file}#m`);
  const named = await model.generate({ messages: [{ role: "user", content: "hi" }], sample: 1 }, signal);
  assert.ok(named.ok && named.text === "only sample 1");
  const missing = await model.generate({ messages: [{ role: "user", content: "hi" }], sample: 0 }, signal);
  assert.ok(!missing.ok && missing.errorClass === "fatal" && missing.message.includes("sample 0"));
  const unnamed = await model.generate({ messages: [{ role: "user", content: "hi" }] }, signal);
  assert.ok(unnamed.ok && unnamed.text === "only sample 1");
});

test("replay answers follow the file: an edited transcript or an older store never serves a stale answer", async () => {
  const file = join(folder, "edited.jsonl");
  writeFileSync(
    file,
    `${[line("q1", "openai:m", "q1?", "q1 sample 0"), line("q1", "openai:m", "q1?", "q1 sample 1", 1)].join("\n")}\n`,
  );
  const store = openStore(join(folder, "home-edited"));
  const messages = [{ role: "user" as const, content: "q1?" }];
  const items = [0, 1].map((sample) => ({ id: "q1", sample, request: { messages, sample } }));
  try {
    // A store filled by older code, which replayed sample 0 for every sample, holds a wrong sample 1.
    const model = createModel(`replay:${file}#m`);
    const key = cacheKey({
      provider: model.provider,
      model: model.model,
      endpoint: model.endpoint,
      messages,
      parameters: {},
      sample: 1,
    });
    store.saveAnswer(null, key, {
      id: "q1",
      sample: 1,
      model: model.id,
      endpoint: model.endpoint,
      messages,
      parameters: {},
      response: "q1 sample 0",
      usage: { inputTokens: 0, outputTokens: 0 },
      latencyMs: 0,
      attempts: 1,
    });
    const first = await runWork({ model, items, store });
    assert.deepEqual(
      first.answers.map((answer) => [answer.response, answer.cached]),
      [
        ["q1 sample 0", false],
        ["q1 sample 1", false],
      ],
    );
    assert.equal(store.counts().answers, 1, "replay answers are not stored");

    writeFileSync(
      file,
      `${line("q1", "openai:m", "q1?", "q1 CORRECTED", 0)}\n${line("q1", "openai:m", "q1?", "s1", 1)}\n`,
    );
    const rerun = await runWork({ model: createModel(`replay:${file}#m`), items, store });
    assert.deepEqual(
      rerun.answers.map((answer) => answer.response),
      ["q1 CORRECTED", "s1"],
    );
    assert.equal(rerun.stats.cached, 0);
  } finally {
    store.close();
  }
});

test("replay without #model of a file holding several models is fatal naming them; one model needs no #", async () => {
  const signal = new AbortController().signal;
  const request = { messages: [{ role: "user" as const, content: "hello" }] };
  const mixed = join(folder, "all.jsonl");
  writeFileSync(
    mixed,
    `${[
      line("p1", "openai:gpt-4o-mini", "hello", "from mini"),
      line("p1", "openai:qwen2.5-7b-instruct", "hello", "from qwen"),
      line("p1", "openai:my-model", "hello", "from mine"),
    ].join("\n")}\n`,
  );
  const ambiguous = await createModel(`replay:${mixed}`).generate(request, signal);
  assert.ok(!ambiguous.ok && ambiguous.errorClass === "fatal");
  assert.equal(ambiguous.fix, "--target");
  assert.equal(
    ambiguous.message,
    `replay:${mixed}: the file holds 3 models (openai:gpt-4o-mini, openai:my-model, openai:qwen2.5-7b-instruct); ` +
      `add #<model> to --target, e.g. replay:${mixed}#openai:gpt-4o-mini`,
  );
  const named = await createModel(`replay:${mixed}#openai:my-model`).generate(request, signal);
  assert.ok(named.ok && named.text === "from mine");
  const single = join(folder, "single.jsonl");
  writeFileSync(single, `${line("p1", "openai:my-model", "hello", "only one")}\n`);
  const alone = await createModel(`replay:${single}`).generate(request, signal);
  assert.ok(alone.ok && alone.text === "only one");
});
