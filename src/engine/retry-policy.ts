import type { GenerateFailure } from "../models/types.ts";
import { defaultNeverAnsweredLimits, type NeverAnsweredLimits } from "./never-answered.ts";

/**
 * Limits and shape of the engine's single retry layer, and (NeverAnsweredLimits) when a model that has
 * not answered once is given up as dead.
 */
export interface RetryPolicy extends NeverAnsweredLimits {
  /** Attempts per item, the first included. */
  maxAttempts: number;
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

/**
 * Whether an item that just failed attempt `attempt` may try again, given how long it has been at it.
 * Connection failures get their own, smaller cap.
 */
export function mayRetry(
  policy: RetryPolicy,
  failure: GenerateFailure,
  attempt: number,
  elapsedMs: number,
  nextDelayMs: number,
): boolean {
  if (!isRetryable(failure)) return false;
  const cap = isConnectionFailure(failure) ? policy.maxConnectionAttempts : policy.maxAttempts;
  if (attempt >= cap) return false;
  return elapsedMs + nextDelayMs <= policy.maxElapsedMs;
}
