/**
 * The "never answered" cut-off: a model that has not given one answer since it was created (one CLI
 * command) and keeps failing with transient errors (5xx, resets, timeouts, connection errors) for long
 * enough is recognised as dead, so the run stops with one line instead of waiting out every item's
 * retries (12 attempts or 10 minutes each). Once the model has answered once, the cut-off is off for
 * good and the per-item retries alone decide. Answers served from the store do not count: they say
 * nothing about the endpoint now.
 */
import type { GenerateFailure, GenerateResult, Model } from "../models/types.ts";
import { redactKnownKeys } from "../secrets/known-keys.ts";
import type { Clock } from "./clock.ts";

/** When a model that never answered counts as dead: both limits must be reached. */
export interface NeverAnsweredLimits {
  /** Failed attempts (transient failures only) with no answer at all. */
  neverAnsweredAttempts: number;
  /** Time since the first of those failures. */
  neverAnsweredMs: number;
  /** 429s with no answer at all (rate limited from the first request on, e.g. a quota used up). */
  neverAnsweredRateLimitedAttempts: number;
  /** Time since the first of those 429s. */
  neverAnsweredRateLimitedMs: number;
}

/**
 * 20 failed attempts AND 90 s since the first failure, with zero answers. Why both, and why these:
 * - The count rules out bad luck: a flaky endpoint that fails a share p of requests fails its first 20
 *   in a row with probability p^20 (1e-6 at p = 0.5, 1.2% at p = 0.8). The time limit makes it far
 *   smaller: at the default concurrency of 8 an always-500 endpoint got 260 attempts in 90 s (measured
 *   on `rse run`), and every one must fail (0.8^100 is already 2e-10); an endpoint that fails 95% of
 *   requests loses half its items to the 12-attempt cap anyway.
 * - The time rules out a short outage: a restart, a deploy or a load balancer warming up, which the
 *   per-item retries would ride out, is usually over in well under a minute and a half. It also keeps a
 *   burst of fast failures at the start (20 arrive within a second at concurrency 8) from deciding alone.
 * - Against the 442 s an always-500 reference used to take (every item's 12 attempts), 90 s is what a
 *   user waits before hearing that the endpoint is dead.
 * A hung endpoint fails by timeouts (60 s each), so it reaches 20 failures after about three timeouts
 * per slot at concurrency 8: the count, not the time, is then what decides.
 */
export const defaultNeverAnsweredLimits: NeverAnsweredLimits = {
  neverAnsweredAttempts: 20,
  neverAnsweredMs: 90_000,
  // 60 429s AND 5 minutes with zero answers: an endpoint that has refused every request since the start
  // for that long is not pacing the client but allowing nothing (a daily or monthly quota used up, a plan
  // without access). A real rate limit lets some requests through well within that: the engine halves
  // its concurrency on every 429 and waits what Retry-After asks, so after 5 minutes it asks slowly
  // enough for any per-minute limit. 429s stay out of the other count: a busy endpoint is alive.
  neverAnsweredRateLimitedAttempts: 60,
  neverAnsweredRateLimitedMs: 300_000,
};

/** Counts one model's failures until its first answer. */
export class NeverAnsweredWatch {
  answered = false;
  failures = 0;
  firstFailureAt = 0;
  lastFailure: GenerateFailure | undefined;
  rateLimited = 0;
  firstRateLimitedAt = 0;
  lastRateLimited: GenerateFailure | undefined;
  /** Which rule found the model dead: transient failures, or 429s only. */
  deadBy: "failures" | "rate-limited" | undefined;

  /**
   * Records one attempt's outcome; returns true when the model now counts as dead. An answer, a refusal
   * or a too-long reply shows that the model is there and turns the cut-off off. A 429 shows that the
   * endpoint is alive, so it neither counts among the transient failures nor resets them; 429s have
   * their own, longer rule (see defaultNeverAnsweredLimits).
   */
  record(result: GenerateResult, now: number, limits: NeverAnsweredLimits): boolean {
    if (this.answered) return false;
    if (result.ok || result.errorClass === "refused" || result.errorClass === "too_long") {
      this.answered = true;
      return false;
    }
    if (result.errorClass === "rate_limited") {
      if (this.rateLimited === 0) this.firstRateLimitedAt = now;
      this.rateLimited++;
      this.lastRateLimited = result;
      if (
        this.rateLimited >= limits.neverAnsweredRateLimitedAttempts &&
        now - this.firstRateLimitedAt >= limits.neverAnsweredRateLimitedMs
      )
        this.deadBy = "rate-limited";
      return this.deadBy !== undefined;
    }
    if (result.errorClass !== "retryable") return false;
    if (this.failures === 0) this.firstFailureAt = now;
    this.failures++;
    this.lastFailure = result;
    if (this.failures >= limits.neverAnsweredAttempts && now - this.firstFailureAt >= limits.neverAnsweredMs)
      this.deadBy = "failures";
    return this.deadBy !== undefined;
  }

  /**
   * The one line that stops the run: model, endpoint (host and port, plus the base URL's path when it is
   * not the provider's usual one; never a query or user info), attempts, time, last error.
   */
  message(model: Model, now: number): string {
    if (this.deadBy === "rate-limited") {
      const seconds = Math.round((now - this.firstRateLimitedAt) / 1000);
      return (
        `${model.id} at ${model.endpoint} answered every request with 429 (rate limited): ${this.rateLimited} ` +
        `over ${seconds} s and not one answer (last: ${shownMessage(model, this.lastRateLimited)}); the account's quota ` +
        "or plan allows no requests now (check its limits, or lower --rpm / --concurrency). Answers already " +
        "stored are kept and running the same command again resumes"
      );
    }
    const seconds = Math.round((now - this.firstFailureAt) / 1000);
    const shown = shownMessage(model, this.lastFailure);
    return (
      `${model.id} at ${model.endpoint} never answered: ${this.failures} attempts failed over ${seconds} s ` +
      `(last error: ${shown}); stopped instead of retrying every item. Check that the endpoint works; ` +
      "answers already stored are kept and running the same command again resumes"
    );
  }
}

/** A failure's message for the one line: without the model id, on one line, at most 200 characters, no key. */
function shownMessage(model: Model, failure: GenerateFailure | undefined): string {
  const last = (failure?.message ?? "").replace(`${model.id}: `, "").replace(/\s+/g, " ");
  return redactKnownKeys(last.length > 200 ? `${last.slice(0, 200)}...` : last);
}

/** One watch per model object (and clock): every runWork call of one command on that model shares it. */
const watchesByClock = new WeakMap<Clock, WeakMap<Model, NeverAnsweredWatch>>();

export function neverAnsweredWatch(model: Model, clock: Clock): NeverAnsweredWatch {
  let watches = watchesByClock.get(clock);
  if (watches === undefined) {
    watches = new WeakMap();
    watchesByClock.set(clock, watches);
  }
  let watch = watches.get(model);
  if (watch === undefined) {
    watch = new NeverAnsweredWatch();
    watches.set(model, watch);
  }
  return watch;
}
