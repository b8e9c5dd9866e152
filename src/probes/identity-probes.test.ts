import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { developersNamedIn } from "../identity/registry.ts";
import { selectProbes } from "./identity-probes.ts";
import { identityTemplates } from "./identity-templates.ts";

const englishTemplates = identityTemplates.filter((template) => template.language === "en");

test("the same seed gives the same ordered set; another seed another order", () => {
  const first = selectProbes({ seed: 7, questionsPerLanguage: 20 });
  const again = selectProbes({ seed: 7, questionsPerLanguage: 20 });
  const other = selectProbes({ seed: 8, questionsPerLanguage: 20 });
  assert.deepEqual(again, first);
  assert.notDeepEqual(
    other.seeds.map((seed) => seed.id),
    first.seeds.map((seed) => seed.id),
  );
  assert.notDeepEqual(
    other.questions.map((question) => question.id),
    first.questions.map((question) => question.id),
  );
});

test("questions come in both languages for the same base questions, topics balanced", () => {
  const { questions } = selectProbes({ seed: 1, questionsPerLanguage: 20 });
  assert.equal(questions.length, 40);
  const english = questions.filter((question) => question.language === "en").map((q) => q.baseId);
  const chinese = questions.filter((question) => question.language === "zh").map((q) => q.baseId);
  assert.deepEqual(chinese, english);
  const perTopic = new Map<string, number>();
  for (const question of questions) perTopic.set(question.topic, (perTopic.get(question.topic) ?? 0) + 1);
  assert.equal(perTopic.size, 10);
  for (const count of perTopic.values()) assert.equal(count, 4);
});

test("paired forms: half neutral, half naming the assigned vendor", () => {
  const { seeds } = selectProbes({ seed: 3, counterfactualVendors: ["openai", "meta"] });
  assert.equal(seeds.length, englishTemplates.length * 2);
  const neutral = seeds.filter((seed) => seed.vendor === null);
  assert.equal(neutral.length, englishTemplates.length);
  for (const seed of seeds) {
    const named = [...developersNamedIn(seed.text)];
    assert.deepEqual(named, seed.vendor === null ? [] : [seed.vendor], seed.id);
    assert.ok(seed.text.includes("{query}"));
  }
  const vendors = new Set(seeds.map((seed) => seed.vendor).filter((vendor) => vendor !== null));
  assert.deepEqual([...vendors].sort(), ["meta", "openai"]);
});

test("all forms and language choice", () => {
  const { seeds, questions } = selectProbes({ seed: 3, forms: "all", languages: ["zh"] });
  assert.equal(seeds.length, englishTemplates.length * 6);
  assert.ok(questions.length >= 60);
  assert.ok(questions.every((question) => question.language === "zh"));
});

test("Chinese templates are chosen on request, alone or with the English ones", () => {
  const chinese = selectProbes({ seed: 3, templateLanguages: ["zh"] });
  const chineseCount = identityTemplates.length - englishTemplates.length;
  assert.equal(chinese.seeds.length, chineseCount * 2);
  for (const seed of chinese.seeds) {
    assert.match(seed.id, /^t-[a-z]+-zh-\d\d/);
    assert.match(seed.text, /[\u4e00-\u9fff]/);
    assert.deepEqual([...developersNamedIn(seed.text)], seed.vendor === null ? [] : [seed.vendor], seed.id);
  }
  const both = selectProbes({ seed: 3, templateLanguages: ["en", "zh"] });
  assert.equal(both.seeds.length, identityTemplates.length * 2);
  assert.throws(() => selectProbes({ seed: 1, templateLanguages: ["fr" as "en"] }), InputError);
});

test("unknown vendor or language is an input error", () => {
  assert.throws(() => selectProbes({ seed: 1, counterfactualVendors: ["nobody"] }), InputError);
  assert.throws(() => selectProbes({ seed: 1, languages: ["fr" as "en"] }), InputError);
});
