import type { Clock } from "./clock.ts";

/**
 * A virtual clock for tests: time stands still while work is pending and jumps to the next timer once
 * the event loop has nothing else to do, so back-off, timeouts and rate limits run in no real time.
 */
export class FakeClock implements Clock {
  #now = 0;
  #timers: Array<{ at: number; order: number; resolve: () => void }> = [];
  #order = 0;
  #scheduled = false;
  /** Every sleep requested, in order (tests assert on back-off delays). */
  readonly sleeps: number[] = [];

  now(): number {
    return this.#now;
  }

  sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(milliseconds);
    if (milliseconds <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = { at: this.#now + milliseconds, order: this.#order++, resolve };
      this.#timers.push(timer);
      signal?.addEventListener(
        "abort",
        () => {
          this.#timers = this.#timers.filter((entry) => entry !== timer);
          resolve();
        },
        { once: true },
      );
      this.#schedule();
    });
  }

  setTimer(milliseconds: number, callback: () => void): () => void {
    const controller = new AbortController();
    let cancelled = false;
    void this.sleep(milliseconds, controller.signal).then(() => {
      if (!cancelled) callback();
    });
    return () => {
      cancelled = true;
      controller.abort();
    };
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Several turns of setImmediate let pending promise chains and loopback I/O settle first.
    let idleTurns = 0;
    const tick = (): void => {
      if (idleTurns++ < 3) {
        setImmediate(tick);
        return;
      }
      this.#scheduled = false;
      if (this.#timers.length === 0) return;
      this.#timers.sort((left, right) => left.at - right.at || left.order - right.order);
      const next = this.#timers.shift()!;
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
      if (this.#timers.length > 0) this.#schedule();
    };
    setImmediate(tick);
  }
}
