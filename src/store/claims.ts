/**
 * Claims on requests in flight, shared by every process collecting into one store: before a run sends the
 * request of a cache key it claims the key, and a run that wants a key another live run holds waits for
 * its answer instead of paying for it again.
 *
 * Each run is an owner (`claim_owners`: a random id, its pid and host, whether it claims, a lease). A
 * claim is live while its owner is: the lease has not run out and, when the owner is on this host, its
 * process still exists (so a `kill -9` frees its claims at once; the lease covers the rest). The owner
 * renews one row, not one per request, for as long as it runs.
 */
import { hostname } from "node:os";
import type { StatementSync } from "node:sqlite";
import type { StoredAnswerWithKey } from "./store.ts";

/** What a run may do with one key: send it (it holds the claim now), serve a stored answer, or wait. */
export type ClaimOutcome =
  | { kind: "claimed" }
  | { kind: "stored"; answer: StoredAnswerWithKey }
  | { kind: "held"; owner: string };

/** The parts of the store the claims need (the store's statement cache, its write transaction, its lookup). */
export interface ClaimStoreAccess {
  statement(sql: string): StatementSync;
  transaction(work: () => void): void;
  findStored(cacheKey: string): StoredAnswerWithKey | undefined;
}

interface Owner {
  owner: string;
  pid: number;
  host: string;
  claiming: boolean;
  expiresAt: number;
}

const thisHost = hostname();
/**
 * Owners registered by this process, through any connection: a row with this pid that is not among them
 * was left by a killed process whose pid this one now has.
 */
const ownersOfThisProcess = new Set<string>();

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as { code?: string }).code === "EPERM";
  }
}

function toOwner(row: Record<string, unknown>): Owner {
  return {
    owner: String(row.owner),
    pid: Number(row.pid),
    host: String(row.host),
    claiming: Number(row.claiming) === 1,
    expiresAt: Number(row.expires_at),
  };
}

export class ClaimRegistry {
  readonly #access: ClaimStoreAccess;
  /**
   * Owners registered through this connection. They do not see each other's commits (SQLite's
   * data_version counts other connections only), so none of them waits for another.
   */
  readonly #local = new Set<string>();

  constructor(access: ClaimStoreAccess) {
    this.#access = access;
  }

  #isLive(owner: Owner, now: number): boolean {
    if (this.#local.has(owner.owner)) return true;
    if (owner.expiresAt <= now) return false;
    if (owner.host !== thisHost) return true;
    return owner.pid === process.pid ? ownersOfThisProcess.has(owner.owner) : processExists(owner.pid);
  }

  #owners(): Owner[] {
    return this.#access
      .statement("SELECT owner, pid, host, claiming, expires_at FROM claim_owners")
      .all()
      .map(toOwner);
  }

  #ownerIsLive(owner: string, now: number): boolean {
    const row = this.#access
      .statement("SELECT owner, pid, host, claiming, expires_at FROM claim_owners WHERE owner = ?")
      .get(owner);
    return row !== undefined && this.#isLive(toOwner(row), now);
  }

  /** Inside a write transaction: an owner that is gone, and its claims. */
  #forget(owner: string): void {
    this.#access.statement("DELETE FROM claims WHERE owner = ?").run(owner);
    this.#access.statement("DELETE FROM claim_owners WHERE owner = ?").run(owner);
  }

  #writeOwner(owner: string, claiming: boolean, leaseMs: number): void {
    this.#access
      .statement(
        "INSERT OR REPLACE INTO claim_owners (owner, pid, host, claiming, expires_at) VALUES (?, ?, ?, ?, ?)",
      )
      .run(owner, process.pid, thisHost, claiming ? 1 : 0, Date.now() + leaseMs);
  }

  /**
   * Registers a run as an owner (forgetting owners that are gone) and returns whether live owners of
   * other connections are registered: then it claims from the start (and says so in its row).
   */
  join(owner: string, leaseMs: number): boolean {
    let others = false;
    this.#access.transaction(() => {
      const now = Date.now();
      for (const row of this.#owners()) {
        if (!this.#isLive(row, now)) this.#forget(row.owner);
        else if (!this.#local.has(row.owner)) others = true;
      }
      this.#writeOwner(owner, others, leaseMs);
    });
    this.#local.add(owner);
    ownersOfThisProcess.add(owner);
    return others;
  }

  /** Extends the owner's lease (and writes its row again if another run took it for gone). */
  renew(owner: string, claiming: boolean, leaseMs: number): void {
    this.#access.transaction(() => this.#writeOwner(owner, claiming, leaseMs));
  }

  /** Whether a live owner of another connection is registered (read only). */
  othersAreLive(): boolean {
    const now = Date.now();
    return this.#owners().some((row) => !this.#local.has(row.owner) && this.#isLive(row, now));
  }

  /** Whether a live owner of another connection still sends without claiming (read only). */
  othersSendUnclaimed(): boolean {
    const now = Date.now();
    return this.#owners().some(
      (row) => !row.claiming && !this.#local.has(row.owner) && this.#isLive(row, now),
    );
  }

  /** Switches an owner to claiming, with a claim on each key it has in flight already. */
  startClaiming(owner: string, inFlight: Iterable<string>, leaseMs: number): void {
    this.#access.transaction(() => {
      this.#writeOwner(owner, true, leaseMs);
      const insert = this.#access.statement("INSERT OR IGNORE INTO claims (cache_key, owner) VALUES (?, ?)");
      for (const key of inFlight) insert.run(key, owner);
    });
  }

  /** Who holds a key's claim, when that owner is live and not `owner` (read only). */
  #liveHolder(owner: string, cacheKey: string, now: number): string | undefined {
    const holder = this.#access.statement("SELECT owner FROM claims WHERE cache_key = ?").get(cacheKey);
    if (holder === undefined) return undefined;
    const name = String(holder.owner);
    return name !== owner && this.#ownerIsLive(name, now) ? name : undefined;
  }

  /**
   * Claims a key for `owner` unless another live owner holds it or its answer is stored, both checked in
   * the same write transaction as the insert (so two runs can never both get "claimed" for one key). A
   * key held by a live owner, or answered, is told so from reads, without taking the write lock.
   */
  claim(owner: string, cacheKey: string): ClaimOutcome {
    return this.claimMany(owner, [cacheKey]).get(cacheKey) ?? { kind: "claimed" };
  }

  /** `claim` for several keys in one transaction (a run claims the next few requests it will send). */
  claimMany(owner: string, cacheKeys: readonly string[]): Map<string, ClaimOutcome> {
    const outcomes = new Map<string, ClaimOutcome>();
    const now = Date.now();
    const open: string[] = [];
    // Reads first: a key held by a live owner, or already answered, needs no write lock.
    for (const key of cacheKeys) {
      const holder = this.#liveHolder(owner, key, now);
      if (holder !== undefined) {
        outcomes.set(key, { kind: "held", owner: holder });
        continue;
      }
      const answer = this.#access.findStored(key);
      if (answer === undefined) open.push(key);
      else outcomes.set(key, { kind: "stored", answer });
    }
    if (open.length === 0) return outcomes;
    this.#access.transaction(() => {
      const insert = this.#access.statement("INSERT OR REPLACE INTO claims (cache_key, owner) VALUES (?, ?)");
      for (const key of open) {
        const row = this.#access.statement("SELECT owner FROM claims WHERE cache_key = ?").get(key);
        if (row !== undefined && String(row.owner) !== owner) {
          const name = String(row.owner);
          if (this.#ownerIsLive(name, Date.now())) {
            outcomes.set(key, { kind: "held", owner: name });
            continue;
          }
          this.#forget(name);
        }
        const answer = this.#access.findStored(key);
        if (answer !== undefined) {
          outcomes.set(key, { kind: "stored", answer });
          continue;
        }
        insert.run(key, owner);
        outcomes.set(key, { kind: "claimed" });
      }
    });
    return outcomes;
  }

  /** Inside a write transaction (the one that stores the answer): drops the owner's claim on a key. */
  releaseWithin(owner: string, cacheKey: string): void {
    this.#access.statement("DELETE FROM claims WHERE cache_key = ? AND owner = ?").run(cacheKey, owner);
  }

  /** Drops the owner's claims on these keys (a request that failed for good). */
  release(owner: string, cacheKeys: readonly string[]): void {
    if (cacheKeys.length === 0) return;
    this.#access.transaction(() => {
      for (const key of cacheKeys) this.releaseWithin(owner, key);
    });
  }

  /** The run is over: its row and every claim it still holds go. */
  leave(owner: string): void {
    this.#local.delete(owner);
    ownersOfThisProcess.delete(owner);
    this.#access.transaction(() => this.#forget(owner));
  }
}
