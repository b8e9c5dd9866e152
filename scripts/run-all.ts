/**
 * Runs every script of one group (scripts/bench, scripts/validate, scripts/soak or scripts/compat) in
 * turn, each in its own Node process so that memory and timing figures do not leak between them. A script that
 * needs ../shared/data says so and exits 0 when the data is absent. Exit code: non-zero if any failed.
 * Usage: node scripts/run-all.ts bench|validate|soak|compat [name-filter]
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const group = process.argv[2];
const filter = process.argv[3];
if (group !== "bench" && group !== "validate" && group !== "soak" && group !== "compat") {
  process.stderr.write("usage: node scripts/run-all.ts bench|validate|soak|compat [filter]\n");
  process.exit(2);
}
const folder = join(import.meta.dirname, group);
const scripts = readdirSync(folder)
  .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.startsWith("_"))
  .filter((name) => filter === undefined || name.includes(filter))
  .sort();
let failures = 0;
for (const name of scripts) {
  process.stdout.write(`\n=== ${group}: ${name} ===\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--expose-gc", join(folder, name)], { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failures++;
    process.stdout.write(`=== ${name}: FAILED (exit ${result.status}) after ${seconds} s ===\n`);
  } else {
    process.stdout.write(`=== ${name}: ok in ${seconds} s ===\n`);
  }
}
process.stdout.write(`\n${group}: ${scripts.length - failures} of ${scripts.length} scripts ok\n`);
process.exit(failures === 0 ? 0 : 1);
