import type { GenerateFailure } from "../models/types.ts";
import { defaultNeverAnsweredLimits, type NeverAnsweredLimits } from "./never-answered.ts";

/**
 * Limits and shape of the engine's single retry layer, and (NeverAnsweredLimits) when a model that has
 * not answered once is given up as dead.
 */
export interface RetryPolicy extends NeverAnsweredLimits {
  /** Attempts per item that failed other than by a rate limit, the first included. */
  maxAttempts: number;
  /**
   * Attempts per item answered 429 (rate limited), counted apart: a rate limit is the server asking to
   * wait, not the item failing, so a 429 storm does not use up the item's own attempts.
   */
  maxRateLimitedAttempts: number;
  /** Give up on an item once this long has passed since its first attempt. */
  maxElapsedMs: number;
  /** Back-off before the second attempt (upper bound of the jitter window). */
  baseDelayMs: number;
  /** Ceiling of the back-off window. */
  maxDelayMs: number;
  /** Longest server-requested wait honoured as such (Retry-After beyond this is capped). */
  maxRetryAfterMs: number;
  /** Attempts when the endpoint refuses connections: an unreachable URL fails fast. */
  maxConnectionAttempts: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 12,
  maxRateLimitedAttempts: 30,
  maxElapsedMs: 10 * 60_000,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  maxConnectionAttempts: 3,
  ...defaultNeverAnsweredLimits,
};

/** True when the failure says the endpoint could not be reached at all (nothing listening, no such host). */
export function isConnectionFailure(failure: GenerateFailure): boolean {
  return (
    failure.status === undefined &&
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|connection refused|getaddrinfo|bad port|cannot reach/i.test(
      failure.message,
    )
  );
}

/** Whether another attempt may help: only transient and rate-limited failures are retried. */
export function isRetryable(failure: GenerateFailure): boolean {
  return failure.errorClass === "retryable" || failure.errorClass === "rate_limited";
}

/**
 * Delay before attempt `nextAttempt` (2, 3, ...): exponential back-off with full jitter
 * (uniform in [0, min(max, base * 2^(n-2))]), and never less than the server's Retry-After.
 */
export function backoffDelay(
  policy: RetryPolicy,
  nextAttempt: number,
  failure: GenerateFailure,
  random: () => number,
): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, nextAttempt - 2));
  const jitter = random() * window;
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs > 0) {
    const requested = Math.min(failure.retryAfterMs, policy.maxRetryAfterMs);
    // A small spread keeps everyone told "wait 1 s" from coming back in the same millisecond.
    return requested + random() * Math.min(requested * 0.1, 1000);
  }
  return jitter;
}

/** An item's failed attempts so far, by kind: answered 429, and everything else. */
export interface FailedAttempts {
  rateLimited: number;
  other: number;
}

/**
 * Whether an item that just failed may try again, given its failed attempts so far (the one that just
 * failed included) and how long it has been at it. 429s have their own cap (a 70% 429 storm ends 12
 * attempts in a row with probability 1.4%, 30 with 2e-5); connection failures their own, smaller one;
 * the time budget holds for all.
 */
export function mayRetry(
  policy: RetryPolicy,
  failure: GenerateFailure,
  failed: FailedAttempts,
  elapsedMs: number,
  nextDelayMs: number,
): boolean {
  if (!isRetryable(failure)) return false;
  if (failure.errorClass === "rate_limited") {
    if (failed.rateLimited >= policy.maxRateLimitedAttempts) return false;
  } else {
    const cap = isConnectionFailure(failure) ? policy.maxConnectionAttempts : policy.maxAttempts;
    if (failed.other >= cap) return false;
  }
  return elapsedMs + nextDelayMs <= policy.maxElapsedMs;
}
