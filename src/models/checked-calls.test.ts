import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { createModel } from "./registry.ts";
import type { GenerateRequest } from "./types.ts";

let server: MockProviderServer;
before(async () => {
  server = await startMockProviderServer({ apiKey: "checked-key" });
});
after(async () => {
  await server.close();
});

const model = () =>
  createModel("openai:checked", {
    baseUrl: server.openaiBaseUrl,
    environment: { OPENAI_API_KEY: "checked-key" },
  });

test("generate without a signal answers as with one that never aborts, and leaves nothing unhandled", async () => {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", listener);
  try {
    const result = await model().generate(
      { messages: [{ role: "user", content: "hello" }] },
      undefined as unknown as AbortSignal,
    );
    assert.equal(result.ok, true, JSON.stringify(result));
    // The request that used to be left behind failed once the server went away; give it the time to.
    await new Promise((done) => setTimeout(done, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", listener);
  }
});

test("a malformed request or signal is a fatal failure sent nowhere, never a throw", async () => {
  const before = server.stats().requests;
  const signal = new AbortController().signal;
  for (const request of [
    undefined,
    {},
    { messages: "hello" },
    { messages: [] },
    { messages: [{ role: "user" }] },
  ]) {
    const result = await model().generate(request as unknown as GenerateRequest, signal);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.errorClass, "fatal");
    assert.match(!result.ok ? result.message : "", /^openai:checked: generate needs a request \{ messages: /);
  }
  const result = await model().generate({ messages: [{ role: "user", content: "hello" }] }, {
    aborted: false,
  } as unknown as AbortSignal);
  assert.match(!result.ok ? result.message : "", /generate's signal must be an AbortSignal when given/);
  assert.equal(server.stats().requests, before, "nothing was sent");
});
