/**
 * Long run of the importer fuzzer (issue 6, bad files): 20x the runs of importers.fuzz.test.ts, huge
 * strings up to 3 MB, each input read in a worker under a 30 s limit (well above the numina loader's own decode
 * limit of 10 s + 1 s per started 10 MB, so a loader that stops a runaway decoder itself is not a hang).
 * Prints "N fuzzed inputs: C crashes, H hangs" and, per failure kind, one example. Exit 1 on any failure.
 * Usage: node scripts/soak/bad-files.ts [runs-per-importer=2000] [seed]
 */
import { fuzzImporters } from "../../src/testing/bad-files.ts";

const runsEach = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 20261129);
const started = Date.now();
const summary = await fuzzImporters({
  runsEach,
  seed,
  timeLimitMs: 30_000,
  progress: (name, inputs, milliseconds) =>
    console.log(`  ${name}: ${inputs} inputs in ${(milliseconds / 1000).toFixed(1)} s`),
});
const failures = summary.failures;
const crashes = failures.filter((failure) => failure.outcome === "crash").length;
const hangs = failures.filter((failure) => failure.outcome === "hang").length;
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  `${summary.inputs} fuzzed inputs (${Object.keys(summary.byImporter).length} importers, seed ${seed}, ${seconds} s): ${crashes} crashes, ${hangs} hangs; ${summary.accepted} loaded, ${summary.inputErrors} refused with a clear InputError`,
);
const examples = new Map<string, string>();
for (const failure of failures) {
  const key = `${failure.importer} ${failure.outcome}`;
  if (!examples.has(key))
    examples.set(key, `${failure.detail} [input starts ${failure.inputHead.slice(0, 64)}]`);
}
for (const [key, example] of examples) console.log(`  FAILURE ${key}: ${example}`);
process.exit(failures.length === 0 ? 0 : 1);
