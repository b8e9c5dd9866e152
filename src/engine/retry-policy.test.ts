import assert from "node:assert/strict";
import { test } from "node:test";
import type { GenerateFailure } from "../models/types.ts";
import { backoffDelay, defaultRetryPolicy, isConnectionFailure, mayRetry } from "./retry-policy.ts";

const serverError: GenerateFailure = { ok: false, errorClass: "retryable", message: "HTTP 500", status: 500 };

test("full jitter: the delay is uniform under an exponentially growing, capped window", () => {
  const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(
    backoffDelay(policy, 2, serverError, () => 1),
    100,
  );
  assert.equal(
    backoffDelay(policy, 3, serverError, () => 1),
    200,
  );
  assert.equal(
    backoffDelay(policy, 9, serverError, () => 1),
    1000,
  );
  assert.equal(
    backoffDelay(policy, 5, serverError, () => 0),
    0,
  );
});

test("Retry-After is a floor, capped at maxRetryAfterMs", () => {
  const limited: GenerateFailure = {
    ok: false,
    errorClass: "rate_limited",
    message: "429",
    retryAfterMs: 3000,
  };
  assert.equal(
    backoffDelay(defaultRetryPolicy, 2, limited, () => 0),
    3000,
  );
  const huge = { ...limited, retryAfterMs: 10 * 60_000 };
  assert.equal(
    backoffDelay(defaultRetryPolicy, 2, huge, () => 0),
    defaultRetryPolicy.maxRetryAfterMs,
  );
});

test("only retryable and rate-limited failures retry, within the attempt and time caps", () => {
  assert.equal(mayRetry(defaultRetryPolicy, serverError, 1, 0, 100), true);
  assert.equal(mayRetry(defaultRetryPolicy, serverError, defaultRetryPolicy.maxAttempts, 0, 100), false);
  assert.equal(mayRetry(defaultRetryPolicy, serverError, 1, defaultRetryPolicy.maxElapsedMs, 100), false);
  assert.equal(mayRetry(defaultRetryPolicy, { ...serverError, errorClass: "fatal" }, 1, 0, 0), false);
  assert.equal(mayRetry(defaultRetryPolicy, { ...serverError, errorClass: "refused" }, 1, 0, 0), false);
});

test("connection refusals are recognised and get the smaller cap", () => {
  const refused: GenerateFailure = {
    ok: false,
    errorClass: "retryable",
    message: "connect ECONNREFUSED 127.0.0.1:1",
  };
  assert.equal(isConnectionFailure(refused), true);
  assert.equal(isConnectionFailure(serverError), false);
  assert.equal(mayRetry(defaultRetryPolicy, refused, defaultRetryPolicy.maxConnectionAttempts, 0, 0), false);
});
