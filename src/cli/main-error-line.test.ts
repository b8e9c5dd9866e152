import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import test from "node:test";

const main = resolve(import.meta.dirname, "main.ts");

test("the final error line shows terminal controls from file names and bodies as visible escapes", () => {
  const home = mkdtempSync(join(tmpdir(), "distillscope-error-line-"));
  const hostileName = join(home, "x\u001b]0;TITLE\u0007\u001b[2J\rOK \u202eevil\u009b.json");
  const outcome = spawnSync(process.execPath, [main, "--home", home, "report", hostileName], {
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(outcome.status, 2, outcome.stderr);
  assert.doesNotMatch(outcome.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  assert.match(outcome.stderr, /x\\u001b\]0;TITLE\\u0007\\u001b\[2J\\u000dOK \\u202eevil\\u009b\.json/);
  assert.equal(outcome.stderr.trimEnd().split("\n").length, 1);
});

test("a line break in a name read from a file cannot forge a second error line", () => {
  const home = mkdtempSync(join(tmpdir(), "distillscope-error-newline-"));
  const hostileName = join(home, "results.json\ndistillscope: all checks passed");
  const outcome = spawnSync(process.execPath, [main, "--home", home, "report", hostileName], {
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(outcome.status, 2, outcome.stderr);
  assert.equal(outcome.stderr.trimEnd().split("\n").length, 1, outcome.stderr);
  assert.match(outcome.stderr, /results\.json\\u000adistillscope: all checks passed/);
});
