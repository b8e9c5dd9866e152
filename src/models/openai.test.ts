import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { createModel } from "./registry.ts";
import type { GenerateFailure, GenerateResult } from "./types.ts";

const fakeKey = "sk-test-DISTINCTIVE-9f8e7d6c5b4a";
const messages = [{ role: "user" as const, content: "Who made you?" }];
let server: MockProviderServer;

before(async () => {
  server = await startMockProviderServer({
    apiKey: fakeKey,
    knownModels: ["gpt-4o-mini"],
    respond: () => "I am a mock.",
  });
});
after(async () => server.close());

const model = (key = fakeKey, baseUrl = server.openaiBaseUrl) =>
  createModel("openai:gpt-4o-mini", { baseUrl, environment: { OPENAI_API_KEY: key } });
const ask = (stream = false): Promise<GenerateResult> =>
  model().generate({ messages, stream, temperature: 0 }, new AbortController().signal);
function failed(result: GenerateResult): GenerateFailure {
  assert.equal(result.ok, false);
  return result as GenerateFailure;
}

test("success with usage and cost", async () => {
  const result = await ask();
  assert.ok(result.ok);
  assert.equal(result.text, "I am a mock.");
  assert.deepEqual(result.usage, {
    inputTokens: 3,
    outputTokens: 4,
    cachedInputTokens: 0,
    reasoningTokens: 0,
  });
  assert.equal(result.finishReason, "stop");
  assert.ok(result.costUsd !== undefined && result.costUsd > 0);
});

test("streaming gives the same text and usage", async () => {
  const result = await ask(true);
  assert.ok(result.ok);
  assert.equal(result.text, "I am a mock.");
  assert.equal(result.usage.outputTokens, 4);
});

test("each fault maps to its error class", async () => {
  const cases: Array<[Record<string, number>, string]> = [
    [{ serverErrorRate: 1 }, "retryable"],
    [{ truncatedRate: 1 }, "retryable"],
    [{ malformedRate: 1 }, "retryable"],
    [{ resetRate: 1 }, "retryable"],
    [{ contentFilterRate: 1 }, "refused"],
  ];
  for (const [faults, errorClass] of cases) {
    server.setOptions({ faults });
    for (const stream of [false, true])
      assert.equal(failed(await ask(stream)).errorClass, errorClass, JSON.stringify(faults));
  }
  server.setOptions({ faults: { oversizedRate: 1, oversizedBytes: 500_000 } });
  assert.ok((await ask()).ok);
  server.setOptions({ faults: {} });
});

test("a 2xx body that is not JSON is quoted briefly in the failure; truncated JSON says so", async () => {
  server.setOptions({ faults: { malformedRate: 1 } });
  const html = failed(await ask());
  assert.match(
    html.message,
    /unparseable response \(not JSON; it began: "<html><body>502 Bad Gateway<\/body><\/html>"\)/,
  );
  server.setOptions({ faults: { truncatedRate: 1 } });
  assert.match(failed(await ask()).message, /unparseable response \(truncated or invalid JSON\)/);
  server.setOptions({ faults: {} });
});

test("429 carries retryAfterMs from retry-after-ms or Retry-After, capped at 60 s", async () => {
  server.setOptions({ faults: { rateLimitRate: 1, rateLimitRetryAfterMs: 1500, rateLimitHeader: "ms" } });
  let failure = failed(await ask());
  assert.equal(failure.errorClass, "rate_limited");
  assert.equal(failure.retryAfterMs, 1500);
  server.setOptions({
    faults: { rateLimitRate: 1, rateLimitRetryAfterMs: 120_000, rateLimitHeader: "seconds" },
  });
  assert.equal(failed(await ask()).retryAfterMs, 60_000);
  server.setOptions({ faults: { rateLimitRate: 1 } });
  failure = failed(await ask());
  assert.equal(failure.retryAfterMs, undefined);
  server.setOptions({ faults: {} });
});

test("401 with a wrong key is fatal, names OPENAI_API_KEY, never shows the key", async () => {
  const wrongKey = "sk-wrong-DISTINCTIVE-0123456789abcdef";
  const failure = failed(await model(wrongKey).generate({ messages }, new AbortController().signal));
  assert.equal(failure.errorClass, "fatal");
  assert.equal(failure.fix, "OPENAI_API_KEY");
  assert.match(failure.message, /OPENAI_API_KEY/);
  assert.doesNotMatch(JSON.stringify(failure), /DISTINCTIVE/);
  assert.doesNotMatch(failure.message, /\n/);
});

test("unknown model is fatal", async () => {
  const other = createModel("openai:gpt-9", {
    baseUrl: server.openaiBaseUrl,
    environment: { OPENAI_API_KEY: fakeKey },
  });
  const failure = failed(await other.generate({ messages }, new AbortController().signal));
  assert.equal(failure.errorClass, "fatal");
  assert.match(failure.message, /unknown model/);
});

test("unreachable base URL is retryable and names --base-url", async () => {
  const closed = await startMockProviderServer();
  const baseUrl = closed.openaiBaseUrl;
  await closed.close();
  const failure = failed(await model(fakeKey, baseUrl).generate({ messages }, new AbortController().signal));
  assert.equal(failure.errorClass, "retryable");
  assert.match(failure.message, /--base-url/);
  assert.ok(failure.message.includes(new URL(baseUrl).host), failure.message);
});

test("aborting during a hang resolves promptly", { timeout: 20_000 }, async () => {
  server.setOptions({ faults: { hangRate: 1 } });
  for (const stream of [false, true]) {
    const controller = new AbortController();
    const started = performance.now();
    const pending = model().generate({ messages, stream }, controller.signal);
    setTimeout(() => controller.abort(), 30);
    const failure = failed(await pending);
    const elapsed = performance.now() - started;
    assert.equal(failure.errorClass, "retryable");
    assert.match(failure.message, /aborted/);
    // The hang never ends by itself: only the abort can settle it, within a generous bound.
    assert.ok(elapsed < 5_000, `settled ${elapsed.toFixed(0)} ms after the start (abort at 30 ms)`);
  }
  server.setOptions({ faults: {} });
});
