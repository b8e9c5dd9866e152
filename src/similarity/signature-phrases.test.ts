import assert from "node:assert/strict";
import { test } from "node:test";
import { signaturePhrases } from "./signature-phrases.ts";

const topics = Array.from({ length: 40 }, (_, index) => `topic number ${index}`);
const models = ["teacher", "other-candidate", "student", "independent"];
const answers = [
  topics.map((topic, index) =>
    index % 2 === 0 ? `Speaking as a friendly helper, ${topic} is simple.` : `${topic} is simple.`,
  ),
  topics.map((topic) => `In my humble view ${topic} matters.`),
  topics.map((topic, index) =>
    index % 4 === 0 ? `Speaking as a friendly helper, ${topic} is easy.` : `${topic} is easy.`,
  ),
  topics.map((topic) => `Plainly, ${topic} is a thing.`),
];
const promptTexts = topics.map((topic) => `Explain ${topic} please.`);

test("a candidate's habitual phrase is its signature, and its student uses it more than others", () => {
  const [teacher, other] = signaturePhrases(models, answers, ["teacher", "other-candidate"], promptTexts);
  assert.equal(teacher?.candidate, "teacher");
  const phrases = teacher!.phrases.map((entry) => entry.phrase);
  assert.ok(phrases.includes("as a friendly helper"), phrases.join(" | "));
  const helper = teacher!.phrases.find((entry) => entry.phrase === "as a friendly helper")!;
  assert.equal(helper.rate, 0.5);
  assert.equal(helper.otherCandidatesRate, 0);
  assert.deepEqual(
    teacher!.usage.slice(0, 2).map((entry) => entry.model),
    ["teacher", "student"],
  );
  assert.ok(teacher!.usage[0]!.rate > teacher!.usage[1]!.rate && teacher!.usage[1]!.rate > 0);
  for (const entry of teacher!.usage.slice(2)) assert.equal(entry.rate, 0, entry.model);
  assert.ok(other!.phrases.some((entry) => entry.phrase === "in my humble view"));
  assert.equal(other!.usage[0]!.model, "other-candidate");
});

test("phrases of the prompt are not habits, and nothing is found in an empty corpus", () => {
  const [teacher] = signaturePhrases(models, answers, ["teacher"], promptTexts);
  // "topic number 0" and friends echo the prompt: never a signature.
  assert.ok(teacher!.phrases.every((entry) => !entry.phrase.startsWith("topic number")));
  const [without] = signaturePhrases(models, answers, ["teacher"]);
  assert.ok(
    without!.phrases.every((entry) => entry.rate >= 0.015),
    "every kept phrase passes the minimum rate",
  );
  assert.deepEqual(signaturePhrases(["a"], [[]], ["a"]), [], "no prompts, no signatures");
  assert.deepEqual(signaturePhrases(models, answers, ["not-a-model"], promptTexts), []);
});
