/**
 * A run's side of sharing its store with runs in other processes (two `collect` commands at once): so
 * that a prompt is paid once, a run that shares the store claims each request before sending it
 * (store/claims.ts) and waits for the answer of a request another live run holds.
 *
 * Alone on its store, the common case, a run writes no claims: it registers once, keeps the keys it has
 * in flight in memory and watches SQLite's data_version. When another run registers (a commit by another
 * connection), it claims what it has in flight and from then on claims each request; the newcomer sends
 * nothing until every run that was there before it claims.
 */
import { randomUUID } from "node:crypto";
import type { ClaimOutcome } from "../store/claims.ts";
import type { PendingAnswer, Store } from "../store/store.ts";
import type { StoredAnswer } from "../store/types.ts";
import type { Clock } from "./clock.ts";

export type SendDecision = { kind: "send" } | { kind: "stored"; answer: StoredAnswer } | { kind: "held" };

/** How long an owner's claims outlive its last sign of life when its process cannot be checked. */
const claimLeaseMs = 15_000;
const renewEveryMs = 3_000;
/** How often a run alone on its store looks whether another one has arrived (a pragma read). */
const watchEveryMs = 20;
/** Before each send, at most this often (engine clock). */
const sendCheckEveryMs = 5;
/**
 * A run waiting on another's claim reads the store when it has changed, and at least this often. Waits
 * sleep on the engine's clock: under a test's fake clock, a real timer would leave the loop idle and let
 * the fake time jump to the deadlines of the attempts in flight.
 */
const waitPollMs = 5;
const waitRecheckMs = 100;

const send: SendDecision = { kind: "send" };

/** A store read or write that must not stop the run: on failure the run asks, as it did before claims. */
function attempt<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}

export class SharedStore {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #enabled: boolean;
  readonly #owner = `${process.pid}-${randomUUID()}`;
  #joining: Promise<void> | undefined;
  #joined = false;
  #claiming = false;
  /** Keys sent without a claim (alone on the store) whose answer or failure is not stored yet. */
  readonly #inFlight = new Set<string>();
  /** Outcomes of keys claimed ahead, waiting for their turn. */
  readonly #decided = new Map<string, SendDecision>();
  #seenVersion = 0;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #othersWrote = false;
  #renewedAt = 0;
  #timer: NodeJS.Timeout | undefined;

  /** `enabled` is false for a model whose answers are not stored (replay): it shares nothing. */
  constructor(store: Store, clock: Clock, enabled: boolean) {
    this.#store = store;
    this.#clock = clock;
    this.#enabled = enabled;
  }

  /** The owner whose claims an answer's transaction releases; undefined while no claim is written. */
  get claimOwner(): string | undefined {
    return this.#claiming ? this.#owner : undefined;
  }

  /** Registers the run (once, when it first has something to send); resolves when it may send. */
  join(signal: AbortSignal): Promise<void> {
    this.#joining ??= this.#join(signal);
    return this.#joining;
  }

  async #join(signal: AbortSignal): Promise<void> {
    if (!this.#enabled) return;
    const others = attempt(() => this.#store.claims.join(this.#owner, claimLeaseMs));
    if (others === undefined) return;
    this.#joined = true;
    this.#claiming = others;
    this.#seenVersion = attempt(() => this.#store.dataVersion()) ?? 0;
    this.#othersWrote = attempt(() => this.#store.othersHaveWritten()) === true;
    this.#renewedAt = Date.now();
    this.#timer = setInterval(() => this.#tick(), watchEveryMs);
    this.#timer.unref();
    if (!others) return;
    // A run already there may have requests in flight without claims: wait until it has claimed them.
    const giveUpAt = Date.now() + claimLeaseMs;
    while (!signal.aborted && Date.now() < giveUpAt) {
      if (attempt(() => this.#store.claims.othersSendUnclaimed()) !== true) return;
      await this.#clock.sleep(2, signal);
    }
  }

  #tick(): void {
    if (Date.now() - this.#renewedAt >= renewEveryMs) {
      this.#renewedAt = Date.now();
      attempt(() => this.#store.claims.renew(this.#owner, this.#claiming, claimLeaseMs));
    }
    this.#watch();
  }

  /** Alone so far: when another connection has committed, looks whether another run has arrived. */
  #watch(): void {
    if (this.#claiming || !this.#joined) return;
    const version = attempt(() => this.#store.dataVersion());
    if (version === undefined || version === this.#seenVersion) return;
    this.#othersWrote = true;
    if (attempt(() => this.#store.claims.othersAreLive()) !== true) {
      this.#seenVersion = version;
      return;
    }
    const claimed = attempt(() => {
      this.#store.claims.startClaiming(this.#owner, this.#inFlight, claimLeaseMs);
      return true;
    });
    // On failure (the store busy for seconds) the next tick tries again.
    if (claimed !== true) return;
    this.#seenVersion = version;
    this.#claiming = true;
    this.#inFlight.clear();
  }

  #decide(outcome: ClaimOutcome | undefined): SendDecision {
    if (outcome === undefined || outcome.kind === "claimed") return send;
    return outcome.kind === "stored" ? { kind: "stored", answer: outcome.answer } : { kind: "held" };
  }

  /**
   * Sharing the store: claims `key` together with the next keys the run will send (`ahead`, called only
   * here), in one transaction instead of one each; their outcomes wait in #decided for their turn.
   */
  #claim(key: string, ahead: () => readonly string[]): SendDecision {
    const decided = this.#decided.get(key);
    if (decided !== undefined) {
      this.#decided.delete(key);
      return decided;
    }
    const keys = [key, ...ahead().filter((next) => next !== key && !this.#decided.has(next))];
    const outcomes = attempt(() => this.#store.claims.claimMany(this.#owner, keys));
    if (outcomes === undefined) return send;
    for (const next of keys) if (next !== key) this.#decided.set(next, this.#decide(outcomes.get(next)));
    return this.#decide(outcomes.get(key));
  }

  /**
   * Just before a request's first attempt: send it (the run now holds it), serve an answer another run
   * stored meanwhile, or leave it for later because another live run is sending it. `ahead` lists the
   * keys the run sends next (claimed in the same transaction when the store is shared).
   */
  beforeSend(key: string, ahead: () => readonly string[]): SendDecision {
    if (!this.#joined) return send;
    if (!this.#claiming) {
      const now = this.#clock.now();
      if (now - this.#checkedAt >= sendCheckEveryMs) {
        this.#checkedAt = now;
        this.#watch();
      }
    }
    if (this.#claiming) return this.#claim(key, ahead);
    if (this.#othersWrote) {
      // Another process wrote but sends nothing now (an import, an older version): look before asking.
      const stored = attempt(() => this.#store.findStored(key));
      if (stored !== undefined) return { kind: "stored", answer: stored };
    }
    this.#inFlight.add(key);
    return send;
  }

  /**
   * Waits until a key another run holds is answered (its answer), or free again because that run failed
   * or is gone (then this run holds it and sends). Undefined when `signal` aborts.
   */
  async waitFor(key: string, signal: AbortSignal): Promise<SendDecision | undefined> {
    let version: number | undefined;
    let checkedAt = Number.NEGATIVE_INFINITY;
    while (!signal.aborted) {
      const now = Date.now();
      const current = attempt(() => this.#store.dataVersion());
      if (current !== version || now - checkedAt >= waitRecheckMs) {
        version = current;
        checkedAt = now;
        const decision = this.#decide(attempt(() => this.#store.claims.claim(this.#owner, key)));
        if (decision.kind !== "held") return decision;
      }
      await this.#clock.sleep(waitPollMs, signal);
    }
    return undefined;
  }

  /** After the answers' transaction committed (it released their claims). */
  answered(batch: readonly PendingAnswer[]): void {
    if (this.#inFlight.size === 0) return;
    for (const entry of batch) this.#inFlight.delete(entry.cacheKey);
  }

  /** A request that failed for good: another run may try it. */
  failed(key: string): void {
    this.#inFlight.delete(key);
    if (this.#claiming) attempt(() => this.#store.claims.release(this.#owner, [key]));
  }

  /** The run is over (done, failed or aborted): its registration and remaining claims go. */
  leave(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (!this.#joined) return;
    this.#joined = false;
    this.#inFlight.clear();
    this.#decided.clear();
    attempt(() => this.#store.claims.leave(this.#owner));
  }
}
