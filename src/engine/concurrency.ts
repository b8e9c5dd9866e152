/** A permit to send one request; `sequence` orders it against the limit's last decrease. */
export interface ConcurrencyPermit {
  sequence: number;
}

export type AttemptOutcome = "ok" | "rate_limited" | "other";

/**
 * Concurrency limit of one endpoint that adapts to rate limiting: a 429 halves the limit, at most once
 * per wave (only a request started after the last decrease can decrease it again) and once per
 * `cooldownMs`; every `successesToGrow` successes in a row grow it back by a quarter (at least one), up
 * to the maximum. The cooldown keeps sporadic 429s at a high request rate from collapsing the limit.
 */
export class AdaptiveConcurrency {
  readonly maximum: number;
  readonly #successesToGrow: number;
  #limit: number;
  #inFlight = 0;
  #sequence = 0;
  #lastDecreaseSequence = 0;
  #successes = 0;
  #waiters: Array<{ resolve: (admitted: boolean) => void; signal: AbortSignal }> = [];
  /** Index of the first waiter still queued (a queue without O(n) shifts). */
  #head = 0;
  readonly #watched = new WeakSet<AbortSignal>();

  readonly #now: () => number;
  readonly #cooldownMs: number;
  #lastDecreaseAt = Number.NEGATIVE_INFINITY;

  constructor(
    maximum: number,
    options: { successesToGrow?: number; cooldownMs?: number; now?: () => number } = {},
  ) {
    this.maximum = maximum;
    this.#limit = maximum;
    this.#successesToGrow = options.successesToGrow ?? 5;
    this.#cooldownMs = options.cooldownMs ?? 1000;
    this.#now = options.now ?? (() => performance.now());
  }

  get limit(): number {
    return this.#limit;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * A free slot at once, without a promise, or undefined when none is free (or `signal` aborted): the
   * common case of a busy run costs no microtask. Never jumps the queue: a slot freed while others wait
   * is handed to the first waiter by `release`, so a free slot means nobody is waiting.
   */
  tryAcquire(signal: AbortSignal): ConcurrencyPermit | undefined {
    if (signal.aborted || this.#inFlight >= this.#limit) return undefined;
    this.#inFlight++;
    this.#sequence++;
    return { sequence: this.#sequence };
  }

  /** Waits for a free slot; undefined when `signal` aborted first. */
  async acquire(signal: AbortSignal): Promise<ConcurrencyPermit | undefined> {
    if (signal.aborted) return undefined;
    if (this.#inFlight >= this.#limit) {
      this.#watch(signal);
      const admitted = await new Promise<boolean>((resolve) => this.#waiters.push({ resolve, signal }));
      if (!admitted) return undefined;
    } else {
      this.#inFlight++;
    }
    this.#sequence++;
    return { sequence: this.#sequence };
  }

  /** One abort listener per signal (not per waiter): thousands of queued items stay cheap. */
  #watch(signal: AbortSignal): void {
    if (this.#watched.has(signal)) return;
    this.#watched.add(signal);
    signal.addEventListener(
      "abort",
      () => {
        const waiting = this.#waiters.slice(this.#head);
        const leaving = waiting.filter((waiter) => waiter.signal === signal);
        this.#waiters = waiting.filter((waiter) => waiter.signal !== signal);
        this.#head = 0;
        for (const waiter of leaving) waiter.resolve(false);
      },
      { once: true },
    );
  }

  /** Frees the slot and adapts the limit to how the attempt went. */
  release(permit: ConcurrencyPermit, outcome: AttemptOutcome): void {
    this.#inFlight--;
    if (outcome === "rate_limited") {
      this.#successes = 0;
      const now = this.#now();
      if (permit.sequence > this.#lastDecreaseSequence && now - this.#lastDecreaseAt >= this.#cooldownMs) {
        this.#limit = Math.max(1, Math.floor(this.#limit / 2));
        this.#lastDecreaseSequence = this.#sequence;
        this.#lastDecreaseAt = now;
      }
    } else if (outcome === "ok" && this.#limit < this.maximum) {
      this.#successes++;
      if (this.#successes >= this.#successesToGrow) {
        this.#successes = 0;
        this.#limit = Math.min(this.maximum, this.#limit + Math.max(1, Math.floor(this.#limit / 4)));
      }
    }
    while (this.#inFlight < this.#limit && this.#head < this.#waiters.length) {
      // The slot is handed over: counted here, so nobody else can take it before the waiter runs.
      this.#inFlight++;
      const waiter = this.#waiters[this.#head]!;
      this.#head++;
      waiter.resolve(true);
    }
    if (this.#head === this.#waiters.length) {
      // Drop handed-over waiters at once: each holds its run's abort signal (and through it the run's
      // items), and the limiter of an endpoint outlives the runs that used it.
      this.#waiters = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#waiters.length) {
      this.#waiters = this.#waiters.slice(this.#head);
      this.#head = 0;
    }
  }
}
