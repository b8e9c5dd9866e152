/**
 * Secrets never reach disk, logs or reports (issue 6): the CLI end to end against the loopback server
 * with a fake key, in succeeding, failing (401, unreachable, bad input, --debug) and killed runs; every
 * byte left behind and every stdout/stderr is scanned for the key. The long run is scripts/soak/secrets.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runSecretScenario } from "../testing/secret-scenario.ts";

test("the API key is in no file, store page, report, manifest, stdout or stderr", {
  timeout: 120_000,
}, async () => {
  const { runs, scan, controlHits } = await runSecretScenario();
  assert.ok(controlHits >= 3, "the scanner finds a planted key (control)");
  const codes = Object.fromEntries(runs.map((run) => [run.name, run.code]));
  assert.deepEqual(codes, {
    collect: 0,
    "collect again (cache)": 0,
    "collect 401 --debug": 2,
    "collect unreachable --debug": 3,
    "collect bad input --debug": 2,
    "collect missing file": 2,
    "transcripts export": 0,
    "ice run": 0,
    "ice run 401 --debug": 2,
    "ice run unreachable": 3,
    report: 0,
    "report bad input --debug": 2,
    "collect killed with -9": null,
  });
  const debugRun = runs.find((run) => run.name === "collect 401 --debug");
  assert.match(
    debugRun?.stderr ?? "",
    /authentication failed \(401\)[\s\S]*\n\s+at /,
    "--debug printed a stack",
  );
  for (const expected of [
    "home/distillscope.sqlite",
    "home/distillscope.sqlite-wal",
    "out/report.html",
    "out/report.md",
    "out/manifest.json",
    "out/export.jsonl",
    "out/ice-result.json",
  ])
    assert.ok(
      scan.fileNames.some((name) => name.endsWith(expected)),
      `${expected} was scanned (files: ${scan.fileNames.join(", ")})`,
    );
  console.log(
    `secrets: ${scan.files} files (${scan.bytes} bytes) and ${scan.outputs} stdout/stderr streams (${scan.outputBytes} bytes) of ${runs.length} CLI runs scanned: ${scan.hits.length} hits`,
  );
  assert.deepEqual(scan.hits, []);
});
