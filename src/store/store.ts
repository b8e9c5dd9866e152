/**
 * The store: one SQLite file (node:sqlite, WAL) under DISTILLSCOPE_HOME holding runs, request attempts,
 * answers, final errors and the answer cache. Answers are written the moment they arrive (the engine
 * commits every answer of one event-loop turn in one transaction before it reports any of them), so a
 * killed process loses at most the requests that were in flight.
 */
import { accessSync, constants } from "node:fs";
import { join, resolve } from "node:path";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { InputError, RuntimeFailure } from "../errors.ts";
import { makeFolder, NotAFolderError } from "../files/make-folder.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import type { ChatMessage, RecordedParameters, Usage } from "../models/types.ts";
import { ClaimRegistry } from "./claims.ts";
import { schemaStatements } from "./schema.ts";
import { openDatabase, rollbackIfOpen } from "./sqlite-connection.ts";
import type { RequestAttempt, StoreCounts, StoredAnswer, StoredError } from "./types.ts";

export const storeFileName = "distillscope.sqlite";

/** How long one write waits for another process's lock before giving up (SQLite busy handler + ours). */
const busyTimeoutMs = 5000;
const busyRetries = 20;

type Row = Record<string, unknown>;

const insertAnswerSql = `INSERT INTO answers (run_id, cache_key, item_id, sample, model, endpoint, messages, parameters,
  response, usage, cost_usd, latency_ms, finish_reason, attempts, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const cachedAnswerSql =
  "SELECT answers.* FROM cache JOIN answers ON answers.id = cache.answer_id WHERE cache.cache_key = ?";
const indexAnswersSql =
  "INSERT OR REPLACE INTO cache (cache_key, answer_id) SELECT cache_key, id FROM answers WHERE id > ? ORDER BY cache_key, id";
const indexStateSql =
  "SELECT (SELECT coalesce(max(id), 0) FROM answers) AS newest, (SELECT answer_id FROM cache_indexed WHERE id = 1) AS indexed";
/** Deferred cache entries are written at the latest after this many answers of one connection. */
const deferredIndexBatch = 4096;

export interface StoredAnswerWithKey extends StoredAnswer {
  cacheKey: string;
}

/** An answer waiting to be written, with the attempts that led to it. */
export interface PendingAnswer {
  cacheKey: string;
  answer: StoredAnswer;
  attempts: readonly RequestAttempt[];
}

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: number }).errcode;
  return code === 5 || code === 6 || /database is locked|database table is locked/i.test(String(error));
}

function sleepSync(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** Makes sure `home` exists and is writable; an InputError naming the path and the fix otherwise. */
function prepareHome(home: string): void {
  const fix = "pass --home <writable directory> or set DISTILLSCOPE_HOME";
  try {
    makeFolder(home);
    accessSync(home, constants.W_OK);
  } catch (error) {
    if (error instanceof NotAFolderError)
      throw new InputError(
        `store home ${error.path === resolve(home) ? "" : `${home}: `}${error.message}: ${fix}`,
      );
    throw new InputError(`store home ${home} is not writable (${describeFsError(error)}): ${fix}`);
  }
}

function rowToAnswer(row: Row): StoredAnswerWithKey {
  const answer: StoredAnswerWithKey = {
    cacheKey: String(row.cache_key),
    id: String(row.item_id),
    sample: Number(row.sample),
    model: String(row.model),
    endpoint: String(row.endpoint),
    messages: JSON.parse(String(row.messages)) as ChatMessage[],
    parameters: JSON.parse(String(row.parameters)) as RecordedParameters,
    response: String(row.response),
    usage: JSON.parse(String(row.usage)) as Usage,
    latencyMs: Number(row.latency_ms),
    attempts: Number(row.attempts),
  };
  if (row.cost_usd !== null && row.cost_usd !== undefined) answer.costUsd = Number(row.cost_usd);
  if (row.finish_reason !== null && row.finish_reason !== undefined)
    answer.finishReason = String(row.finish_reason);
  return answer;
}

/** The store's API. Open with `openStore(home)`; close when done. */
export class Store {
  readonly home: string;
  readonly path: string;
  readonly #database: DatabaseSync;
  readonly #statements: Map<string, StatementSync> = new Map();
  /** Statements whose rows a caller is iterating (see answers()). */
  readonly #statementsBeingRead: Set<StatementSync> = new Set();
  /** Answers this connection saved whose cache entries are not written yet. */
  #unindexed = 0;
  /** SQLite's data_version when last read: it changes only when ANOTHER connection commits. */
  #dataVersion = 0;
  #othersWrote = false;
  #closed = false;
  /** Claims on requests in flight, shared with the other processes that collect into this store. */
  readonly claims: ClaimRegistry = new ClaimRegistry({
    statement: (sql) => this.#statement(sql),
    transaction: (work) => this.#transaction(work),
    findStored: (cacheKey) => this.findStored(cacheKey),
  });

  constructor(home: string) {
    this.home = resolve(home);
    prepareHome(this.home);
    this.path = join(this.home, storeFileName);
    try {
      this.#database = openDatabase(this.path, busyTimeoutMs);
      this.#withBusyRetry(() => {
        this.#database.exec("PRAGMA journal_mode = WAL");
        this.#database.exec("PRAGMA synchronous = NORMAL");
        // Checkpoint (copy the WAL into the database file, two fsyncs, on the event loop's thread) every
        // 8,192 pages (32 MB of WAL) instead of SQLite's 1,000: a page rewritten by many commits (the
        // answers table's last page) is then copied once, and a 6,000-answer run checkpoints only at
        // close. The WAL file is truncated back to 4 MB after each checkpoint.
        this.#database.exec("PRAGMA wal_autocheckpoint = 8192");
        this.#database.exec("PRAGMA journal_size_limit = 4194304");
        this.#database.exec("BEGIN IMMEDIATE");
        try {
          for (const statement of schemaStatements) this.#database.exec(statement);
          this.#database.exec("COMMIT");
        } catch (error) {
          this.#database.exec("ROLLBACK");
          throw error;
        }
      });
      this.#dataVersion = this.#readDataVersion();
    } catch (error) {
      if (error instanceof InputError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      if (/readonly|read-only|unable to open|disk I\/O|permission/i.test(reason))
        throw new InputError(
          `cannot write the store ${this.path} (${reason}): pass --home <writable directory> or set DISTILLSCOPE_HOME`,
        );
      throw new RuntimeFailure(`cannot open the store ${this.path}: ${reason}`);
    }
  }

  /** A library caller that uses the store after close() gets this, not SQLite's "statement has been finalized". */
  #checkOpen(): void {
    if (this.#closed)
      throw new InputError(`the store ${this.path} is closed; open it again with openStore(home)`);
  }

  #statement(sql: string): StatementSync {
    this.#checkOpen();
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#database.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work`, retrying when another process holds the write lock longer than SQLite's own wait. */
  #withBusyRetry<T>(work: () => T): T {
    for (let attempt = 1; ; attempt++) {
      try {
        return work();
      } catch (error) {
        if (!isBusy(error) || attempt >= busyRetries) throw error;
        sleepSync(Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random() / 2));
      }
    }
  }

  /** Runs `work` in one write transaction (BEGIN IMMEDIATE, so the lock is taken up front). */
  #transaction(work: () => void): void {
    this.#checkOpen();
    this.#withBusyRetry(() => {
      this.#database.exec("BEGIN IMMEDIATE");
      try {
        work();
        this.#database.exec("COMMIT");
      } catch (error) {
        rollbackIfOpen(this.#database);
        throw error;
      }
    });
  }

  /** Records the start of a run; returns its id. */
  startRun(label: string, model: string, items: number): number {
    const row = this.#withBusyRetry(() =>
      this.#statement(
        "INSERT INTO runs (label, model, started_at, items) VALUES (?, ?, ?, ?) RETURNING id",
      ).get(label, model, new Date().toISOString(), items),
    );
    return Number(row?.id);
  }

  /** Marks a run finished with a status (done, failed, interrupted, fatal). */
  finishRun(runId: number, status: string): void {
    this.#withBusyRetry(() =>
      this.#statement("UPDATE runs SET finished_at = ?, status = ? WHERE id = ?").run(
        new Date().toISOString(),
        status,
        runId,
      ),
    );
  }

  /** The cached answer for a key, if any. */
  findCached(cacheKey: string): StoredAnswerWithKey | undefined {
    this.indexCache();
    const row = this.#statement(cachedAnswerSql).get(cacheKey);
    return row === undefined ? undefined : rowToAnswer(row);
  }

  #readDataVersion(): number {
    return Number(this.#statement("PRAGMA data_version").get()?.data_version ?? 0);
  }

  /**
   * True once another connection (another process collecting into the same store) has committed since
   * this one opened. One cheap pragma read; this connection's own commits never make it true.
   */
  othersHaveWritten(): boolean {
    if (this.#othersWrote) return true;
    this.dataVersion();
    return this.#othersWrote;
  }

  /** SQLite's data_version now: it moves only when another connection commits (one cheap pragma read). */
  dataVersion(): number {
    const version = this.#readDataVersion();
    if (version !== this.#dataVersion) this.#othersWrote = true;
    return version;
  }

  /**
   * The stored answer for a key, including answers whose cache entries are still deferred (another
   * process's most recent ones), without writing anything: for a run that shares the store with another
   * process and checks just before it asks. The deferred part is found by scanning only the answers
   * above the indexed mark (a rowid range).
   */
  findStored(cacheKey: string): StoredAnswerWithKey | undefined {
    const indexed = this.#statement(cachedAnswerSql).get(cacheKey);
    if (indexed !== undefined) return rowToAnswer(indexed);
    const recent = this.#statement(
      "SELECT * FROM answers WHERE id > coalesce((SELECT answer_id FROM cache_indexed WHERE id = 1), 0) AND cache_key = ? ORDER BY id DESC LIMIT 1",
    ).get(cacheKey);
    return recent === undefined ? undefined : rowToAnswer(recent);
  }

  /** The cached answers of many keys at once (looked up in chunks; far cheaper than one query each). */
  findCachedMany(cacheKeys: readonly string[]): Map<string, StoredAnswerWithKey> {
    this.indexCache();
    const found = new Map<string, StoredAnswerWithKey>();
    // An empty cache (a new store) answers nothing: skip binding every key (about 1 us an item).
    if (this.#statement("SELECT 1 AS found FROM cache LIMIT 1").get() === undefined) return found;
    const chunk = 500;
    for (let start = 0; start < cacheKeys.length; start += chunk) {
      const part = cacheKeys.slice(start, start + chunk);
      const hits = this.#statement(
        `SELECT cache_key, answer_id FROM cache WHERE cache_key IN (${part.map(() => "?").join(",")})`,
      ).all(...part);
      for (const hit of hits) {
        const row = this.#statement("SELECT * FROM answers WHERE id = ?").get(Number(hit.answer_id));
        if (row !== undefined)
          found.set(String(hit.cache_key), { ...rowToAnswer(row), cacheKey: String(hit.cache_key) });
      }
    }
    return found;
  }

  /**
   * Saves an answer, the attempts that led to it and its cache entry in one transaction.
   * `runId` is null for imported transcripts.
   */
  saveAnswer(
    runId: number | null,
    cacheKey: string,
    answer: StoredAnswer,
    attempts: readonly RequestAttempt[] = [],
  ): void {
    this.saveAnswers(runId, [{ cacheKey, answer, attempts }]);
  }

  /**
   * Saves several answers (with their attempts) in one transaction: the engine's group commit of every
   * answer that arrived in one turn of the event loop. With `deferIndex`, the cache entries are not
   * written one by one: a random 64-character key lands on a random page of the cache B-tree, and each
   * such page is rewritten in full to the WAL at every commit, which was half the store's cost per answer.
   * They are written in bulk instead (`indexCache`): every `deferredIndexBatch` answers, before any
   * lookup, and on close. The answer rows themselves are durable at once, so nothing is lost on a kill.
   * With `releaseClaimsOf`, that owner's claims on these keys go in the same transaction (claims.ts).
   */
  saveAnswers(
    runId: number | null,
    entries: readonly PendingAnswer[],
    options: { deferIndex?: boolean; releaseClaimsOf?: string } = {},
  ): void {
    if (entries.length === 0) return;
    const createdAt = new Date().toISOString();
    const insertAnswer = this.#statement(insertAnswerSql);
    const deferIndex = options.deferIndex === true;
    const claimOwner = options.releaseClaimsOf;
    this.#transaction(() => {
      for (const { cacheKey, answer, attempts } of entries) {
        for (const attempt of attempts) this.#insertAttempt(runId ?? 0, attempt);
        insertAnswer.run(
          runId,
          cacheKey,
          answer.id,
          answer.sample,
          answer.model,
          answer.endpoint,
          JSON.stringify(answer.messages),
          JSON.stringify(answer.parameters),
          answer.response,
          JSON.stringify(answer.usage),
          answer.costUsd ?? null,
          Math.round(answer.latencyMs),
          answer.finishReason ?? null,
          answer.attempts,
          createdAt,
        );
        // In the same transaction: another process never sees the claim gone before the answer is there.
        if (claimOwner !== undefined) this.claims.releaseWithin(claimOwner, cacheKey);
      }
      this.#unindexed += entries.length;
      if (!deferIndex || this.#unindexed >= deferredIndexBatch) this.#indexPending();
    });
  }

  /**
   * Writes the cache entries of every answer not indexed yet (this process's or another's), sorted by
   * key (the B-tree fills page by page) and by answer id within a key, so that the newest answer of a
   * key wins. Cheap when there is nothing to do (one read).
   */
  indexCache(): void {
    const state = this.#statement(indexStateSql).get();
    if (Number(state?.newest ?? 0) <= Number(state?.indexed ?? 0)) return;
    this.#transaction(() => this.#indexPending());
  }

  /** Inside a write transaction: cache entries for the answers above the mark, then move the mark. */
  #indexPending(): void {
    const indexed = Number(
      this.#statement("SELECT answer_id FROM cache_indexed WHERE id = 1").get()?.answer_id ?? 0,
    );
    this.#statement(indexAnswersSql).run(indexed);
    this.#statement(
      "INSERT OR REPLACE INTO cache_indexed (id, answer_id) SELECT 1, coalesce(max(id), 0) FROM answers",
    ).run();
    this.#unindexed = 0;
  }

  #insertAttempt(runId: number, attempt: RequestAttempt): void {
    this.#statement(
      `INSERT INTO requests (run_id, cache_key, item_id, sample, attempt, started_at, duration_ms, outcome, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      attempt.cacheKey,
      attempt.id,
      attempt.sample,
      attempt.attempt,
      attempt.startedAt,
      Math.round(attempt.durationMs),
      attempt.outcome,
      attempt.status ?? null,
    );
  }

  /** Records failed attempts of an item that is still being retried. */
  saveAttempts(runId: number, attempts: readonly RequestAttempt[]): void {
    if (attempts.length === 0) return;
    this.#transaction(() => {
      for (const attempt of attempts) this.#insertAttempt(runId, attempt);
    });
  }

  /** Records an item's final failure (never cached) and its attempts. */
  saveError(runId: number, error: StoredError, attempts: readonly RequestAttempt[] = []): void {
    this.#transaction(() => {
      for (const attempt of attempts) this.#insertAttempt(runId, attempt);
      this.#statement(
        `INSERT INTO errors (run_id, cache_key, item_id, sample, model, error_class, status, message, attempts, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        runId,
        error.cacheKey,
        error.id,
        error.sample,
        error.model,
        error.errorClass,
        error.status ?? null,
        error.message,
        error.attempts,
        new Date().toISOString(),
      );
    });
  }

  /**
   * Streams the answers the cache points to (one per cache key, the latest), optionally of one model,
   * in the order they were stored.
   */
  *answers(filter: { model?: string } = {}): Generator<StoredAnswerWithKey> {
    this.indexCache();
    const base = "SELECT answers.* FROM cache JOIN answers ON answers.id = cache.answer_id";
    const statement = this.#database.prepare(
      filter.model === undefined
        ? `${base} ORDER BY answers.id`
        : `${base} WHERE answers.model = ? ORDER BY answers.id`,
    );
    // Held by the store while its rows are read: on Node 22.13 a statement referenced only by its
    // iterator can be garbage-collected mid-way ("statement has been finalized").
    this.#statementsBeingRead.add(statement);
    try {
      const rows = filter.model === undefined ? statement.iterate() : statement.iterate(filter.model);
      for (const row of rows) yield rowToAnswer(row);
    } finally {
      this.#statementsBeingRead.delete(statement);
    }
  }

  /** Final errors recorded for a run. */
  errorsOfRun(runId: number): StoredError[] {
    return this.#statement("SELECT * FROM errors WHERE run_id = ? ORDER BY id")
      .all(runId)
      .map((row) => ({
        cacheKey: String(row.cache_key),
        id: String(row.item_id),
        sample: Number(row.sample),
        model: String(row.model),
        errorClass: String(row.error_class) as StoredError["errorClass"],
        ...(row.status === null ? {} : { status: Number(row.status) }),
        message: String(row.message),
        attempts: Number(row.attempts),
      }));
  }

  /** The model ids that have stored answers, sorted (a full scan: for messages, not hot paths). */
  models(): string[] {
    return this.#statement("SELECT DISTINCT model FROM answers ORDER BY model")
      .all()
      .map((row) => String(row.model));
  }

  /** Row counts of every table. */
  counts(): StoreCounts {
    this.indexCache();
    const count = (table: string): number =>
      Number(this.#statement(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0);
    return {
      runs: count("runs"),
      requests: count("requests"),
      answers: count("answers"),
      errors: count("errors"),
      cache: count("cache"),
    };
  }

  /** `PRAGMA integrity_check`: "ok" when the file is sound. */
  integrityCheck(): string {
    return String(this.#database.prepare("PRAGMA integrity_check").get()?.integrity_check ?? "");
  }

  close(): void {
    // Our own flag, not DatabaseSync.isOpen: Node 22.13 has no isOpen, and reading it there (undefined)
    // would leave every store open.
    if (this.#closed) return;
    try {
      this.indexCache();
    } catch {
      // Best effort: whoever looks the cache up next writes the missing entries.
    }
    this.#closed = true;
    this.#database.close();
  }
}

/**
 * Opens (creating when needed) the store under `home`. Throws InputError naming the path when `home`
 * cannot be written.
 */
export function openStore(home: string): Store {
  checkPathArgument(home, "the store home");
  return new Store(home);
}
