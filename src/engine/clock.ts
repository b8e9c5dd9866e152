/** Time as the engine sees it; tests inject a fake one so that back-off and rate limits run instantly. */
export interface Clock {
  /** Milliseconds, monotonic enough for scheduling. */
  now(): number;
  /** Waits `milliseconds`; resolves early (without throwing) when `signal` aborts. */
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
  /** Calls `callback` after `milliseconds`; returns a function that cancels it. */
  setTimer(milliseconds: number, callback: () => void): () => void;
}

/** The real clock: `performance.now()` and timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer: (milliseconds, callback) => {
    const timer = setTimeout(callback, milliseconds);
    return () => clearTimeout(timer);
  },
  sleep: (milliseconds, signal) =>
    new Promise<void>((resolve) => {
      if (milliseconds <= 0 || signal?.aborted) {
        resolve();
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, milliseconds);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
