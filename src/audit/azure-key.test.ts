import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { ConfigFieldError, helperModelFor, modelFor } from "./models.ts";

const key = "azure-config-key-DISTINCTIVE-77aa";
let server: MockProviderServer;

before(async () => {
  server = await startMockProviderServer({ apiKey: key, respond: ({ model }) => `from ${model}` });
});
after(async () => server.close());

test("a config entry's api-key-env stands in for AZURE_OPENAI_API_KEY", async () => {
  // AZURE_OPENAI_API_KEY is unset: the model answers only because MY_AZURE_KEY is mapped onto it.
  const model = modelFor(
    "azure:prod-chat",
    { "base-url": server.openaiBaseUrl, "api-key-env": "MY_AZURE_KEY" },
    { MY_AZURE_KEY: key },
    "targets[0]",
  );
  const result = await model.generate(
    { messages: [{ role: "user", content: "hi" }] },
    new AbortController().signal,
  );
  assert.ok(result.ok && result.text === "from prod-chat", JSON.stringify(result));
});

test("an azure entry without base-url or AZURE_OPENAI_ENDPOINT names the entry's base-url field", () => {
  assert.throws(
    () => modelFor("azure:prod-chat", { "api-key-env": "MY_AZURE_KEY" }, { MY_AZURE_KEY: key }, "targets[1]"),
    (error: unknown) =>
      error instanceof ConfigFieldError &&
      /^targets\[1\]: .*set AZURE_OPENAI_ENDPOINT .* or set the config's targets\[1\]\.base-url$/.test(
        error.message,
      ) &&
      !error.message.includes(key),
  );
});

test("a preset entry's api-key-env stands in for the preset's own key variable (qwen, zhipu)", async () => {
  for (const [id, variable] of [
    ["qwen:qwen-max", "DASHSCOPE_API_KEY"],
    ["zhipu:glm-4", "ZHIPUAI_API_KEY"],
  ] as const) {
    // The preset's variable is unset: the model answers only because MY_KEY is mapped onto it.
    const model = modelFor(
      id,
      { "base-url": server.openaiBaseUrl, "api-key-env": "MY_KEY" },
      { MY_KEY: key },
      "targets[0]",
    );
    const result = await model.generate(
      { messages: [{ role: "user", content: "hi" }] },
      new AbortController().signal,
    );
    assert.ok(result.ok, `${id} (${variable}): ${JSON.stringify(result)}`);
  }
});

test("a plain-id helper or judge without an endpoint points at the config form that has a base-url", () => {
  assert.throws(
    () => helperModelFor("azure:prod-chat", { AZURE_OPENAI_API_KEY: key }),
    (error: unknown) =>
      error instanceof Error &&
      /set AZURE_OPENAI_ENDPOINT .* or set the config's evaluations\.ice\.helper as a mapping with id and base-url/.test(
        error.message,
      ) &&
      !error.message.includes("--base-url"),
  );
  assert.throws(
    () => modelFor("azure:prod-chat", {}, { AZURE_OPENAI_API_KEY: key }, "evaluations.ice.judge"),
    (error: unknown) =>
      error instanceof Error &&
      /a named entry with base-url in the config's judges/.test(error.message) &&
      !error.message.includes("--base-url"),
  );
});
