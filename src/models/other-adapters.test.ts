import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { createModel } from "./registry.ts";
import type { GenerateFailure, GenerateResult, Model } from "./types.ts";

const fakeKey = "key-DISTINCTIVE-abcdef0123456789";
const messages = [
  { role: "system" as const, content: "Be brief." },
  { role: "user" as const, content: "Who made you?" },
];
let server: MockProviderServer;

before(async () => {
  server = await startMockProviderServer({
    apiKey: fakeKey,
    respond: ({ wire, messages: seen }) => `${wire}:${seen.map((message) => message.role).join(",")}`,
  });
});
after(async () => server.close());

function failed(result: GenerateResult): GenerateFailure {
  assert.equal(result.ok, false);
  return result as GenerateFailure;
}
const run = (model: Model) => model.generate({ messages, temperature: 0.5 }, new AbortController().signal);
const anthropic = (key = fakeKey) =>
  createModel("anthropic:claude-sonnet-4-20250514", {
    baseUrl: server.url,
    environment: { ANTHROPIC_API_KEY: key },
  });
const google = (key = fakeKey) =>
  createModel("google:gemini-2.5-flash", { baseUrl: server.url, environment: { GEMINI_API_KEY: key } });
const ollama = () => createModel("ollama:qwen2.5:7b", { environment: { OLLAMA_BASE_URL: server.url } });

test("anthropic: system prompt, text blocks, usage, cost", async () => {
  const result = await run(anthropic());
  assert.ok(result.ok);
  assert.equal(result.text, "anthropic:system,user");
  assert.equal(result.usage.cachedInputTokens, 0);
  assert.equal(result.usage.inputTokens, 5);
  assert.ok((result.costUsd ?? 0) > 0);
});

test("google: systemInstruction, parts, usageMetadata with thoughts", async () => {
  const result = await run(google());
  assert.ok(result.ok);
  assert.equal(result.text, "google:system,user");
  assert.equal(result.usage.reasoningTokens, 0);
  assert.ok((result.costUsd ?? 0) > 0);
});

test("ollama: model name with a colon, eval counts", async () => {
  const model = ollama();
  assert.equal(model.model, "qwen2.5:7b");
  const result = await run(model);
  assert.ok(result.ok);
  assert.equal(result.text, "ollama:system,user");
  assert.equal(result.usage.outputTokens, 1);
});

test("wrong keys are fatal, name the variable, and never show the key", async () => {
  const wrong = "key-wrong-DISTINCTIVE-ffffffffffffffff";
  const anthropicFailure = failed(await run(anthropic(wrong)));
  assert.equal(anthropicFailure.fix, "ANTHROPIC_API_KEY");
  const googleFailure = failed(await run(google(wrong)));
  assert.equal(googleFailure.fix, "GEMINI_API_KEY");
  for (const failure of [anthropicFailure, googleFailure]) {
    assert.equal(failure.errorClass, "fatal");
    assert.doesNotMatch(JSON.stringify(failure), /DISTINCTIVE/);
  }
});

test("faults classify the same way on every wire", async () => {
  const cases: Array<[Record<string, number>, string]> = [
    [{ serverErrorRate: 1 }, "retryable"],
    [{ rateLimitRate: 1, rateLimitRetryAfterMs: 2000 }, "rate_limited"],
    [{ truncatedRate: 1 }, "retryable"],
    [{ resetRate: 1 }, "retryable"],
    [{ contentFilterRate: 1 }, "refused"],
  ];
  for (const [faults, errorClass] of cases) {
    server.setOptions({ faults });
    for (const model of [anthropic(), google(), ollama()]) {
      if (model.provider === "ollama" && errorClass === "refused") continue;
      const failure = failed(await run(model));
      assert.equal(failure.errorClass, errorClass, `${model.id} ${JSON.stringify(faults)}`);
      if (errorClass === "rate_limited") assert.equal(failure.retryAfterMs, 2000);
    }
  }
  server.setOptions({ faults: {} });
});

test("abort during a hang resolves promptly on every wire", { timeout: 30_000 }, async () => {
  server.setOptions({ faults: { hangRate: 1 } });
  for (const model of [anthropic(), google(), ollama()]) {
    const controller = new AbortController();
    const started = performance.now();
    const pending = model.generate({ messages }, controller.signal);
    setTimeout(() => controller.abort(), 20);
    const failure = failed(await pending);
    const elapsed = performance.now() - started;
    assert.equal(failure.errorClass, "retryable", model.id);
    assert.ok(
      elapsed < 5_000,
      `${model.id} settled ${elapsed.toFixed(0)} ms after the start (abort at 20 ms)`,
    );
  }
  server.setOptions({ faults: {} });
});
