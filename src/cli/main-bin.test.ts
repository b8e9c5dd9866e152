import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import test from "node:test";

test("the CLI runs when started through a bin symlink named distillscope (as npx and npm i -g do)", () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-bin-"));
  const link = join(directory, "distillscope");
  symlinkSync(resolve(import.meta.dirname, "main.ts"), link);
  const outcome = spawnSync(process.execPath, [link, "--version"], { encoding: "utf8", timeout: 30_000 });
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.match(outcome.stdout, /^\d+\.\d+\.\d+/);
});
