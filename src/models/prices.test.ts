import assert from "node:assert/strict";
import { test } from "node:test";
import { costFor, priceFor } from "./prices.ts";

test("costs use input, cached input and output rates", () => {
  const cost = costFor("openai", "gpt-4o-mini", {
    inputTokens: 1_000_000,
    cachedInputTokens: 400_000,
    outputTokens: 1_000_000,
  });
  assert.ok(cost !== undefined);
  assert.ok(Math.abs(cost - (0.6 * 0.15 + 0.4 * 0.075 + 0.6)) < 1e-9);
});

test("dated model names find their family; unknown models get no cost", () => {
  assert.equal(priceFor("anthropic", "claude-sonnet-4-20250514")?.input, 3);
  assert.equal(priceFor("openai", "gpt-4o-mini-2024-07-18")?.input, 0.15);
  assert.equal(costFor("openai", "my-local-model", { inputTokens: 10, outputTokens: 10 }), undefined);
  assert.equal(costFor("openrouter", "gpt-4o", { inputTokens: 10, outputTokens: 10 }), undefined);
});
