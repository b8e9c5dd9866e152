import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../errors.ts";
import { identityQuestions, questionLanguages } from "../../probes/identity-questions.ts";
import { parseIceRunFlags } from "./ice-run.ts";

const flags = (questions: string) => ({
  target: "openai:deepseek-chat",
  judge: "embedded",
  budget: "10",
  seed: "0",
  languages: "en,zh",
  questions,
  policy: "mcts",
  out: "result.json",
});

test("--questions above the bank's questions per language is exit 2 naming the most, not silently fewer", () => {
  const available = identityQuestions.length / questionLanguages.length;
  assert.equal(parseIceRunFlags(flags(String(available))).questionsPerLanguage, available);
  assert.throws(
    () => parseIceRunFlags(flags("500")),
    (error: unknown) =>
      error instanceof InputError &&
      error.message ===
        `--questions 500: the question bank has ${available} questions per language; use at most ${available}`,
  );
  assert.throws(() => parseIceRunFlags(flags("0")), /--questions must be a whole number >= 1/);
});
