import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createModel } from "../models/registry.ts";
import { redactedKeyMarker } from "../secrets/known-keys.ts";
import { openStore } from "../store/store.ts";
import { runWork } from "./run-work.ts";

const key = "sk-test-SECRET123abcdefgh-reflected";
let server: ReturnType<typeof createServer>;
let baseUrl = "";

before(async () => {
  // An OpenAI-compatible endpoint whose 200 answer is "Debug echo: " and the request's headers.
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          id: "x",
          object: "chat.completion",
          model: "m",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: `Debug echo: ${JSON.stringify(request.headers)}` },
              finish_reason: "stop",
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

after(() => new Promise<void>((done) => server.close(() => done())));

test("a key the endpoint reflects inside a successful answer is stored and returned redacted", async () => {
  const home = mkdtempSync(join(tmpdir(), "distillscope-reflected-key-"));
  const store = openStore(home);
  try {
    const model = createModel("openai:m", { baseUrl, environment: { OPENAI_API_KEY: key } });
    const request = { messages: [{ role: "user" as const, content: "hello" }], temperature: 0 };
    const work = await runWork({ model, items: [{ id: "q1", request }], store });
    const response = work.answers[0]?.response ?? "";
    assert.match(response, /^Debug echo: /);
    assert.ok(response.includes(`Bearer ${redactedKeyMarker}`), response);
    assert.equal(response.includes("SECRET123"), false);
    // The stored row (what exports and reports read) holds no key either; a re-run reads it from the cache.
    const again = await runWork({ model, items: [{ id: "q1", request }], store });
    assert.equal(again.answers[0]?.cached, true);
    assert.equal(again.answers[0]?.response, response);
  } finally {
    store.close();
  }
  assert.equal(readFileSync(join(home, "distillscope.sqlite")).includes("SECRET123"), false);
});
