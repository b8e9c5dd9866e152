/**
 * Node 22.13 (the package's engines floor) prints "ExperimentalWarning: SQLite is an experimental
 * feature..." and a hint on stderr when node:sqlite loads; Node 24 does not. The CLI's stderr carries its
 * own messages (one line per error), so that one warning is dropped; every other warning passes as it
 * was. Installed before the store first loads node:sqlite (store/sqlite-connection.ts loads it when the
 * first database opens, not at import).
 */

const sqliteWarning = /^SQLite is an experimental feature/;

/** Whether `process.emitWarning(warning, typeOrOptions)` is node:sqlite's experimental warning. */
export function isSqliteExperimentalWarning(warning: unknown, typeOrOptions: unknown): boolean {
  if (warning instanceof Error)
    return warning.name === "ExperimentalWarning" && sqliteWarning.test(warning.message);
  const type =
    typeof typeOrOptions === "string"
      ? typeOrOptions
      : (typeOrOptions as { type?: unknown } | undefined)?.type;
  return type === "ExperimentalWarning" && typeof warning === "string" && sqliteWarning.test(warning);
}

/** Drops node:sqlite's experimental warning from this process; returns the function that restores Node's own. */
export function hideSqliteExperimentalWarning(): () => void {
  const emitWarning = process.emitWarning;
  const filtered = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    Reflect.apply(emitWarning, this, [warning, ...rest]);
  };
  process.emitWarning = filtered as typeof process.emitWarning;
  return () => {
    if (process.emitWarning === filtered) process.emitWarning = emitWarning;
  };
}
