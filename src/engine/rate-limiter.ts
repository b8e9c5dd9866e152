import type { Clock } from "./clock.ts";

/**
 * Requests-per-minute limit as evenly spaced start times (GCRA with a burst of one): each request
 * reserves the next free slot, `60000 / rpm` ms after the previous one, so a server counting requests
 * per minute (in any window) never sees more than it allows.
 */
export class RequestRateLimiter {
  readonly #intervalMs: number;
  readonly #clock: Clock;
  #nextFree = Number.NEGATIVE_INFINITY;

  constructor(requestsPerMinute: number, clock: Clock) {
    this.#intervalMs = 60_000 / requestsPerMinute;
    this.#clock = clock;
  }

  /** Waits for this request's slot; false when `signal` aborted first. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    const now = this.#clock.now();
    const start = Math.max(now, this.#nextFree);
    this.#nextFree = start + this.#intervalMs;
    if (start > now) await this.#clock.sleep(start - now, signal);
    return !signal.aborted;
  }
}

/** A reservation in the tokens-per-minute window; corrected once the real usage is known. */
export interface TokenReservation {
  time: number;
  tokens: number;
}

/**
 * Tokens-per-minute limit over a sliding 60 s window. A request reserves an estimate before it is sent
 * (prompt length / 4 plus the expected output); the reservation is corrected to the usage the provider
 * reports. A single request larger than the whole budget is let through alone in an empty window.
 */
export class TokenRateLimiter {
  readonly #tokensPerMinute: number;
  readonly #clock: Clock;
  readonly #window: TokenReservation[] = [];

  constructor(tokensPerMinute: number, clock: Clock) {
    this.#tokensPerMinute = tokensPerMinute;
    this.#clock = clock;
  }

  #inWindow(now: number): number {
    while (this.#window.length > 0 && this.#window[0]!.time <= now - 60_000) this.#window.shift();
    let total = 0;
    for (const reservation of this.#window) total += reservation.tokens;
    return total;
  }

  /** Waits until `estimate` tokens fit in the window; undefined when `signal` aborted first. */
  async acquire(estimate: number, signal: AbortSignal): Promise<TokenReservation | undefined> {
    for (;;) {
      if (signal.aborted) return undefined;
      const now = this.#clock.now();
      const used = this.#inWindow(now);
      if (this.#window.length === 0 || used + estimate <= this.#tokensPerMinute) {
        const reservation = { time: now, tokens: estimate };
        this.#window.push(reservation);
        return reservation;
      }
      const oldest = this.#window[0]!;
      await this.#clock.sleep(Math.max(1, oldest.time + 60_000 - now), signal);
    }
  }

  /** Replaces an estimate by the tokens the provider reported. */
  correct(reservation: TokenReservation, actualTokens: number): void {
    reservation.tokens = actualTokens;
  }
}

/** Rough token count of a text before sending it (about four characters per token). */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}
