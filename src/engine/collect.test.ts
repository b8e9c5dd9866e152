import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InputError } from "../errors.ts";
import { openStore } from "../store/store.ts";
import { collect } from "./collect.ts";
import { defaultAnswer, FakeModel, fakeAnswerText } from "./fake-model.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-collect-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("one line per prompt and sample in input order; failures are left out and reported", async () => {
  const prompts = join(scratch, "prompts.jsonl");
  writeFileSync(
    prompts,
    ["c", "a", "b", "bad"].map((id) => JSON.stringify({ id, prompt: `say ${id}` })).join("\n"),
  );
  const temperatures = new Set<number | undefined>();
  const model = new FakeModel((call) => {
    temperatures.add(call.request.temperature);
    if (call.prompt === "say bad") return { ok: false, errorClass: "refused", message: "declined" };
    return defaultAnswer(call);
  });
  const store = openStore(join(scratch, "home"));
  const out = join(scratch, "out.jsonl");
  const outcome = await collect({ model, store, promptsPath: prompts, outPath: out, samples: 2 });
  const lines = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    lines.map((line) => `${line.id}/${line.sample}`),
    ["c/0", "c/1", "a/0", "a/1", "b/0", "b/1"],
  );
  assert.equal(lines[2].response, fakeAnswerText("say a"));
  assert.deepEqual(lines[2].messages, [{ role: "user", content: "say a" }]);
  assert.equal(lines[2].model, "fake:model-1");
  assert.deepEqual([...temperatures], [0.7], "repeated sampling defaults to temperature 0.7");
  assert.deepEqual(
    outcome.failures.map((failure) => `${failure.id}/${failure.sample}`),
    ["bad/0", "bad/1"],
  );

  const again = await collect({ model, store, promptsPath: prompts, outPath: out, samples: 2 });
  assert.equal(again.stats.cached, 6);
  assert.equal(again.stats.answered, 0);
  const relines = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.ok(relines.every((line) => line.cached === true));
  store.close();
});

test("collect through replay: gives each sample its own recorded answer; an unrecorded sample is fatal", async () => {
  const { createModel } = await import("../models/registry.ts");
  const recording = join(scratch, "samples-recorded.jsonl");
  const recorded = ["q1", "q2"].flatMap((id) =>
    [0, 1, 2].map((sample) =>
      JSON.stringify({
        id,
        sample,
        model: "openai:m",
        messages: [{ role: "user", content: `ask ${id}` }],
        response: `${id} sample ${sample}`,
        usage: { inputTokens: 1, outputTokens: 1 },
      }),
    ),
  );
  writeFileSync(recording, `${recorded.join("\n")}\n`);
  const prompts = join(scratch, "replay-prompts.jsonl");
  writeFileSync(prompts, ["q1", "q2"].map((id) => JSON.stringify({ id, prompt: `ask ${id}` })).join("\n"));
  const store = openStore(join(scratch, "home-replay"));
  const out = join(scratch, "replayed.jsonl");
  const model = createModel(`replay:${recording}#m`);
  await collect({ model, store, promptsPath: prompts, outPath: out, samples: 3 });
  const lines = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    lines.map((line) => line.response),
    ["q1 sample 0", "q1 sample 1", "q1 sample 2", "q2 sample 0", "q2 sample 1", "q2 sample 2"],
  );

  const beyond = join(scratch, "replayed-beyond.jsonl");
  await assert.rejects(
    collect({ model, store, promptsPath: prompts, outPath: beyond, samples: 4 }),
    (error: Error) => /no recorded answer/.test(error.message) && /sample 3/.test(error.message),
  );
  assert.throws(() => readFileSync(beyond), /ENOENT/, "no output when a sample was never recorded");
  store.close();
});

test("an outPath that is the prompts file or cannot be written fails before any request; nothing is replaced", async () => {
  const prompts = join(scratch, "guarded-prompts.jsonl");
  const text = `${JSON.stringify({ id: "g", prompt: "say g" })}\n`;
  writeFileSync(prompts, text);
  const model = new FakeModel();
  const store = openStore(join(scratch, "home-guarded"));
  try {
    await assert.rejects(
      collect({ model, store, promptsPath: prompts, outPath: join(scratch, ".", "guarded-prompts.jsonl") }),
      (error: unknown) => error instanceof InputError && /is the prompts file/.test(error.message),
    );
    assert.equal(readFileSync(prompts, "utf8"), text, "the prompts are untouched");
    await assert.rejects(
      collect({ model, store, promptsPath: prompts, outPath: join(scratch, "no-such-folder", "out.jsonl") }),
      (error: unknown) =>
        error instanceof InputError &&
        /cannot write .*no-such-folder.*: choose a writable outPath \(--out\)$/.test(error.message),
    );
    // Options are named as the library caller wrote them and as the CLI user typed them.
    await assert.rejects(
      collect({ model, store, promptsPath: prompts, outPath: join(scratch, "s.jsonl"), samples: 0 }),
      {
        name: "InputError",
        message: "samples (--samples) must be a whole number >= 1, got 0",
      },
    );
    await assert.rejects(
      collect({ model, store, promptsPath: prompts, outPath: join(scratch, "t.jsonl"), temperature: 3 }),
      { name: "InputError", message: "temperature (--temperature) must be between 0 and 2, got 3" },
    );
    assert.equal(model.calls, 0, "no answer is paid for when the output cannot be written");
  } finally {
    store.close();
  }
});

test("options of the wrong shape are InputErrors naming the option, before any request", async () => {
  const prompts = join(scratch, "shape-prompts.jsonl");
  writeFileSync(prompts, `${JSON.stringify({ id: "s", prompt: "say s" })}\n`);
  const model = new FakeModel();
  const store = openStore(join(scratch, "home-shape"));
  const base = { model, store, promptsPath: prompts, outPath: join(scratch, "shape-out.jsonl") };
  const rejects = (options: unknown, message: string) =>
    assert.rejects(collect(options as Parameters<typeof collect>[0]), { name: "InputError", message });
  try {
    await rejects(
      undefined,
      "collect needs an options object { model, store, promptsPath, outPath }, got nothing",
    );
    await rejects({ ...base, promptsPath: undefined }, "promptsPath (--prompts) must be a path, got nothing");
    await rejects({ ...base, outPath: undefined }, "outPath (--out) must be a path, got nothing");
    await rejects({ ...base, onTotal: 3 }, "onTotal must be a function when given, got 3");
    await rejects({ ...base, onEvent: "log" }, 'onEvent must be a function when given, got "log"');
    await rejects(
      { ...base, signal: {} },
      "signal must be an AbortSignal when given (e.g. new AbortController().signal or AbortSignal.timeout(ms))",
    );
    // A number given as text is shown as text, so the message does not read as if 2 were refused.
    await rejects({ ...base, samples: "2" }, 'samples (--samples) must be a whole number >= 1, got "2"');
    assert.equal(model.calls, 0);
  } finally {
    store.close();
  }
});

test("an interrupted collect leaves neither the output nor its .partial file", async () => {
  const prompts = join(scratch, "interrupted-prompts.jsonl");
  writeFileSync(prompts, `${JSON.stringify({ id: "i", prompt: "say i" })}\n`);
  const store = openStore(join(scratch, "home-interrupted"));
  const out = join(scratch, "interrupted.jsonl");
  const stop = new AbortController();
  stop.abort();
  try {
    await assert.rejects(
      collect({ model: new FakeModel(), store, promptsPath: prompts, outPath: out, signal: stop.signal }),
      /interrupted/,
    );
    assert.equal(existsSync(out), false);
    assert.equal(existsSync(`${out}.partial`), false);
  } finally {
    store.close();
  }
});

test("with `output` the lines go to that stream in input order, it is not ended, and no file is made", async () => {
  const { PassThrough } = await import("node:stream");
  const prompts = join(scratch, "stream-prompts.jsonl");
  writeFileSync(prompts, ["b", "a"].map((id) => JSON.stringify({ id, prompt: `say ${id}` })).join("\n"));
  const store = openStore(join(scratch, "stream-home"));
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  const outPath = join(scratch, "stream-out.jsonl");
  try {
    const outcome = await collect({ model: new FakeModel(), store, promptsPath: prompts, outPath, output });
    assert.equal(outcome.written, 2);
    assert.deepEqual(
      text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).id),
      ["b", "a"],
    );
    assert.equal(output.writableEnded, false);
    assert.equal(existsSync(outPath) || existsSync(`${outPath}.partial`), false);
  } finally {
    store.close();
  }
});
