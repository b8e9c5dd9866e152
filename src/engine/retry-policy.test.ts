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

const failedOnce = { rateLimited: 0, other: 1 };

test("only retryable and rate-limited failures retry, within the attempt and time caps", () => {
  assert.equal(mayRetry(defaultRetryPolicy, serverError, failedOnce, 0, 100), true);
  const failedAll = { rateLimited: 0, other: defaultRetryPolicy.maxAttempts };
  assert.equal(mayRetry(defaultRetryPolicy, serverError, failedAll, 0, 100), false);
  assert.equal(
    mayRetry(defaultRetryPolicy, serverError, failedOnce, defaultRetryPolicy.maxElapsedMs, 100),
    false,
  );
  assert.equal(
    mayRetry(defaultRetryPolicy, { ...serverError, errorClass: "fatal" }, failedOnce, 0, 0),
    false,
  );
  assert.equal(
    mayRetry(defaultRetryPolicy, { ...serverError, errorClass: "refused" }, failedOnce, 0, 0),
    false,
  );
});

test("429s are counted apart: they do not use up the item's 12 attempts, and have their own cap of 30", () => {
  const rateLimited: GenerateFailure = {
    ok: false,
    errorClass: "rate_limited",
    status: 429,
    message: "m: 429",
  };
  // Eleven 5xx and twenty 429s so far: a 429 may retry (20 < 30), a 5xx may retry once more (11 < 12).
  const failed = { rateLimited: 20, other: 11 };
  assert.equal(mayRetry(defaultRetryPolicy, rateLimited, failed, 0, 100), true);
  assert.equal(mayRetry(defaultRetryPolicy, serverError, failed, 0, 100), true);
  assert.equal(mayRetry(defaultRetryPolicy, serverError, { ...failed, other: 12 }, 0, 100), false);
  assert.equal(
    mayRetry(
      defaultRetryPolicy,
      rateLimited,
      { rateLimited: defaultRetryPolicy.maxRateLimitedAttempts, other: 0 },
      0,
      100,
    ),
    false,
  );
  // The time budget holds for 429s too.
  assert.equal(
    mayRetry(defaultRetryPolicy, rateLimited, failed, defaultRetryPolicy.maxElapsedMs, 100),
    false,
  );
});

test("connection refusals are recognised and get the smaller cap", () => {
  const refused: GenerateFailure = {
    ok: false,
    errorClass: "retryable",
    message: "connect ECONNREFUSED 127.0.0.1:1",
  };
  assert.equal(isConnectionFailure(refused), true);
  assert.equal(isConnectionFailure(serverError), false);
  const failed = { rateLimited: 0, other: defaultRetryPolicy.maxConnectionAttempts };
  assert.equal(mayRetry(defaultRetryPolicy, refused, failed, 0, 0), false);
  assert.equal(mayRetry(defaultRetryPolicy, refused, { ...failed, other: failed.other - 1 }, 0, 0), true);
});
