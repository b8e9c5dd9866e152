import assert from "node:assert/strict";
import { test } from "node:test";
import { failureFromStatus, parseRetryAfter, scrub } from "./failures.ts";

test("Retry-After: milliseconds header wins, seconds and HTTP dates work, capped at 60 s", () => {
  assert.equal(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "9" })), 250);
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "2" })), 2000);
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "600" })), 60_000);
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now), 5000);
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "soon" })), undefined);
  assert.equal(parseRetryAfter(new Headers()), undefined);
});

test("scrub makes one line and removes secrets and key-shaped strings", () => {
  const line = scrub("bad key my-secret-value\nsee sk-abcdefghijklmnopqrstuvwx", ["my-secret-value"]);
  assert.equal(line, "bad key [redacted] see [redacted]");
});

test("a bad request or unknown model names the flag of the model's role, --target by default", () => {
  const context = { modelId: "openai:j", baseUrlHint: "--judge-base-url or OPENAI_BASE_URL", secrets: [] };
  const badRequest = JSON.stringify({ error: { message: "context length exceeded" } });
  const unknownModel = JSON.stringify({ error: { message: "the model j does not exist" } });
  for (const [status, body] of [
    [400, badRequest],
    [404, unknownModel],
  ] as const) {
    const asJudge = failureFromStatus(status, new Headers(), body, { ...context, modelFlag: "--judge" });
    assert.ok(
      !asJudge.ok && asJudge.errorClass === "fatal" && asJudge.fix === "--judge",
      JSON.stringify(asJudge),
    );
    const asTarget = failureFromStatus(status, new Headers(), body, context);
    assert.ok(!asTarget.ok && asTarget.fix === "--target", JSON.stringify(asTarget));
  }
});

test("scrub drops terminal controls from an error body, and a key split by them is still redacted", () => {
  const body =
    "denied \u001b]0;ERRTITLE\u001b\\\u001b[2J ERR-OVERWRITE\r\u0007 \u009b31m \u202eevil\u2069 key=my-se\u0000cret-va\u0007lue";
  const line = scrub(body, ["my-secret-value"]);
  assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  assert.equal(line, "denied ]0;ERRTITLE\\[2J ERR-OVERWRITE 31m evil key=[redacted]");
});
