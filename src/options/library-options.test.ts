import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import {
  checkCallbackOption,
  checkGenerationOption,
  checkJudgeOption,
  checkListArgument,
  checkListOption,
  checkOptionsObject,
  checkSignalOption,
  checkTextArgument,
  shownKind,
} from "./library-options.ts";

function rejects(check: () => void, message: string): void {
  assert.throws(check, (error: unknown) => error instanceof InputError && error.message === message);
}

test("a missing or non-object options argument names the call and what it needs", () => {
  checkOptionsObject({}, "collect", "model, store");
  rejects(
    () => checkOptionsObject(undefined, "collect", "model, store, promptsPath, outPath"),
    "collect needs an options object { model, store, promptsPath, outPath }, got nothing",
  );
  rejects(
    () => checkOptionsObject("x", "runIce", "target"),
    'runIce needs an options object { target }, got "x"',
  );
  rejects(
    () => checkOptionsObject([], "runIce", "target"),
    "runIce needs an options object { target }, got []",
  );
  rejects(
    () => checkOptionsObject(null, "runIce", "target"),
    "runIce needs an options object { target }, got null",
  );
});

test("callbacks, signals and lists of the wrong kind are InputErrors; absent ones pass", () => {
  checkCallbackOption(undefined, "onEvent");
  checkCallbackOption(() => {}, "onEvent");
  rejects(() => checkCallbackOption("log", "onEvent"), 'onEvent must be a function when given, got "log"');
  checkSignalOption(undefined);
  checkSignalOption(new AbortController().signal);
  checkSignalOption(AbortSignal.timeout(1000));
  rejects(
    () => checkSignalOption({ aborted: false }),
    "signal must be an AbortSignal when given (e.g. new AbortController().signal or AbortSignal.timeout(ms))",
  );
  checkListOption(undefined, "languages", '["en"]');
  checkListOption(["en"], "languages", '["en"]');
  rejects(
    () => checkListOption("en", "languages", '["en"]'),
    'languages must be a list, e.g. ["en"], got "en"',
  );
});

test("a judge is the embedded one or an LLM with a model; generation values a provider would refuse are refused", () => {
  const model = { generate: async () => ({ ok: true }) };
  checkJudgeOption(undefined);
  checkJudgeOption({ kind: "embedded" });
  checkJudgeOption({ kind: "llm", model });
  for (const judge of [
    "embedded",
    { kind: "llm" },
    { kind: "llm", model: "openai:gpt-4o" },
    { kind: "rubric" },
  ])
    assert.throws(
      () => checkJudgeOption(judge),
      (error: unknown) =>
        error instanceof InputError && /^judge must be \{ kind: "embedded" \}/.test(error.message),
    );
  checkGenerationOption(undefined);
  checkGenerationOption({ temperature: 0.7, topP: 1, maxTokens: 100, seed: -3, stop: ["END"] });
  rejects(
    () => checkGenerationOption("hot"),
    'generation must be an object such as { temperature: 0 }, got "hot"',
  );
  rejects(
    () => checkGenerationOption({ temperature: 3 }),
    "generation.temperature must be between 0 and 2, got 3",
  );
  rejects(() => checkGenerationOption({ topP: 0 }), "generation.topP must be above 0 and at most 1, got 0");
  rejects(() => checkGenerationOption({ seed: 1.5 }), "generation.seed must be a whole number, got 1.5");
});

test("a list or a text an exported function needs is named with the call; an object is shown by its kind only", () => {
  checkListArgument([], "scoreIce: inputs", "[{ index: 0 }]");
  checkTextArgument("", "redactSecrets: text", '"an error message"');
  rejects(
    () => checkListArgument(undefined, "scoreIce: inputs", "[{ index: 0 }]"),
    "scoreIce: inputs must be a list, e.g. [{ index: 0 }], got nothing",
  );
  rejects(
    () => checkListArgument({ apiKey: "sk-never-shown" }, "scoreIce: inputs", "[{ index: 0 }]"),
    "scoreIce: inputs must be a list, e.g. [{ index: 0 }], got an object",
  );
  rejects(
    () => checkTextArgument(["a"], "redactSecrets: text", '"an error message"'),
    'redactSecrets: text must be a string such as "an error message", got a list',
  );
  rejects(
    () => checkTextArgument(() => "secret", "redactSecrets: text", '"an error message"'),
    'redactSecrets: text must be a string such as "an error message", got a function',
  );
  assert.equal(shownKind(null), "null");
  assert.equal(shownKind("x"), '"x"');
});
