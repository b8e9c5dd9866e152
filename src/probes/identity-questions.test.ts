import assert from "node:assert/strict";
import { test } from "node:test";
import { developersNamedIn } from "../identity/registry.ts";
import { identityQuestions } from "./identity-questions.ts";

test("at least 60 questions, each in English and Chinese", () => {
  const bases = new Set(identityQuestions.map((question) => question.baseId));
  assert.ok(bases.size >= 60, `only ${bases.size} distinct questions`);
  for (const baseId of bases) {
    const languages = identityQuestions
      .filter((question) => question.baseId === baseId)
      .map((q) => q.language);
    assert.deepEqual(languages.sort(), ["en", "zh"], baseId);
  }
});

test("ids are unique and follow q-<topic>-NN-<language>", () => {
  const ids = identityQuestions.map((question) => question.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const question of identityQuestions) {
    assert.match(question.id, /^q-[a-z]+-\d{2}-(en|zh)$/);
    assert.equal(question.id, `${question.baseId}-${question.language}`);
  }
});

test("every topic is covered and Chinese texts are Chinese", () => {
  const topics = new Set(identityQuestions.map((question) => question.topic));
  assert.equal(topics.size, 10);
  for (const question of identityQuestions) {
    if (question.language === "zh") assert.match(question.text, /[\u4e00-\u9fff]/, question.id);
    else assert.doesNotMatch(question.text, /[\u4e00-\u9fff]/, question.id);
  }
});

test("no question names a vendor or product", () => {
  for (const question of identityQuestions) {
    assert.deepEqual([...developersNamedIn(question.text)], [], `${question.id}: ${question.text}`);
  }
});
