import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { writeExampleConfig } from "./init.ts";
import { loadConfig } from "./load.ts";

test("init writes a loadable, commented config with the schema comment and refuses to overwrite", () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-init-"));
  const out = join(directory, "distillscope.yaml");
  writeExampleConfig({ out });
  const text = readFileSync(out, "utf8");
  assert.match(text, /^# yaml-language-server: \$schema=.*distillscope\.schema\.json\n/);
  assert.ok(loadConfig(out).config.targets.length > 0);
  writeFileSync(out, "mine");
  assert.throws(() => writeExampleConfig({ out }), InputError);
  assert.equal(readFileSync(out, "utf8"), "mine");
  writeExampleConfig({ out, force: true });
  assert.notEqual(readFileSync(out, "utf8"), "mine");
});

test("the example's lineage block, uncommented, loads and names 4 candidates (3 get a warning note)", () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-init-"));
  const out = join(directory, "distillscope.yaml");
  writeExampleConfig({ out });
  const text = readFileSync(out, "utf8").replace(/^ {2}# (lineage:| {2}\S)/gm, "  $1");
  assert.match(text, /^ {2}lineage:\n/m, "the lineage block was not found commented out");
  writeFileSync(out, text);
  const lineage = loadConfig(out).config.evaluations.lineage;
  assert.ok(lineage, "no lineage evaluation after uncommenting");
  assert.equal(lineage.corpus, "./alpaca_eval/results");
  assert.equal(lineage.format, undefined, "the format is detected per input unless given");
  assert.equal(lineage.candidates.length, 4);
});
