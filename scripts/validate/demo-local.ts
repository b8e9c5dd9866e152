/**
 * Times `distillscope demo` on the local copies in ../shared/data (target: under 60 s on 2 cores),
 * as a user would run it: a fresh process, a fresh DISTILLSCOPE_HOME and output directory.
 * Prints the demo's table, the time, and PASS or FAIL. Skips (exit 0) when the data is absent.
 * Usage: node scripts/validate/demo-local.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const alpacaeval = resolve(root, "..", "shared", "data", "alpacaeval", "results");
const lee2025 = resolve(root, "..", "shared", "data", "identity-lee2025");
for (const directory of [alpacaeval, lee2025]) {
  if (!existsSync(directory)) {
    process.stdout.write(`skipped: ${directory.replace(`${resolve(root, "..")}/`, "../")} not found\n`);
    process.exit(0);
  }
}
const limitSeconds = 60;
const scratch = mkdtempSync(join(tmpdir(), "distillscope-demo-local-"));
const started = performance.now();
const run = spawnSync(
  process.execPath,
  [
    join(root, "src", "cli", "main.ts"),
    "demo",
    "--alpacaeval",
    alpacaeval,
    "--lee2025",
    lee2025,
    "--out",
    join(scratch, "out"),
    "--home",
    join(scratch, "home"),
  ],
  { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(run.stdout);
if (run.status !== 0) process.stdout.write(run.stderr);
const hasTable = run.stdout.includes("## ICE: our embedded judge vs Lee et al. 2025");
const hasLineage = run.stdout.includes("## Lineage:");
const reportWritten = existsSync(join(scratch, "out", "report.html"));
const pass = run.status === 0 && hasTable && hasLineage && reportWritten && seconds < limitSeconds;
process.stdout.write(
  `\ndemo on ../shared/data: ${seconds.toFixed(1)} s wall (limit ${limitSeconds} s), exit ${run.status}, ` +
    `table ${hasTable ? "yes" : "no"}, lineage ${hasLineage ? "yes" : "no"}, report ${reportWritten ? "yes" : "no"}: ${pass ? "PASS" : "FAIL"}\n`,
);
rmSync(scratch, { recursive: true, force: true });
process.exit(pass ? 0 : 1);
