import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { closedPort } from "../testing/closed-port.ts";
import { startMockProviderServer } from "../testing/mock-provider-server.ts";
import { createModel, parseModelId } from "./registry.ts";

test("ids split at the first colon; model parts keep colons and slashes", () => {
  assert.deepEqual(parseModelId("openrouter:meta-llama/llama-3-70b"), {
    provider: "openrouter",
    model: "meta-llama/llama-3-70b",
  });
  assert.deepEqual(parseModelId("ollama:qwen2.5:7b"), { provider: "ollama", model: "qwen2.5:7b" });
  assert.throws(() => parseModelId("gpt-4o"), InputError);
  assert.throws(() => parseModelId("openai:"), InputError);
});

test("a missing or non-string model id is an InputError, not a TypeError", () => {
  for (const id of [undefined, null, 42, { provider: "openai" }]) {
    const wrong = id as unknown as string;
    const isInputError = (error: unknown) =>
      error instanceof InputError && /model id must be a string like openai:gpt-4o-mini/.test(error.message);
    assert.throws(() => parseModelId(wrong), isInputError, String(id));
    assert.throws(() => createModel(wrong, { environment: {} }), isInputError, String(id));
  }
});

test("unknown provider lists the known ones", () => {
  assert.throws(() => createModel("nosuch:model", { environment: {} }), /known providers: openai, anthropic/);
});

test("a base URL without http:// or https:// is an InputError at once, not a network error on every request", () => {
  const environment = { OPENAI_API_KEY: "k", OLLAMA_BASE_URL: "localhost:11434" };
  assert.throws(
    () => createModel("openai:m", { environment, baseUrl: "localhost:8000/v1" }),
    (error: unknown) =>
      error instanceof InputError &&
      error.message ===
        'base URL "localhost:8000/v1" must start with http:// or https:// (e.g. http://localhost:8000/v1); fix --base-url',
  );
  assert.throws(
    () => createModel("ollama:qwen2.5:7b", { environment }),
    /base URL "localhost:11434" must start with http:\/\/ or https:\/\/ .*OLLAMA_BASE_URL/,
  );
  assert.throws(
    () => createModel("openai:m", { environment, baseUrl: "ftp://example.com/v1" }),
    /must start with http:\/\/ or https:\/\/; fix/,
  );
  assert.equal(createModel("openai:m", { environment, baseUrl: "http://127.0.0.1:1/v1" }).id, "openai:m");
});

test("missing keys name the variable", () => {
  assert.throws(() => createModel("openai:gpt-4o", { environment: {} }), /OPENAI_API_KEY/);
  assert.throws(() => createModel("anthropic:claude-3-5-haiku", { environment: {} }), /ANTHROPIC_API_KEY/);
  assert.throws(
    () => createModel("google:gemini-2.5-pro", { environment: {} }),
    /GEMINI_API_KEY or GOOGLE_API_KEY/,
  );
  assert.throws(() => createModel("deepseek:deepseek-chat", { environment: {} }), /DEEPSEEK_API_KEY/);
});

test("an openai: model headed for the default endpoint without a key says how to point it to a local server", () => {
  assert.throws(
    () => createModel("openai:teacher", { environment: {}, baseUrlFlag: "--reference-base-url" }),
    /^InputError: openai:teacher: no API key; set OPENAI_API_KEY in the environment \(it would go to https:\/\/api\.openai\.com\/v1\), or point it to your server with --reference-base-url or OPENAI_BASE_URL$/,
  );
  for (const options of [
    { environment: {}, baseUrl: "https://gateway.example/v1" },
    { environment: { OPENAI_BASE_URL: "https://gateway.example/v1" } },
  ])
    assert.throws(
      () => createModel("openai:teacher", options),
      /^InputError: openai:teacher: no API key; set OPENAI_API_KEY in the environment$/,
      "a chosen endpoint needs its key, nothing else",
    );
});

test("a key with a line break inside is an InputError naming the variable; surrounding whitespace is dropped", async () => {
  const broken = "sk-first-half\nsk-second-half";
  for (const [id, variable] of [
    ["openai:gpt-4o", "OPENAI_API_KEY"],
    ["anthropic:claude-3-5-haiku", "ANTHROPIC_API_KEY"],
    ["deepseek:deepseek-chat", "DEEPSEEK_API_KEY"],
  ] as const) {
    assert.throws(
      () => createModel(id, { environment: { [variable]: broken } }),
      (error: unknown) =>
        error instanceof InputError &&
        error.message.includes(variable) &&
        /line break/.test(error.message) &&
        !error.message.includes("first-half"),
      id,
    );
  }
  // A key pasted with a trailing newline works, and the newline is not sent.
  const server = await startMockProviderServer({ apiKey: "sk-pasted-key" });
  try {
    const model = createModel("openai:m", {
      baseUrl: server.openaiBaseUrl,
      environment: { OPENAI_API_KEY: "  sk-pasted-key\r\n" },
    });
    const result = await model.generate(
      { messages: [{ role: "user", content: "hi" }] },
      new AbortController().signal,
    );
    assert.equal(result.ok, true, JSON.stringify(result));
  } finally {
    await server.close();
  }
});

test("a failure names the environment variable only when the base URL did not come from the flag", async () => {
  // A base URL given as an option wins over OPENAI_BASE_URL, so pointing the user to the variable would
  // send them to change something that has no effect (found by the README walkthrough, 30 Nov 2026).
  const server = await startMockProviderServer();
  try {
    const request = { messages: [{ role: "user" as const, content: "hi" }] };
    const fromFlag = await createModel("openai:m", {
      baseUrl: `${server.url}/wrong/v1`,
      baseUrlFlag: "targets[0].base-url",
      environment: { OPENAI_API_KEY: "k" },
    }).generate(request, new AbortController().signal);
    assert.equal(fromFlag.ok, false);
    assert.match(
      fromFlag.ok ? "" : fromFlag.message,
      /endpoint not found \(404\).*check targets\[0\]\.base-url$/,
    );
    const fromVariable = await createModel("openai:m", {
      environment: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: `${server.url}/wrong/v1` },
    }).generate(request, new AbortController().signal);
    assert.equal(fromVariable.ok, false);
    assert.match(fromVariable.ok ? "" : fromVariable.message, /check --base-url or OPENAI_BASE_URL$/);
    const anthropic = await createModel("anthropic:m", {
      baseUrl: `${server.url}/wrong`,
      environment: { ANTHROPIC_API_KEY: "k" },
    }).generate(request, new AbortController().signal);
    assert.match(anthropic.ok ? "" : anthropic.message, /check --base-url$/);
  } finally {
    await server.close();
  }
});

test("presets set base URL and key variable; local ones need no key", () => {
  const deepseek = createModel("deepseek:deepseek-chat", { environment: { DEEPSEEK_API_KEY: "k" } });
  assert.equal(deepseek.endpoint, "api.deepseek.com");
  assert.equal(deepseek.provider, "deepseek");
  const qwen = createModel("qwen:qwen-plus", { environment: { DASHSCOPE_API_KEY: "k" } });
  assert.equal(qwen.endpoint, "dashscope-intl.aliyuncs.com");
  assert.equal(
    createModel("zhipu:glm-4", { environment: { ZHIPUAI_API_KEY: "k" } }).endpoint,
    "open.bigmodel.cn",
  );
  assert.equal(createModel("vllm:llama", { environment: {} }).endpoint, "localhost:8000");
  assert.equal(createModel("lmstudio:llama", { environment: {} }).endpoint, "localhost:1234");
  assert.equal(
    createModel("vllm:llama", { baseUrl: "http://127.0.0.1:9/v1", environment: {} }).endpoint,
    "127.0.0.1:9",
  );
});

test("openai base URL: option, then OPENAI_BASE_URL, then api.openai.com; keyless for loopback", () => {
  assert.equal(createModel("openai:m", { environment: { OPENAI_API_KEY: "k" } }).endpoint, "api.openai.com");
  const fromEnvironment = createModel("openai:m", {
    environment: { OPENAI_BASE_URL: "http://localhost:5000/v1" },
  });
  assert.equal(fromEnvironment.endpoint, "localhost:5000");
  assert.equal(createModel("ollama:m", { environment: {} }).endpoint, "localhost:11434");
  assert.throws(() => createModel("openai:m", { baseUrl: "not a url", environment: {} }), /--base-url/);
});

test("errors name the flag that sets this model's base URL (and not the variable it overrides)", async () => {
  const port = await closedPort();
  for (const [id, variable] of [
    ["openai:m", "OPENAI_BASE_URL"],
    ["anthropic:m", "ANTHROPIC_BASE_URL"],
    ["google:m", "GOOGLE_BASE_URL"],
    ["ollama:m", "OLLAMA_BASE_URL"],
  ] as const) {
    const environment = { ANTHROPIC_API_KEY: "k", GEMINI_API_KEY: "k", OPENAI_API_KEY: "k" };
    assert.throws(
      () => createModel(id, { baseUrl: "not a url", baseUrlFlag: "--judge-base-url", environment }),
      /fix --judge-base-url$/,
    );
    // The connection failure names the judge's flag too.
    const model = createModel(id, {
      baseUrl: `http://127.0.0.1:${port}`,
      baseUrlFlag: "--judge-base-url",
      environment,
    });
    const result = await model.generate(
      { messages: [{ role: "user", content: "hi" }] },
      new AbortController().signal,
    );
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.message, /check --judge-base-url/);
      assert.doesNotMatch(result.message, new RegExp(variable));
    }
  }
  assert.throws(
    () => createModel("deepseek:m", { baseUrl: "nope", environment: { DEEPSEEK_API_KEY: "k" } }),
    /fix --base-url/,
  );
});

test("a judge's unknown prompt or bad request names --judge, a target's --target", async () => {
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const folder = mkdtempSync(join(tmpdir(), "distillscope-registry-"));
  const file = join(folder, "a.jsonl");
  writeFileSync(
    file,
    `${JSON.stringify({ id: "p", model: "openai:j", messages: [{ role: "user", content: "known" }], response: "r", usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 1, cached: false })}\n`,
  );
  const messages = [{ role: "user" as const, content: "never recorded" }];
  const signal = new AbortController().signal;
  const asJudge = await createModel(`replay:${file}#j`, { modelFlag: "--judge" }).generate(
    { messages },
    signal,
  );
  assert.ok(!asJudge.ok && asJudge.fix === "--judge", JSON.stringify(asJudge));
  const asTarget = await createModel(`replay:${file}#j`).generate({ messages }, signal);
  assert.ok(!asTarget.ok && asTarget.fix === "--target", JSON.stringify(asTarget));
  const known = await createModel(`replay:${file}#j`, { modelFlag: "--judge" }).generate(
    { messages: [{ role: "user", content: "known" }] },
    signal,
  );
  assert.ok(known.ok && known.text === "r");
});

test("a misspelt provider gets a 'did you mean' with the whole corrected id", () => {
  assert.throws(
    () => createModel("openia:gpt-4o", { environment: {} }),
    (error: unknown) =>
      error instanceof InputError &&
      error.message.startsWith(
        'unknown provider "openia" in "openia:gpt-4o" (did you mean "openai:gpt-4o"?); known',
      ),
  );
  assert.throws(
    () => createModel("antropic:claude-sonnet-4", { environment: {} }),
    /did you mean "anthropic:claude-sonnet-4"\?/,
  );
  assert.throws(
    () => createModel("nosuch:model", { environment: {} }),
    (error: unknown) => !String(error).includes("did you mean"),
  );
});
