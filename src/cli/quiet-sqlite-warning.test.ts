import assert from "node:assert/strict";
import { test } from "node:test";
import { hideSqliteExperimentalWarning, isSqliteExperimentalWarning } from "./quiet-sqlite-warning.ts";

const sqliteText = "SQLite is an experimental feature and might change at any time";

test("only node:sqlite's experimental warning is recognised, in each form emitWarning takes", () => {
  assert.equal(isSqliteExperimentalWarning(sqliteText, "ExperimentalWarning"), true);
  assert.equal(isSqliteExperimentalWarning(sqliteText, { type: "ExperimentalWarning" }), true);
  const asError = Object.assign(new Error(sqliteText), { name: "ExperimentalWarning" });
  assert.equal(isSqliteExperimentalWarning(asError, undefined), true);
  assert.equal(isSqliteExperimentalWarning(sqliteText, "DeprecationWarning"), false);
  assert.equal(isSqliteExperimentalWarning(sqliteText, undefined), false);
  assert.equal(
    isSqliteExperimentalWarning("Type Stripping is an experimental feature", "ExperimentalWarning"),
    false,
  );
  assert.equal(isSqliteExperimentalWarning(new Error(sqliteText), undefined), false);
});

test("once hidden, the SQLite warning never reaches the process; other warnings still do; restore undoes it", async () => {
  const seen: string[] = [];
  const listener = (warning: Error) => seen.push(`${warning.name}: ${warning.message}`);
  process.on("warning", listener);
  const restore = hideSqliteExperimentalWarning();
  try {
    process.emitWarning(sqliteText, "ExperimentalWarning");
    process.emitWarning(sqliteText, { type: "ExperimentalWarning" });
    process.emitWarning("another feature is experimental", "ExperimentalWarning");
    process.emitWarning("old option", "DeprecationWarning");
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, [
      "ExperimentalWarning: another feature is experimental",
      "DeprecationWarning: old option",
    ]);
    restore();
    seen.length = 0;
    process.emitWarning(sqliteText, "ExperimentalWarning");
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, [`ExperimentalWarning: ${sqliteText}`]);
  } finally {
    restore();
    process.off("warning", listener);
  }
});
