import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, test } from "node:test";
import { type MockProviderServer, promptKey, startMockProviderServer } from "./mock-provider-server.ts";

const servers: MockProviderServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

async function start(
  options: Parameters<typeof startMockProviderServer>[0] = {},
): Promise<MockProviderServer> {
  const server = await startMockProviderServer(options);
  servers.push(server);
  return server;
}

const messages = [{ role: "user" as const, content: "What is two plus two?" }];

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

test("each wire format answers with the respond() text and usage", async () => {
  const server = await start({ apiKey: "k1", respond: ({ wire, model }) => `${wire} says hi from ${model}` });
  const openai = await post(
    `${server.openaiBaseUrl}/chat/completions`,
    { model: "m1", messages },
    { authorization: "Bearer k1" },
  );
  assert.equal(JSON.parse(openai.text).choices[0].message.content, "openai says hi from m1");
  assert.equal(JSON.parse(openai.text).usage.prompt_tokens, 5);
  const anthropic = await post(
    `${server.url}/v1/messages`,
    { model: "c1", max_tokens: 10, messages },
    { "x-api-key": "k1" },
  );
  assert.equal(JSON.parse(anthropic.text).content[0].text, "anthropic says hi from c1");
  assert.equal(JSON.parse(anthropic.text).usage.output_tokens, 5);
  const google = await post(`${server.url}/v1beta/models/g1:generateContent?key=k1`, {
    contents: [{ role: "user", parts: [{ text: messages[0]?.content }] }],
  });
  const googleJson = JSON.parse(google.text);
  assert.equal(googleJson.candidates[0].content.parts[0].text, "google says hi from g1");
  assert.equal(googleJson.usageMetadata.thoughtsTokenCount, 0);
  const ollama = await post(`${server.url}/api/chat`, { model: "q:7b", messages, stream: false });
  assert.equal(JSON.parse(ollama.text).message.content, "ollama says hi from q:7b");
  const models = await fetch(`${server.openaiBaseUrl}/models`);
  assert.equal(((await models.json()) as { object: string }).object, "list");
  assert.equal(server.stats().successfulByPrompt.get(promptKey("m1", messages)), 1);
});

test("openai streaming sends SSE chunks, usage last, then [DONE]", async () => {
  const server = await start({ respond: () => "streamed answer text" });
  const answer = await post(`${server.openaiBaseUrl}/chat/completions`, {
    model: "m",
    messages,
    stream: true,
    stream_options: { include_usage: true },
  });
  const events = answer.text.split("\n\n").filter(Boolean);
  assert.equal(events.at(-1), "data: [DONE]");
  const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice(6)));
  const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
  assert.equal(text, "streamed answer text");
  assert.equal(chunks.at(-1).usage.completion_tokens, 3);
});

test("wrong key gives a provider-shaped 401; unknown model gives 404 model_not_found", async () => {
  const server = await start({ apiKey: "right", knownModels: ["known"] });
  const wrong = await post(
    `${server.openaiBaseUrl}/chat/completions`,
    { model: "known", messages },
    { authorization: "Bearer wrong" },
  );
  assert.equal(wrong.status, 401);
  assert.equal(JSON.parse(wrong.text).error.code, "invalid_api_key");
  const anthropic = await post(
    `${server.url}/v1/messages`,
    { model: "known", messages },
    { "x-api-key": "wrong" },
  );
  assert.equal(JSON.parse(anthropic.text).error.type, "authentication_error");
  const unknown = await post(
    `${server.openaiBaseUrl}/chat/completions`,
    { model: "other", messages },
    { authorization: "Bearer right" },
  );
  assert.equal(unknown.status, 404);
  assert.equal(JSON.parse(unknown.text).error.code, "model_not_found");
});

test("Azure OpenAI's /openai/v1 path takes the key from an api-key header", async () => {
  const server = await start({ apiKey: "right", respond: ({ wire, model }) => `${wire} ${model}` });
  const azure = `${server.url}/openai/v1/chat/completions`;
  const right = await post(azure, { model: "deployment-1", messages }, { "api-key": "right" });
  assert.equal(right.status, 200);
  assert.equal(JSON.parse(right.text).choices[0].message.content, "openai deployment-1");
  const wrong = await post(azure, { model: "deployment-1", messages }, { "api-key": "wrong" });
  assert.equal(wrong.status, 401);
  assert.equal(JSON.parse(wrong.text).error.code, "invalid_api_key");
  assert.equal((await post(azure, { model: "deployment-1", messages })).status, 401);
});

test("injected faults: 500, 429 with headers, truncated, malformed, oversized, content filter", async () => {
  const server = await start({ faults: { serverErrorRate: 1 } });
  const url = `${server.openaiBaseUrl}/chat/completions`;
  assert.equal((await post(url, { model: "m", messages })).status, 500);
  server.setOptions({ faults: { rateLimitRate: 1, rateLimitRetryAfterMs: 2500 } });
  const limited = await post(url, { model: "m", messages });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after"), "3");
  assert.equal(limited.headers.get("retry-after-ms"), "2500");
  server.setOptions({ faults: { rateLimitRate: 1 } });
  assert.equal((await post(url, { model: "m", messages })).headers.get("retry-after"), null);
  server.setOptions({ faults: { truncatedRate: 1 } });
  const truncated = await post(url, { model: "m", messages });
  assert.equal(truncated.status, 200);
  assert.throws(() => JSON.parse(truncated.text));
  server.setOptions({ faults: { malformedRate: 1 } });
  const malformed = await post(url, { model: "m", messages });
  assert.throws(() => JSON.parse(malformed.text));
  server.setOptions({ faults: { oversizedRate: 1, oversizedBytes: 1_000_000 } });
  const oversized = await post(url, { model: "m", messages });
  assert.ok(oversized.text.length > 1_000_000);
  server.setOptions({ faults: { contentFilterRate: 1 } });
  assert.equal(
    JSON.parse((await post(url, { model: "m", messages })).text).choices[0].finish_reason,
    "content_filter",
  );
  const stats = server.stats();
  assert.equal(stats.byStatus["500"], 1);
  assert.equal(stats.byStatus["429"], 2);
  assert.equal(
    stats.successfulByPrompt.get(promptKey("m", messages)),
    1,
    "only the oversized answer was complete",
  );
});

test("reset destroys the socket; hang never answers and close() still returns", async () => {
  const server = await startMockProviderServer({ faults: { resetRate: 1 } });
  await assert.rejects(post(`${server.openaiBaseUrl}/chat/completions`, { model: "m", messages }));
  server.setOptions({ faults: { hangRate: 1 } });
  const hanging = new Promise<string>((resolve) => {
    const outgoing = httpRequest(`${server.openaiBaseUrl}/chat/completions`, { method: "POST" }, () =>
      resolve("answered"),
    );
    outgoing.on("error", () => resolve("closed"));
    outgoing.end(JSON.stringify({ model: "m", messages }));
  });
  const controller = new AbortController();
  const aborted = fetch(`${server.openaiBaseUrl}/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ model: "m", messages }),
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(aborted, { name: "AbortError" });
  await server.close();
  assert.equal(await hanging, "closed");
  assert.equal(server.stats().byStatus.hang, 2);
  assert.equal(server.stats().byStatus.reset, 1);
});

test("requestsPerMinute: over the sliding window gets 429 with the exact wait", async () => {
  let now = 1_000_000;
  const server = await start({ requestsPerMinute: 2, now: () => now });
  const url = `${server.openaiBaseUrl}/chat/completions`;
  assert.equal((await post(url, { model: "m", messages })).status, 200);
  now += 10_000;
  assert.equal((await post(url, { model: "m", messages })).status, 200);
  now += 5_000;
  const limited = await post(url, { model: "m", messages });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after-ms"), "45000");
  assert.equal(limited.headers.get("retry-after"), "45");
  now += 45_000;
  assert.equal((await post(url, { model: "m", messages })).status, 200);
});

test("faults follow the seed: same seed, same sequence", async () => {
  const sequence = async () => {
    const server = await start({ seed: 7, faults: { serverErrorRate: 0.5 } });
    const statuses: number[] = [];
    for (let index = 0; index < 20; index++)
      statuses.push(
        (await post(`${server.openaiBaseUrl}/chat/completions`, { model: "m", messages })).status,
      );
    return statuses;
  };
  const first = await sequence();
  assert.deepEqual(await sequence(), first);
  assert.ok(first.includes(500) && first.includes(200));
});

test("rateLimitHeaderMix mixes 429s with Retry-After, retry-after-ms, both and no header", async () => {
  const server = await start({
    seed: 3,
    faults: {
      rateLimitRate: 1,
      rateLimitRetryAfterMs: 1500,
      rateLimitHeaderMix: ["seconds", "ms", "both", "none"],
    },
  });
  const url = `${server.openaiBaseUrl}/chat/completions`;
  const seen = new Set<string>();
  for (let index = 0; index < 40; index++) {
    const answer = await post(url, { model: "m", messages });
    assert.equal(answer.status, 429);
    const seconds = answer.headers.get("retry-after");
    const milliseconds = answer.headers.get("retry-after-ms");
    if (seconds !== null) assert.equal(seconds, "2");
    if (milliseconds !== null) assert.equal(milliseconds, "1500");
    seen.add(`${seconds !== null ? "s" : ""}${milliseconds !== null ? "m" : ""}`);
  }
  assert.deepEqual([...seen].sort(), ["", "m", "s", "sm"]);
  const stats = server.stats();
  assert.equal(stats.byStatus["429"], 40);
  const styles = ["429-seconds", "429-ms", "429-both", "429-none"].map((name) => stats.byStatus[name] ?? 0);
  assert.equal(
    styles.reduce((sum, value) => sum + value, 0),
    40,
  );
});
