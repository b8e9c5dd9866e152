import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { failureFromStatus } from "./failures.ts";
import { createModel } from "./registry.ts";

// A 32-character key without a provider prefix: only the exact-value scrub can catch it.
const key = "abcdef0123456789SECRETSECRET00aa";
const context = { modelId: "openai:m", baseUrlHint: "--base-url", secrets: [key] };

/** A plain-text error body whose key starts at `offset`, so a cut at 200 characters splits it. */
const straddling = (offset: number, secret = key) => `${"e".repeat(offset - 11)}credential=${secret} more`;

test("a plain-text error body is scrubbed whole before it is cut: no head of a key survives", () => {
  for (const offset of [185, 190, 199, 200, 150]) {
    for (const status of [401, 500, 400, 404, 429]) {
      const failure = failureFromStatus(status, new Headers(), straddling(offset), context);
      assert.equal(
        failure.message.includes(key.slice(0, 8)),
        false,
        `${status} at ${offset}: ${failure.message}`,
      );
    }
  }
});

let server: ReturnType<typeof createServer>;
let origin = "";

before(async () => {
  // Answers every request 401 with a text/plain body that echoes the credential it received at char 185.
  server = createServer((request, response) => {
    const header =
      request.headers.authorization ?? request.headers["x-api-key"] ?? request.headers["x-goog-api-key"];
    const fromQuery = new URL(request.url ?? "/", "http://x").searchParams.get("key");
    const credential = String(fromQuery ?? header ?? "").replace(/^Bearer\s+/i, "");
    request.resume();
    request.on("end", () => {
      response.writeHead(401, { "content-type": "text/plain" });
      response.end(straddling(185, credential));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((done) => server.close(() => done())));

test("openai, anthropic and google: a 401 body echoing the key at the 200-character cut leaks none of it", async () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ["openai:m", `${origin}/v1`, { OPENAI_API_KEY: key }],
    ["anthropic:m", origin, { ANTHROPIC_API_KEY: key }],
    ["google:m", origin, { GEMINI_API_KEY: key }],
  ];
  for (const [id, baseUrl, environment] of cases) {
    const model = createModel(id, { baseUrl, environment });
    const result = await model.generate(
      { messages: [{ role: "user", content: "hi" }], temperature: 0 },
      new AbortController().signal,
    );
    assert.equal(result.ok, false, id);
    const message = result.ok ? "" : result.message;
    assert.match(message, /authentication failed \(401\)/, `${id}: ${message}`);
    assert.match(message, /credential=\[redacted\]/, `${id}: ${message}`);
    assert.equal(message.includes(key.slice(0, 6)), false, `${id}: ${message}`);
  }
});
