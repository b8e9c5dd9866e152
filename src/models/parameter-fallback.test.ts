/** parameter-fallback.ts against the loopback mock provider, through createModel as the CLI builds models. */
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { createOpenAIModel } from "./openai.ts";
import {
  forgetOmittedParameters,
  type OmittedParameterNote,
  omittedParameters,
  onOmittedParameter,
} from "./parameter-fallback.ts";
import { createModel } from "./registry.ts";
import type { GenerateRequest } from "./types.ts";

let server: MockProviderServer;
const seen: Array<{ model: string; temperature: number | undefined }> = [];
const notes: OmittedParameterNote[] = [];
let stopListening: () => void;

before(async () => {
  server = await startMockProviderServer({
    rejectTemperatureModels: ["o3", "claude-opus-4-7"],
    respond: ({ model, temperature }) => {
      seen.push({ model, temperature });
      return `answer of ${model}`;
    },
  });
  stopListening = onOmittedParameter((note) => notes.push(note));
});
after(async () => {
  stopListening();
  await server.close();
});
beforeEach(() => {
  forgetOmittedParameters();
  server.resetStats();
  seen.length = 0;
  notes.length = 0;
});

const ask = (temperature?: number): GenerateRequest => ({
  messages: [{ role: "user", content: "hello" }],
  ...(temperature === undefined ? {} : { temperature }),
});
const environment = { OPENAI_API_KEY: "sk-test-0000", ANTHROPIC_API_KEY: "sk-ant-test-0000" };

test("a model refusing temperature is asked again without it, once; later requests go without it at once", async () => {
  const model = createModel("openai:o3", { baseUrl: server.openaiBaseUrl, environment });
  const first = await model.generate(ask(0), new AbortController().signal);
  assert.ok(first.ok, JSON.stringify(first));
  assert.deepEqual(first.sentWithout, ["temperature"]);
  assert.equal(first.text, "answer of o3");
  assert.equal(server.stats().byStatus["400"], 1);
  assert.deepEqual(seen, [{ model: "o3", temperature: undefined }]);
  assert.equal(notes.length, 1);
  assert.equal(notes[0]!.parameter, "temperature");
  assert.match(notes[0]!.message, /openai:o3 does not take temperature/);

  // Another instance of the same model (a judge, a second command in the process): no 400 any more.
  const again = createModel("openai:o3", { baseUrl: server.openaiBaseUrl, environment });
  const second = await again.generate(ask(0.7), new AbortController().signal);
  assert.ok(second.ok);
  assert.deepEqual(second.sentWithout, ["temperature"]);
  assert.equal(server.stats().requests, 3, "400 + 200, then one request");
  assert.equal(notes.length, 1, "the note is given once per model");
  assert.deepEqual([...omittedParameters(again)], ["temperature"]);

  // Asked without a temperature: nothing was left out, so nothing is said about it.
  const plain = await again.generate(ask(), new AbortController().signal);
  assert.ok(plain.ok);
  assert.equal(plain.sentWithout, undefined);
});

test("a model that takes temperature still gets it, and learns nothing from the other's refusal", async () => {
  await createModel("openai:o3", { baseUrl: server.openaiBaseUrl, environment }).generate(
    ask(0),
    new AbortController().signal,
  );
  seen.length = 0;
  const model = createModel("openai:gpt-4o", { baseUrl: server.openaiBaseUrl, environment });
  const result = await model.generate(ask(0), new AbortController().signal);
  assert.ok(result.ok);
  assert.equal(result.sentWithout, undefined);
  assert.deepEqual(seen, [{ model: "gpt-4o", temperature: 0 }]);
  // The same model name on another endpoint (host and port) is another model: it is not assumed to refuse.
  const otherHost = server.openaiBaseUrl.replace("127.0.0.1", "localhost");
  assert.notEqual(otherHost, server.openaiBaseUrl);
  const elsewhere = createModel("openai:o3", { baseUrl: otherHost, environment });
  assert.equal(omittedParameters(elsewhere).size, 0);
});

test("Anthropic's refusal of temperature is handled the same way", async () => {
  const model = createModel("anthropic:claude-opus-4-7", { baseUrl: server.anthropicBaseUrl, environment });
  const result = await model.generate(ask(0), new AbortController().signal);
  assert.ok(result.ok, JSON.stringify(result));
  assert.deepEqual(result.sentWithout, ["temperature"]);
  assert.equal(server.stats().byStatus["400"], 1);
});

test("the bare adapter reports the refusal as a fatal bad request naming the parameter", async () => {
  const model = createOpenAIModel({
    id: "openai:o3",
    provider: "openai",
    model: "o3",
    baseUrl: server.openaiBaseUrl,
    baseUrlHint: "--base-url",
  });
  const result = await model.generate(ask(0), new AbortController().signal);
  assert.ok(!result.ok);
  assert.equal(result.errorClass, "fatal");
  assert.equal(result.status, 400);
  assert.equal(result.unsupportedParameter, "temperature");
  assert.match(result.message, /does not take temperature \(400\): Unsupported value/);
  assert.equal(notes.length, 0);
});

test("another bad request is not sent again", async () => {
  const model = createModel("openai:not-known", { baseUrl: server.openaiBaseUrl, environment });
  server.setOptions({ knownModels: ["o3"] });
  try {
    const result = await model.generate(ask(0), new AbortController().signal);
    assert.ok(!result.ok);
    assert.equal(server.stats().requests, 1);
  } finally {
    server.setOptions({ knownModels: undefined });
  }
});
