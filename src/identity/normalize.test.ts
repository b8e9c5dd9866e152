import assert from "node:assert/strict";
import { test } from "node:test";
import { analyseIdentity } from "./claims.ts";
import { normaliseForMatching, originalOffset } from "./normalize.ts";

const claim = (mark: string) => `I am Chat${mark}GPT, a large language model developed by Open${mark}AI.`;

test("a claim split by any invisible or control character is still a claim", () => {
  const marks: Record<string, string> = {
    "combining grapheme joiner": "\u034f",
    "variation selector 16": "\ufe0f",
    "variation selector 1": "\ufe00",
    "variation selector 17": "\u{e0100}",
    "variation selector 256": "\u{e01ef}",
    "Hangul choseong filler": "\u115f",
    "Hangul jungseong filler": "\u1160",
    "Hangul filler": "\u3164",
    "halfwidth Hangul filler": "\uffa0",
    "Khmer inherent aq": "\u17b4",
    "Khmer inherent aa": "\u17b5",
    "Mongolian free variation selector 1": "\u180b",
    "Mongolian free variation selector 4": "\u180f",
    "musical symbol begin beam": "\u{1d173}",
    "zero-width non-joiner": "\u200c",
    ESC: "\u001b",
    "ESC colour sequence": "\u001b[31m",
    "OSC title": "\u001b]0;title\u0007",
    NUL: "\u0000",
    "C1 control": "\u0091",
    DEL: "\u007f",
  };
  for (const [name, mark] of Object.entries(marks)) {
    const verdict = analyseIdentity({ response: claim(mark), identity: "alibaba" });
    assert.equal(verdict.strict, true, name);
  }
});

test("Markdown emphasis inside a name does not hide it; snake_case and plain emphasis are left alone", () => {
  for (const response of [
    "I am Chat**GPT**, developed by Open**AI**.",
    "I am Chat*GPT*, developed by Open*AI*.",
    "I am **Chat**GPT, developed by OpenAI.",
    "I am Chat__GPT__, developed by Open_AI_.",
    "I am **ChatGPT**, developed by **OpenAI**.",
  ]) {
    assert.equal(analyseIdentity({ response, identity: "alibaba" }).strict, true, response);
  }
  assert.equal(normaliseForMatching("call my_function_name here").text, "call my_function_name here");
  assert.equal(normaliseForMatching("a **bold** word").text, "a **bold** word");
  assert.equal(normaliseForMatching("line one\n\tline two\r\n").text, "line one\n\tline two\r\n");
  // A model that names itself truthfully is still consistent.
  const truthful = "I am Qw\u034fen, a large language model developed by Alibaba\u034f Cloud.";
  assert.equal(analyseIdentity({ response: truthful, identity: "alibaba" }).strict, false);
});

test("dropped characters keep the map back to the original text", () => {
  const original = "I am Chat\u001b[1mGPT\u034f!";
  const normalised = normaliseForMatching(original);
  assert.equal(normalised.text, "I am ChatGPT!");
  const start = normalised.text.indexOf("GPT");
  assert.equal(
    original.slice(originalOffset(normalised, start), originalOffset(normalised, start + 2) + 1),
    "GPT",
  );
  const verdict = analyseIdentity({ response: original, identity: "alibaba" });
  assert.ok(verdict.claims.some((found) => found.words.includes("Chat\u001b[1mGPT")));
});
