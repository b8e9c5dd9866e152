import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { endpointUrl, namesApiVersion } from "./endpoint-url.ts";
import { createModel } from "./registry.ts";
import type { GenerateFailure, Model } from "./types.ts";

test("a base URL that already ends with the route's version is not doubled", () => {
  assert.equal(
    endpointUrl("https://api.anthropic.com/v1", "/v1/messages").href,
    "https://api.anthropic.com/v1/messages",
  );
  assert.equal(
    endpointUrl("https://api.anthropic.com/", "/v1/messages").href,
    "https://api.anthropic.com/v1/messages",
  );
  assert.equal(
    endpointUrl("https://gateway.example/anthropic/V1/", "/v1/messages").href,
    "https://gateway.example/anthropic/v1/messages",
  );
  assert.equal(
    endpointUrl("http://127.0.0.1:8000/v1", "/chat/completions").href,
    "http://127.0.0.1:8000/v1/chat/completions",
  );
  const gemini = "/v1beta/models/gemini-2.5-flash:generateContent";
  for (const base of [
    "https://generativelanguage.googleapis.com",
    "https://generativelanguage.googleapis.com/v1beta",
    "https://generativelanguage.googleapis.com/v1",
  ])
    assert.equal(
      endpointUrl(base, gemini, { replaces: ["v1"] }).href,
      `https://generativelanguage.googleapis.com${gemini}`,
    );
  assert.equal(
    endpointUrl("http://localhost:11434/v1", "/api/chat", { replaces: ["v1"] }).href,
    "http://localhost:11434/api/chat",
  );
  assert.equal(
    endpointUrl("http://localhost:11434/api", "/api/chat", { replaces: ["v1"] }).href,
    "http://localhost:11434/api/chat",
  );
});

test("the whole endpoint pasted as the base URL is not appended to again", () => {
  assert.equal(
    endpointUrl("http://127.0.0.1:8000/v1/chat/completions", "/chat/completions").href,
    "http://127.0.0.1:8000/v1/chat/completions",
  );
  assert.equal(
    endpointUrl("https://api.anthropic.com/v1/messages/", "/v1/messages").href,
    "https://api.anthropic.com/v1/messages",
  );
});

test("a query on the base URL stays the query, after the route", () => {
  assert.equal(
    endpointUrl("https://gateway.example/v1?api-version=2024-10-21", "/chat/completions").href,
    "https://gateway.example/v1/chat/completions?api-version=2024-10-21",
  );
});

test("namesApiVersion: /v1, /v4, /v1beta yes; a bare host or another path no", () => {
  assert.equal(namesApiVersion("http://127.0.0.1:8000/v1"), true);
  assert.equal(namesApiVersion("https://open.bigmodel.cn/api/paas/v4"), true);
  assert.equal(namesApiVersion("https://x.example/v1beta/"), true);
  assert.equal(namesApiVersion("http://127.0.0.1:8000"), false);
  assert.equal(namesApiVersion("http://127.0.0.1:8000/openai"), false);
});

const key = "key-ENDPOINTURL-0123456789abcdef";
let server: MockProviderServer;
before(async () => {
  server = await startMockProviderServer({ apiKey: key, respond: ({ wire }) => `hello from ${wire}` });
});
after(async () => server.close());

const ask = (model: Model) =>
  model.generate({ messages: [{ role: "user", content: "hi" }] }, new AbortController().signal);

test("over loopback: Anthropic with /v1, Gemini with /v1beta, Ollama with /v1 in the base URL answer", async () => {
  const anthropic = createModel("anthropic:claude-sonnet-4-20250514", {
    baseUrl: `${server.url}/v1`,
    environment: { ANTHROPIC_API_KEY: key },
  });
  const google = createModel("google:gemini-2.5-flash", {
    baseUrl: `${server.url}/v1beta/`,
    environment: { GEMINI_API_KEY: key },
  });
  const ollama = createModel("ollama:qwen2.5:7b", { baseUrl: `${server.url}/v1`, environment: {} });
  for (const [model, wire] of [
    [anthropic, "anthropic"],
    [google, "google"],
    [ollama, "ollama"],
  ] as const) {
    const result = await ask(model);
    assert.ok(result.ok, `${wire}: ${(result as GenerateFailure).message}`);
    assert.equal(result.text, `hello from ${wire}`);
  }
});

test("over loopback: an OpenAI-compatible base URL without /v1 gets a 404 that says to add it", async () => {
  const model = createModel("openai:m", { baseUrl: server.url, environment: { OPENAI_API_KEY: key } });
  const result = (await ask(model)) as GenerateFailure;
  assert.equal(result.ok, false);
  assert.equal(result.errorClass, "fatal");
  assert.match(result.message, /endpoint not found \(404\).*usually end in \/v1/);
  const versioned = createModel("openai:m", {
    baseUrl: `${server.url}/v2`,
    environment: { OPENAI_API_KEY: key },
  });
  const other = (await ask(versioned)) as GenerateFailure;
  assert.equal(other.ok, false);
  assert.doesNotMatch(other.message, /usually end in/);
});
