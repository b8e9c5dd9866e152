/**
 * The store's connection to node:sqlite, for every Node the package supports (engines >= 22.13). Node
 * 22.13 differs from Node 24 where the store depends on it (each seen on 22.13.0):
 * - the constructor ignores the `timeout` option, leaving SQLite's busy timeout at 0 (a statement that
 *   meets another process's lock fails at once), so `openDatabase` also sets `PRAGMA busy_timeout`,
 *   which every version honours;
 * - `isTransaction` does not exist, so `rollbackIfOpen` falls back on rolling back and ignoring
 *   SQLite's "no transaction is active";
 * - a statement whose only reference is its `iterate()` iterator can be garbage-collected mid-way
 *   ("statement has been finalized"), so whoever iterates keeps the statement in a variable.
 * node:sqlite is loaded when the first database opens, not when this module is imported: on 22.13 loading
 * it prints an ExperimentalWarning, which the CLI hides (cli/quiet-sqlite-warning.ts) before that.
 */
import type { DatabaseSync } from "node:sqlite";

/** Opens (creating when needed) the SQLite file at `path`; a locked database is waited for up to `busyTimeoutMs`. */
export function openDatabase(path: string, busyTimeoutMs: number): DatabaseSync {
  const { DatabaseSync: Database } = process.getBuiltinModule("node:sqlite");
  const database = new Database(path, { timeout: busyTimeoutMs });
  try {
    setBusyTimeout(database, busyTimeoutMs);
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/** SQLite's busy timeout: how long a statement waits for another connection's lock before SQLITE_BUSY. */
export function setBusyTimeout(database: Pick<DatabaseSync, "exec">, milliseconds: number): void {
  if (!Number.isSafeInteger(milliseconds) || milliseconds < 0)
    throw new RangeError(`the busy timeout must be a whole number of milliseconds >= 0, got ${milliseconds}`);
  database.exec(`PRAGMA busy_timeout = ${milliseconds}`);
}

/** What `rollbackIfOpen` needs of a connection; `isTransaction` is absent on Node 22.13. */
export interface RollbackTarget {
  exec(sql: string): void;
  readonly isTransaction?: boolean;
}

/**
 * Rolls back the open transaction, if there is one. SQLite itself may already have rolled it back (some
 * errors do), and a ROLLBACK without a transaction is an error that would hide the one being handled.
 */
export function rollbackIfOpen(database: RollbackTarget): void {
  if (typeof database.isTransaction === "boolean") {
    if (database.isTransaction) database.exec("ROLLBACK");
    return;
  }
  try {
    database.exec("ROLLBACK");
  } catch (error) {
    if (!/no transaction is active/i.test(error instanceof Error ? error.message : String(error)))
      throw error;
  }
}
