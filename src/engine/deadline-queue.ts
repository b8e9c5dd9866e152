import type { Clock } from "./clock.ts";

/** One entry of a DeadlineQueue: call `settle()` when the work finished before its deadline. */
export interface Deadline {
  readonly at: number;
  /** Marks the entry done; its `onExpire` will not be called. */
  settle(): void;
}

const noop = (): void => {};

class Entry implements Deadline {
  readonly at: number;
  /** Dropped once settled, so a settled entry waiting behind a slow one holds no closure. */
  onExpire: () => void;
  settled = false;
  readonly #queue: DeadlineQueue;

  constructor(at: number, onExpire: () => void, queue: DeadlineQueue) {
    this.at = at;
    this.onExpire = onExpire;
    this.#queue = queue;
  }

  settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.onExpire = noop;
    this.#queue.dropSettled();
  }
}

/**
 * Timeouts of many concurrent attempts that all wait the same `timeoutMs`, with ONE timer instead of a
 * setTimeout/clearTimeout pair per attempt. Since every entry waits the same time, deadlines come in the
 * order entries are added: a FIFO queue whose head is always the next deadline. The timer is armed for
 * the head; settled entries are dropped from the head as they settle (attempts end roughly in the order
 * they started), so the queue holds about as many entries as there are attempts in flight.
 */
export class DeadlineQueue {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  #entries: Entry[] = [];
  #head = 0;
  /** Entries neither settled nor expired. */
  #live = 0;
  #cancelTimer: (() => void) | undefined;

  constructor(clock: Clock, timeoutMs: number) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
  }

  /** Entries not yet settled nor expired, plus settled ones still behind an unsettled head. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** Starts a deadline `timeoutMs` from now; `onExpire` runs once if it is not settled by then. */
  add(onExpire: () => void): Deadline {
    const entry = new Entry(this.#clock.now() + this.#timeoutMs, onExpire, this);
    this.#entries.push(entry);
    this.#live++;
    if (this.#cancelTimer === undefined) this.#arm(entry.at);
    return entry;
  }

  /**
   * Drops settled entries from the head (called by Entry.settle). When one slow attempt holds the head
   * while thousands behind it settle, the settled ones are compacted away once they outnumber the live
   * ones four to one, so memory follows the attempts in flight, not the request rate times the timeout.
   */
  dropSettled(): void {
    this.#live--;
    const entries = this.#entries;
    while (this.#head < entries.length && entries[this.#head]!.settled) this.#head++;
    const queued = entries.length - this.#head;
    if (queued > 1024 && this.#live * 4 < queued) {
      this.#entries = entries.slice(this.#head).filter((entry) => !entry.settled);
      this.#head = 0;
      return;
    }
    if (this.#head === entries.length) {
      this.#entries = [];
      this.#head = 0;
      // Nothing waits: stop the timer so an idle process can exit.
      this.#cancelTimer?.();
      this.#cancelTimer = undefined;
    } else if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Stops the timer and forgets every entry (none of them expires; settling one later does nothing). */
  clear(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    for (let index = this.#head; index < this.#entries.length; index++) {
      const entry = this.#entries[index]!;
      entry.settled = true;
      entry.onExpire = noop;
    }
    this.#entries = [];
    this.#head = 0;
    this.#live = 0;
  }

  #arm(at: number): void {
    this.#cancelTimer = this.#clock.setTimer(Math.max(0, at - this.#clock.now()), () => this.#fire());
  }

  #fire(): void {
    this.#cancelTimer = undefined;
    const now = this.#clock.now();
    const expired: Entry[] = [];
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head]!;
      if (!entry.settled) {
        if (entry.at > now) break;
        entry.settled = true;
        this.#live--;
        expired.push(entry);
      }
      this.#head++;
    }
    if (this.#head === this.#entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else this.#arm(this.#entries[this.#head]!.at);
    for (const entry of expired) entry.onExpire();
  }
}
