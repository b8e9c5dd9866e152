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
  const badRequest = JSON.stringify({ error: { message: "temperature must be at most 2" } });
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

test("a request over the context window fails that item alone (too_long), not the run, with the reason", () => {
  const context = { modelId: "openai:m", baseUrlHint: "--base-url or OPENAI_BASE_URL", secrets: [] };
  const bodies: Array<[number, string]> = [
    [
      400,
      JSON.stringify({
        error: {
          message:
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 210000 tokens.",
          code: "context_length_exceeded",
        },
      }),
    ],
    [400, JSON.stringify({ error: { message: "prompt is too long: 210000 tokens > 200000 maximum" } })],
    [
      400,
      JSON.stringify({
        error: {
          message: "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
        },
      }),
    ],
    [
      400,
      JSON.stringify({
        error: { message: "the request exceeds the available context size, try increasing it" },
      }),
    ],
    [413, "<html><head><title>413 Request Entity Too Large</title></head></html>"],
  ];
  for (const [status, body] of bodies) {
    const failure = failureFromStatus(status, new Headers(), body, context);
    assert.ok(
      !failure.ok && failure.errorClass === "too_long",
      `${status} ${body}: ${JSON.stringify(failure)}`,
    );
    assert.equal(failure.fix, undefined, "nothing to fix in the flags");
    assert.match(
      failure.message,
      new RegExp(`^openai:m: request too long for the model \\(${status}\\): .*; this item is left out`),
    );
  }
  const other = failureFromStatus(
    400,
    new Headers(),
    JSON.stringify({ error: { message: "bad temperature" } }),
    context,
  );
  assert.ok(!other.ok && other.errorClass === "fatal", JSON.stringify(other));
});

test("a 429 that says the account is out of credit (insufficient_quota) is fatal and names the key; a rate limit is retried", () => {
  const context = {
    modelId: "openai:gpt-4o",
    keyVariable: "OPENAI_API_KEY",
    baseUrlHint: "OPENAI_BASE_URL",
    secrets: [],
  };
  const quota = (code: string | null) =>
    JSON.stringify({
      error: {
        message: "You exceeded your current quota, please check your plan and billing details.",
        type: "insufficient_quota",
        param: null,
        code,
      },
    });
  for (const body of [quota("insufficient_quota"), quota(null)]) {
    const failure = failureFromStatus(429, new Headers({ "retry-after": "1" }), body, context);
    assert.ok(!failure.ok);
    assert.equal(failure.errorClass, "fatal");
    assert.equal(failure.fix, "OPENAI_API_KEY");
    assert.match(
      failure.message,
      /no quota left \(429 insufficient_quota\).*check the plan and billing of the key in OPENAI_API_KEY$/,
    );
  }
  const limited = JSON.stringify({
    error: {
      message: "Rate limit reached for requests",
      type: "requests",
      param: null,
      code: "rate_limit_exceeded",
    },
  });
  const retried = failureFromStatus(429, new Headers({ "retry-after": "1" }), limited, context);
  assert.ok(!retried.ok);
  assert.equal(retried.errorClass, "rate_limited");
  assert.equal(retried.retryAfterMs, 1000);
  assert.equal(
    failureFromStatus(429, new Headers(), "<html>busy</html>", context).errorClass,
    "rate_limited",
  );
});
