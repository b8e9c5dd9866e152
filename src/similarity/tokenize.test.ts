import assert from "node:assert/strict";
import { test } from "node:test";
import { isMostlyCjk, tokenize } from "./tokenize.ts";

test("latin text becomes lower-cased words, keeping contractions", () => {
  assert.deepEqual(tokenize("Hello, World! It's 2025."), ["hello", "world", "it's", "2025"]);
});

test("Chinese runs become characters and bigrams", () => {
  assert.deepEqual(tokenize("通义千问"), ["通", "通义", "义", "义千", "千", "千问", "问"]);
});

test("mixed text keeps both scripts", () => {
  assert.deepEqual(tokenize("我是Qwen模型"), ["我", "我是", "是", "qwen", "模", "模型", "型"]);
});

test("language tagging", () => {
  assert.equal(isMostlyCjk("我是一个由阿里云开发的模型"), true);
  assert.equal(isMostlyCjk("I am a model made by Alibaba Cloud"), false);
  assert.equal(isMostlyCjk(""), false);
});
