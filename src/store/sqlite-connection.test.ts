import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, test } from "node:test";
import { openDatabase, type RollbackTarget, rollbackIfOpen, setBusyTimeout } from "./sqlite-connection.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-sqlite-connection-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const busyTimeout = (database: DatabaseSync): number =>
  Number(database.prepare("PRAGMA busy_timeout").get()?.timeout);

test("openDatabase sets SQLite's busy timeout itself (Node 22.13 ignores the constructor's timeout option)", () => {
  const database = openDatabase(join(scratch, "busy.sqlite"), 5000);
  try {
    assert.equal(busyTimeout(database), 5000);
  } finally {
    database.close();
  }
});

test("setBusyTimeout changes the wait and refuses what SQLite would misread", () => {
  const database = new DatabaseSync(":memory:");
  try {
    setBusyTimeout(database, 1234);
    assert.equal(busyTimeout(database), 1234);
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      assert.throws(() => setBusyTimeout(database, bad), RangeError);
    assert.equal(busyTimeout(database), 1234);
  } finally {
    database.close();
  }
});

/** A real connection seen as on Node 22.13: no isTransaction property. */
function withoutIsTransaction(database: DatabaseSync): RollbackTarget {
  return { exec: (sql) => database.exec(sql) };
}

/** Whether a transaction is open, asked without isTransaction: BEGIN fails inside one. */
function transactionOpen(database: DatabaseSync): boolean {
  try {
    database.exec("BEGIN");
  } catch {
    return true;
  }
  database.exec("ROLLBACK");
  return false;
}

for (const [name, view] of [
  ["with isTransaction (Node 24)", (database: DatabaseSync): RollbackTarget => database],
  ["without isTransaction (Node 22.13)", withoutIsTransaction],
] as const) {
  test(`rollbackIfOpen ${name}: undoes an open transaction, and is quiet when there is none`, () => {
    const database = new DatabaseSync(":memory:");
    try {
      database.exec("CREATE TABLE t (x INTEGER)");
      database.exec("BEGIN IMMEDIATE");
      database.exec("INSERT INTO t VALUES (1)");
      rollbackIfOpen(view(database));
      assert.equal(transactionOpen(database), false);
      assert.equal(Number(database.prepare("SELECT count(*) AS n FROM t").get()?.n), 0);
      assert.doesNotThrow(() => rollbackIfOpen(view(database)));
      // The connection takes a new transaction afterwards (an abandoned one would refuse it).
      database.exec("BEGIN IMMEDIATE");
      database.exec("COMMIT");
    } finally {
      database.close();
    }
  });
}

test("rollbackIfOpen without isTransaction still reports a ROLLBACK failure that is not 'no transaction'", () => {
  const failing: RollbackTarget = {
    exec: () => {
      throw new Error("disk I/O error");
    },
  };
  assert.throws(() => rollbackIfOpen(failing), /disk I\/O error/);
});
