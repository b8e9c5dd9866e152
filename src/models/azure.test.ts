import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { InputError } from "../errors.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { createModel } from "./registry.ts";
import type { GenerateFailure, GenerateResult } from "./types.ts";

const fakeKey = "azure-key-DISTINCTIVE-5e4d3c2b1a09";
const messages = [{ role: "user" as const, content: "Who made you?" }];
let server: MockProviderServer;

before(async () => {
  server = await startMockProviderServer({
    apiKey: fakeKey,
    knownModels: ["prod-chat"],
    respond: ({ model }) => `deployment ${model} answers`,
  });
});
after(async () => server.close());

const azure = (environment: NodeJS.ProcessEnv, deployment = "prod-chat", baseUrl?: string) =>
  createModel(`azure:${deployment}`, { environment, ...(baseUrl === undefined ? {} : { baseUrl }) });
const ask = (model: ReturnType<typeof createModel>, stream = false): Promise<GenerateResult> =>
  model.generate({ messages, stream, temperature: 0 }, new AbortController().signal);
function failed(result: GenerateResult): GenerateFailure {
  assert.equal(result.ok, false);
  return result as GenerateFailure;
}
function inputErrorOf(build: () => unknown): InputError {
  try {
    build();
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error;
  }
  assert.fail("expected an InputError");
}

test("azure answers through <AZURE_OPENAI_ENDPOINT>/openai/v1 with the deployment as the model", async () => {
  for (const endpoint of [server.url, `${server.url}/`, `${server.url}/openai/v1`]) {
    const model = azure({ AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_API_KEY: fakeKey });
    assert.equal(model.provider, "azure");
    assert.equal(model.model, "prod-chat");
    assert.equal(model.endpoint, new URL(server.url).host);
    for (const stream of [false, true]) {
      const result = await ask(model, stream);
      assert.ok(result.ok, JSON.stringify(result));
      // The mock server echoes the body's `model`: the deployment name.
      assert.equal(result.text, "deployment prod-chat answers");
    }
  }
});

test("the key goes in an api-key header, never in authorization", async () => {
  const seen: Array<{ url: string | undefined; headers: IncomingHttpHeaders; body: string }> = [];
  const recorder = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push({ url: request.url, headers: request.headers, body });
      const answer = {
        model: "gpt-4o-2024-11-20",
        choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 3, completion_tokens: 1 },
      };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
  try {
    const endpoint = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    const result = await ask(azure({ AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_API_KEY: fakeKey }));
    assert.ok(result.ok && result.text === "ok", JSON.stringify(result));
    assert.equal(result.responseModel, "gpt-4o-2024-11-20");
    assert.equal(seen.length, 1);
    const [request] = seen;
    assert.equal(request?.url, "/openai/v1/chat/completions");
    assert.equal(request?.headers["api-key"], fakeKey);
    assert.equal(request?.headers.authorization, undefined);
    assert.equal(JSON.parse(request?.body ?? "{}").model, "prod-chat");
  } finally {
    recorder.closeAllConnections();
    await new Promise<void>((resolve) => recorder.close(() => resolve()));
  }
});

test("--base-url wins over AZURE_OPENAI_ENDPOINT", async () => {
  const model = azure(
    { AZURE_OPENAI_ENDPOINT: "https://unused.openai.azure.com", AZURE_OPENAI_API_KEY: fakeKey },
    "prod-chat",
    server.openaiBaseUrl,
  );
  assert.equal(model.endpoint, new URL(server.url).host);
  const result = await ask(model);
  assert.ok(result.ok && result.text === "deployment prod-chat answers", JSON.stringify(result));
  // Without the flag, the endpoint variable sets the host.
  const fromVariable = azure({
    AZURE_OPENAI_ENDPOINT: "https://my-resource.openai.azure.com/",
    AZURE_OPENAI_API_KEY: fakeKey,
  });
  assert.equal(fromVariable.endpoint, "my-resource.openai.azure.com");
});

test("a wrong key is fatal, names AZURE_OPENAI_API_KEY and never shows the key", async () => {
  const wrongKey = "azure-wrong-DISTINCTIVE-0123456789";
  const failure = failed(
    await ask(azure({ AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: wrongKey })),
  );
  assert.equal(failure.errorClass, "fatal");
  assert.equal(failure.fix, "AZURE_OPENAI_API_KEY");
  assert.match(failure.message, /authentication failed \(401\).*AZURE_OPENAI_API_KEY/);
  assert.doesNotMatch(JSON.stringify(failure), /DISTINCTIVE/);
});

test("an unknown deployment is fatal and names --target", async () => {
  const failure = failed(
    await ask(
      azure({ AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: fakeKey }, "no-such-deployment"),
    ),
  );
  assert.equal(failure.errorClass, "fatal");
  assert.equal(failure.fix, "--target");
});

test("429 carries the wait from retry-after-ms like OpenAI", async () => {
  server.setOptions({ faults: { rateLimitRate: 1, rateLimitRetryAfterMs: 2500, rateLimitHeader: "ms" } });
  try {
    const failure = failed(
      await ask(azure({ AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: fakeKey })),
    );
    assert.equal(failure.errorClass, "rate_limited");
    assert.equal(failure.retryAfterMs, 2500);
    assert.doesNotMatch(JSON.stringify(failure), /DISTINCTIVE/);
  } finally {
    server.setOptions({ faults: {} });
  }
});

test("a missing endpoint or a bad key is an InputError naming the variables, before any request", () => {
  const before = server.stats().requests;
  const noEndpoint = inputErrorOf(() => azure({ AZURE_OPENAI_API_KEY: fakeKey }));
  assert.match(
    noEndpoint.message,
    /set AZURE_OPENAI_ENDPOINT \(https:\/\/<resource>\.openai\.azure\.com\) or pass --base-url/,
  );
  const blankEndpoint = inputErrorOf(() =>
    azure({ AZURE_OPENAI_ENDPOINT: " ", AZURE_OPENAI_API_KEY: fakeKey }),
  );
  assert.match(blankEndpoint.message, /AZURE_OPENAI_ENDPOINT/);
  const judge = inputErrorOf(() =>
    createModel("azure:judge", {
      baseUrlFlag: "--judge-base-url",
      environment: { AZURE_OPENAI_API_KEY: fakeKey },
    }),
  );
  assert.match(judge.message, /or pass --judge-base-url/);
  // No key is no error here: the model signs in with Microsoft Entra ID at its first request
  // (azure-entra-id.test.ts); the endpoint is still checked first.
  assert.equal(azure({ AZURE_OPENAI_ENDPOINT: server.url }).provider, "azure");
  const noKeyNoEndpoint = inputErrorOf(() => azure({}));
  assert.match(noKeyNoEndpoint.message, /set AZURE_OPENAI_ENDPOINT/);
  const badKey = inputErrorOf(() =>
    azure({ AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: "azure-key DISTINCTIVE" }),
  );
  assert.match(badKey.message, /AZURE_OPENAI_API_KEY has a space/);
  const badUrl = inputErrorOf(() =>
    azure({ AZURE_OPENAI_ENDPOINT: "not a url", AZURE_OPENAI_API_KEY: fakeKey }),
  );
  assert.match(badUrl.message, /fix --base-url or AZURE_OPENAI_ENDPOINT/);
  for (const error of [noEndpoint, blankEndpoint, judge, noKeyNoEndpoint, badKey, badUrl])
    assert.doesNotMatch(error.message, /DISTINCTIVE/);
  assert.equal(server.stats().requests, before);
});

test("an unreachable endpoint is retryable, names AZURE_OPENAI_ENDPOINT and never shows the key", async () => {
  const closed = await startMockProviderServer();
  const endpoint = closed.url;
  await closed.close();
  const failure = failed(
    await ask(azure({ AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_API_KEY: fakeKey })),
  );
  assert.equal(failure.errorClass, "retryable");
  assert.match(failure.message, /--base-url or AZURE_OPENAI_ENDPOINT/);
  assert.doesNotMatch(JSON.stringify(failure), /DISTINCTIVE/);
});
