/**
 * `azure:` models without AZURE_OPENAI_API_KEY sign in with Microsoft Entra ID through the real
 * @azure/identity (DefaultAzureCredential -> AzureCliCredential), which runs a fake `az` (src/testing/
 * fake-az.ts), against loopback servers speaking Azure OpenAI's wire. The credential reads process.env,
 * so each test points this process's environment at its own fake az.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, test } from "node:test";
import { redactedKeyMarker, redactKnownKeys } from "../secrets/known-keys.ts";
import { type FakeAz, type FakeAzAnswer, fakeAzEnvironment, writeFakeAz } from "../testing/fake-az.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { cognitiveServicesScope, entraIdFix, howToSignIn } from "./azure-entra-id.ts";
import { createOpenAIModel } from "./openai.ts";
import { createModel } from "./registry.ts";
import type { GenerateFailure, GenerateResult, Model } from "./types.ts";

const tokenA = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.FAKE-ENTRA-TOKEN-A-7f3c9e21d4b8.signature-a";
const tokenB = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.FAKE-ENTRA-TOKEN-B-0a6e5d4c3b2f.signature-b";
const messages = [{ role: "user" as const, content: "Who made you?" }];
const originalEnvironment = { ...process.env };
let server: MockProviderServer;
const fakes: FakeAz[] = [];

before(async () => {
  server = await startMockProviderServer({
    apiKey: tokenA,
    knownModels: ["prod-chat"],
    respond: ({ model }) => `deployment ${model} answers`,
  });
});
after(async () => server.close());
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in originalEnvironment)) delete process.env[name];
  Object.assign(process.env, originalEnvironment);
  for (const fake of fakes.splice(0)) fake.remove();
});

/** A fake az on this process's PATH, alone, with the machine's Azure variables out of the way. */
function useFakeAz(answers: FakeAzAnswer[]): FakeAz {
  const fake = writeFakeAz(answers);
  fakes.push(fake);
  const environment = fakeAzEnvironment(fake);
  for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
  Object.assign(process.env, environment);
  return fake;
}

const azure = (endpoint: string, extra: NodeJS.ProcessEnv = {}): Model =>
  createModel("azure:prod-chat", { environment: { AZURE_OPENAI_ENDPOINT: endpoint, ...extra } });
const ask = (model: Model, stream = false): Promise<GenerateResult> =>
  model.generate({ messages, stream, temperature: 0 }, new AbortController().signal);
function failed(result: GenerateResult): GenerateFailure {
  assert.equal(result.ok, false, JSON.stringify(result));
  return result as GenerateFailure;
}

/** A loopback Azure OpenAI stand-in that records each request's headers and answers "ok" (JSON or SSE). */
async function startRecorder(): Promise<{
  url: string;
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}> {
  const seen: IncomingHttpHeaders[] = [];
  const recorder = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push(request.headers);
      const usage = { prompt_tokens: 3, completion_tokens: 1 };
      if (JSON.parse(body).stream === true) {
        const chunk = { choices: [{ index: 0, delta: { content: "ok" }, finish_reason: "stop" }], usage };
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.end(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`);
        return;
      }
      const answer = {
        choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
        usage,
      };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      recorder.closeAllConnections();
      await new Promise<void>((resolve) => recorder.close(() => resolve()));
    },
  };
}

test("without a key, every request carries the az token as Authorization: Bearer and no api-key", async () => {
  const fake = useFakeAz([{ accessToken: tokenA, expiresInSeconds: 3600 }]);
  const recorder = await startRecorder();
  try {
    const model = azure(recorder.url);
    const started = performance.now();
    const first = await ask(model);
    const firstMs = performance.now() - started;
    assert.ok(first.ok, JSON.stringify(first));
    for (const stream of [false, true, false]) assert.ok((await ask(model, stream)).ok);
    assert.equal(recorder.seen.length, 4);
    for (const headers of recorder.seen) {
      assert.equal(headers.authorization, `Bearer ${tokenA}`);
      assert.equal(headers["api-key"], undefined);
    }
    // One az call for the four requests (the provider caches), asking for Azure OpenAI's resource.
    assert.deepEqual(fake.calls(), [
      [
        "account",
        "get-access-token",
        "--output",
        "json",
        "--resource",
        cognitiveServicesScope.replace(/\/\.default$/, ""),
      ],
    ]);
    console.log(
      `first request with Entra ID (import @azure/identity + az + request): ${firstMs.toFixed(0)} ms`,
    );
  } finally {
    await recorder.close();
  }
});

test("the loopback Azure server accepts the token; a token it refuses is fatal, names the sign-in, hides the token", async () => {
  useFakeAz([{ accessToken: tokenA, expiresInSeconds: 3600 }]);
  for (const stream of [false, true]) {
    const result = await ask(azure(server.url), stream);
    assert.ok(result.ok && result.text === "deployment prod-chat answers", JSON.stringify(result));
  }
  server.setOptions({ apiKey: tokenB });
  try {
    const failure = failed(await ask(azure(server.url)));
    assert.equal(failure.errorClass, "fatal");
    assert.equal(failure.status, 401);
    assert.equal(failure.fix, entraIdFix);
    assert.match(failure.message, /authentication failed \(401\).*Cognitive Services OpenAI User/);
    assert.doesNotMatch(JSON.stringify(failure), /FAKE-ENTRA-TOKEN/);
  } finally {
    server.setOptions({ apiKey: tokenA });
  }
});

test("an expired token is fetched again from az before the next request", async () => {
  const fake = useFakeAz([
    { accessToken: tokenA, expiresInSeconds: -60 },
    { accessToken: tokenB, expiresInSeconds: 3600 },
  ]);
  const recorder = await startRecorder();
  try {
    const model = azure(recorder.url);
    for (let request = 0; request < 3; request++) assert.ok((await ask(model)).ok);
    assert.deepEqual(
      recorder.seen.map((headers) => headers.authorization),
      [`Bearer ${tokenA}`, `Bearer ${tokenB}`, `Bearer ${tokenB}`],
    );
    assert.equal(fake.calls().length, 2);
  } finally {
    await recorder.close();
  }
});

test("a token about to expire is renewed in the background while it is still used", async () => {
  // 30 s left: inside the provider's 2-minute renewal window, outside its 1-second must-wait window.
  const fake = useFakeAz([
    { accessToken: tokenA, expiresInSeconds: 30 },
    { accessToken: tokenB, expiresInSeconds: 3600 },
  ]);
  const recorder = await startRecorder();
  try {
    const model = azure(recorder.url);
    assert.ok((await ask(model)).ok);
    assert.ok((await ask(model)).ok);
    // The second request did not wait for the renewal: it went with the still-valid token.
    assert.equal(recorder.seen[1]?.authorization, `Bearer ${tokenA}`);
    const deadline = Date.now() + 10_000;
    while (recorder.seen.at(-1)?.authorization !== `Bearer ${tokenB}` && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok((await ask(model)).ok);
    }
    assert.equal(recorder.seen.at(-1)?.authorization, `Bearer ${tokenB}`);
    assert.equal(fake.calls().length, 2);
  } finally {
    await recorder.close();
  }
});

test("requests that start at once share one sign-in", async () => {
  const fake = useFakeAz([{ accessToken: tokenA, expiresInSeconds: 3600 }]);
  const model = azure(server.url);
  const results = await Promise.all(Array.from({ length: 8 }, (_, index) => ask(model, index % 2 === 0)));
  for (const result of results) assert.ok(result.ok, JSON.stringify(result));
  assert.equal(fake.calls().length, 1);
});

test("a token that cannot be renewed after a sign-in that worked is retryable, not the end of the run", async () => {
  const fake = useFakeAz([{ accessToken: tokenA, expiresInSeconds: -60 }, "not logged in"]);
  const model = azure(server.url);
  assert.ok((await ask(model)).ok);
  const before = server.stats().requests;
  const failure = failed(await ask(model));
  assert.equal(failure.errorClass, "retryable");
  assert.match(failure.message, /^azure:prod-chat: could not renew the Microsoft Entra ID token \(\w+\); /);
  assert.doesNotMatch(failure.message, /\n|FAKE-ENTRA-TOKEN/);
  assert.equal(server.stats().requests, before);
  // The next attempt asks az again (the engine's retry would).
  assert.equal(failed(await ask(model)).errorClass, "retryable");
  assert.equal(fake.calls().length, 3);
});

test("no key and no sign-in: one fatal line naming what to set, and nothing is sent", async () => {
  useFakeAz([]);
  const before = server.stats().requests;
  const started = performance.now();
  const failure = failed(await ask(azure(server.url)));
  const elapsedMs = performance.now() - started;
  assert.equal(failure.errorClass, "fatal");
  assert.equal(failure.fix, "AZURE_OPENAI_API_KEY");
  assert.equal(
    failure.message,
    "azure:prod-chat: no Azure credential worked (no key, no Microsoft Entra ID sign-in); set AZURE_OPENAI_API_KEY, or run `az login` (or `azd auth login`); AZURE_TOKEN_CREDENTIALS=dev tries only these developer sign-ins",
  );
  assert.equal(server.stats().requests, before);
  console.log(`no credential found in ${elapsedMs.toFixed(0)} ms`);
});

test("the advice fits the credentials AZURE_TOKEN_CREDENTIALS lets the chain try", () => {
  assert.equal(
    howToSignIn({}),
    "set AZURE_OPENAI_API_KEY, or run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET",
  );
  const developer = howToSignIn({ AZURE_TOKEN_CREDENTIALS: " Dev " });
  assert.match(developer, /az login/);
  assert.doesNotMatch(developer, /AZURE_CLIENT_SECRET/, "dev never tries a service principal");
  const production = howToSignIn({ AZURE_TOKEN_CREDENTIALS: "prod" });
  assert.match(production, /set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET;/);
  assert.match(production, /never `az login`$/);
  assert.match(
    howToSignIn({ AZURE_TOKEN_CREDENTIALS: "AzureCliCredential" }),
    /unset AZURE_TOKEN_CREDENTIALS/,
  );
});

test("an AZURE_TOKEN_CREDENTIALS value the library does not know is named", async () => {
  useFakeAz([{ accessToken: tokenA, expiresInSeconds: 3600 }]);
  process.env.AZURE_TOKEN_CREDENTIALS = "laptop";
  const failure = failed(await ask(azure(server.url)));
  assert.equal(failure.errorClass, "fatal");
  assert.equal(failure.fix, "AZURE_TOKEN_CREDENTIALS");
  assert.doesNotMatch(failure.message, /\n/);
});

test("a key, when set, wins: api-key header, az never run", async () => {
  const fake = useFakeAz([{ accessToken: tokenA, expiresInSeconds: 3600 }]);
  const recorder = await startRecorder();
  try {
    const key = "azure-key-DISTINCTIVE-5e4d3c2b1a09";
    assert.ok((await ask(azure(recorder.url, { AZURE_OPENAI_API_KEY: key }))).ok);
    assert.equal(recorder.seen[0]?.["api-key"], key);
    assert.equal(recorder.seen[0]?.authorization, undefined);
    assert.deepEqual(fake.calls(), []);
  } finally {
    await recorder.close();
  }
});

test("a token reflected in an answer is hidden like a key", async () => {
  useFakeAz([{ accessToken: tokenA, expiresInSeconds: 3600 }]);
  server.setOptions({ respond: () => `your header was Bearer ${tokenA}` });
  try {
    const result = await ask(azure(server.url));
    assert.ok(result.ok, JSON.stringify(result));
    // The engine stores answers through redactKnownKeys: the token was remembered when it was obtained.
    assert.equal(redactKnownKeys(result.text), `your header was Bearer ${redactedKeyMarker}`);
  } finally {
    server.setOptions({ respond: ({ model }) => `deployment ${model} answers` });
  }
});

test("a request whose token is still being fetched gives up when its signal aborts", async () => {
  const model = createOpenAIModel({
    id: "azure:prod-chat",
    provider: "azure",
    model: "prod-chat",
    baseUrl: `${server.url}/openai/v1`,
    baseUrlHint: "--base-url or AZURE_OPENAI_ENDPOINT",
    bearerToken: () => new Promise(() => {}),
  });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const failure = failed(await model.generate({ messages }, controller.signal));
  assert.equal(failure.errorClass, "retryable");
  assert.match(failure.message, /aborted/);
});
