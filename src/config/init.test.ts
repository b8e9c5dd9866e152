import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { developerRecordOf } from "../identity/custom-developers.ts";
import { declarationsOf } from "./developer-declarations.ts";
import { writeExampleConfig } from "./init.ts";
import { loadConfig } from "./load.ts";
import { configTargetIdentity } from "./target-identity.ts";

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

test("init makes a missing folder on the way, and refuses a folder as --out (even with --force)", () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-init-"));
  const nested = join(directory, "audits", "2026", "distillscope.yaml");
  assert.equal(writeExampleConfig({ out: nested }), nested);
  assert.ok(loadConfig(nested).config.targets.length > 0);
  for (const force of [false, true]) {
    assert.throws(
      () => writeExampleConfig({ out: directory, force }),
      (error: unknown) =>
        error instanceof InputError && /is a folder: give --out a file name/.test(error.message),
    );
  }
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

test("the example's developers block, uncommented, loads; a target without identity then names it", () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-init-"));
  const out = join(directory, "distillscope.yaml");
  writeExampleConfig({ out });
  const text = readFileSync(out, "utf8").replace(/^# (developers:\n(?:# .*\n)+)/m, (block) =>
    block.replace(/^# /gm, ""),
  );
  assert.match(text, /^developers:\n {2}- key: heron /m, "the developers block was not found commented out");
  writeFileSync(out, text.replace("targets:\n", "targets:\n  - id: openai:heron-7b-instruct\n"));
  const { config } = loadConfig(out);
  assert.equal(config.developers[0]?.name, "Heron Labs");
  assert.equal(config.targets[0]?.identity, undefined);
  const identity = configTargetIdentity(
    config.targets[0]!,
    declarationsOf(config.developers).map(developerRecordOf),
  );
  assert.equal(identity.kind === "found" ? identity.match.key : identity.kind, "heron");
});
