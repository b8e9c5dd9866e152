/**
 * Issue 6 "bad files", the fast version: every importer and the config loader get a few hundred fuzzed
 * inputs each (arbitrary bytes, truncations, wrong types, deep nesting, huge strings, BOM, CRLF, invalid
 * UTF-8), each read in a worker under a time limit: only successes or one-line InputErrors naming the file.
 * The long run is `node scripts/soak/bad-files.ts`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parquetWriteBuffer } from "hyparquet-writer";
import { fuzzImporters, importers } from "./bad-files.ts";

test("every importer survives fuzzed files: no crash, no hang, only clear errors", {
  timeout: 120_000,
}, async () => {
  const runsEach = 100;
  // The outer limit is well above the numina loader's own decode limit (10 s + 1 s per started 10 MB; the
  // margin absorbs a busy machine), so a corruption that makes hyparquet loop must end as that loader's
  // InputError: no hang is excused.
  const summary = await fuzzImporters({ runsEach, seed: 20261129, timeLimitMs: 30_000, hugeBytes: 400_000 });
  const names = importers({} as never).map((importer) => importer.name);
  assert.equal(summary.inputs, runsEach * names.length, "every importer got its inputs");
  assert.ok(summary.inputErrors > summary.inputs / 2, "most damaged inputs are refused with an InputError");
  assert.ok(summary.accepted > 0, "some fuzzed inputs are still valid and load");
  const failures = summary.failures;
  const crashes = failures.filter((failure) => failure.outcome === "crash").length;
  const hangs = failures.filter((failure) => failure.outcome === "hang").length;
  console.log(
    `${summary.inputs} fuzzed inputs over ${names.length} importers: ${crashes} crashes, ${hangs} hangs`,
  );
  assert.deepEqual(failures, []);
});

test("a Parquet file with one NUL byte inserted at offset 11 does not hang the numina loader", {
  timeout: 60_000,
}, async () => {
  const valid = new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: "source", data: ["olympiads", "amc"], type: "STRING" },
        { name: "problem", data: ["Find x if 2x = 6.", "Primes below 20?"], type: "STRING" },
      ],
    }),
  );
  const damaged = new Uint8Array([...valid.slice(0, 11), 0x00, ...valid.slice(11)]);
  // hyparquet still loops on this file; the loader stops its decoding worker after 11 s (10 s + 1 s per
  // started 10 MB), so the outer limit here must be longer than that.
  const summary = await fuzzImporters({
    runsEach: 0,
    seed: 1,
    timeLimitMs: 20_000,
    only: (name) => name === "RSE numina parquet",
    extraInputs: [damaged],
  });
  assert.equal(summary.inputs, 1, "the damaged file was read");
  assert.equal(summary.inputErrors, 1, "and refused with an InputError naming the file");
  assert.deepEqual(summary.failures, []);
});
