import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { generateJsonSchema } from "./json-schema.ts";
import { parseConfigText } from "./load.ts";
import { helperEntry } from "./schema.ts";

/** A config whose ICE section ends with `helperLines` (the helper is on line 7). */
function configWith(helperLines: string): string {
  return `targets:
  - id: openai:qwen-max
    identity: alibaba
evaluations:
  ice:
    budget: 20
${helperLines}`;
}

function helperOf(helperLines: string) {
  return parseConfigText(configWith(helperLines), "distillscope.yaml").config.evaluations.ice?.helper;
}

function errorFor(helperLines: string): string {
  try {
    parseConfigText(configWith(helperLines), "distillscope.yaml");
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.equal(error.message.includes("\n"), false, "one line");
    return error.message;
  }
  assert.fail("expected the config to be rejected");
}

test("the helper may be a plain model id, as before", () => {
  const helper = helperOf("    helper: openai:gpt-4o-mini\n");
  assert.equal(helper, "openai:gpt-4o-mini");
  assert.deepEqual(helperEntry(helper!), { id: "openai:gpt-4o-mini" });
});

test("the helper may be a mapping with its own base-url and api-key-env, block or flow style", () => {
  const expected = {
    id: "openai:gpt-4o-mini",
    "base-url": "http://127.0.0.1:8000/v1",
    "api-key-env": "MY_KEY",
  };
  const block = helperOf(
    "    helper:\n      id: openai:gpt-4o-mini\n      base-url: http://127.0.0.1:8000/v1\n      api-key-env: MY_KEY\n",
  );
  assert.deepEqual(block, expected);
  assert.deepEqual(helperEntry(block!), expected);
  const flow = helperOf(
    "    helper: { id: openai:gpt-4o-mini, base-url: http://127.0.0.1:8000/v1, api-key-env: MY_KEY }\n",
  );
  assert.deepEqual(flow, expected);
  assert.deepEqual(helperOf("    helper: { id: ollama:qwen2.5:7b }\n"), { id: "ollama:qwen2.5:7b" });
  assert.equal(helperOf(""), undefined, "no helper: rule-based mutators");
});

test("a bad helper is refused with its field path and line", () => {
  assert.equal(
    errorFor("    helper: gpt-4o-mini\n"),
    'distillscope.yaml:7: evaluations.ice.helper: a model id is "provider:model", e.g. "openai:gpt-4o-mini"',
  );
  assert.equal(
    errorFor("    helper: opnai:gpt-4o-mini\n"),
    'distillscope.yaml:7: evaluations.ice.helper: unknown provider "opnai" (did you mean "openai"?)',
  );
  assert.equal(
    errorFor("    helper:\n      id: opnai:gpt-4o-mini\n"),
    'distillscope.yaml:8: evaluations.ice.helper.id: unknown provider "opnai" (did you mean "openai"?)',
  );
  assert.equal(
    errorFor("    helper:\n      id: openai:x\n      bse-url: http://127.0.0.1:8000/v1\n"),
    'distillscope.yaml:9: evaluations.ice.helper.bse-url: unknown key (did you mean "base-url"?)',
  );
  assert.match(
    errorFor("    helper:\n      id: openai:x\n      base-url: not a url\n"),
    /^distillscope\.yaml:9: evaluations\.ice\.helper\.base-url: /,
  );
  assert.equal(
    errorFor("    helper:\n      id: openai:x\n      api-key-env: sk-live-123\n"),
    "distillscope.yaml:9: evaluations.ice.helper.api-key-env: the NAME of an environment variable, e.g. MY_PROVIDER_KEY (never the key)",
  );
  assert.match(
    errorFor("    helper:\n      base-url: http://127.0.0.1:8000/v1\n"),
    /^distillscope\.yaml:\d+: evaluations\.ice\.helper: the helper mapping needs an id/,
  );
  assert.match(
    errorFor("    helper:\n      id: 5\n"),
    /^distillscope\.yaml:\d+: evaluations\.ice\.helper: the helper's id must be a model id \("provider:model"\), got a number$/,
  );
  assert.equal(
    errorFor("    helper: 42\n"),
    'distillscope.yaml:7: evaluations.ice.helper: expected a model id ("provider:model") or a mapping with id, base-url and api-key-env',
  );
});

test("the JSON Schema offers both helper forms to editors", () => {
  const schema = generateJsonSchema() as {
    properties: {
      evaluations: { properties: { ice: { properties: { helper: { anyOf: Array<{ type: string }> } } } } };
    };
  };
  const helper = schema.properties.evaluations.properties.ice.properties.helper;
  assert.deepEqual(
    helper.anyOf.map((branch) => branch.type),
    ["string", "object"],
  );
});
