import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { unlistedFiles } from "./unlisted-files.ts";

test("files and links beside the listed ones, not listed themselves, are named; folders and the manifest are not", () => {
  const folder = mkdtempSync(join(tmpdir(), "distillscope-unlisted-"));
  mkdirSync(join(folder, "results", "deeper"), { recursive: true });
  mkdirSync(join(folder, "elsewhere"));
  for (const path of [
    "manifest.json",
    "report.html",
    "results/ice.json",
    "results/ice-extra.json",
    "notes.txt",
  ])
    writeFileSync(join(folder, path), "x");
  writeFileSync(join(folder, "results", "deeper", "hidden.json"), "x");
  writeFileSync(join(folder, "elsewhere", "other.json"), "x");
  symlinkSync("/etc/hostname", join(folder, "results", "link.json"));
  const inside = ["report.html", "results/ice.json"];
  assert.deepEqual(unlistedFiles(folder, inside, inside, "manifest.json"), [
    "notes.txt",
    "results/ice-extra.json",
    "results/link.json",
  ]);
  assert.deepEqual(unlistedFiles(folder, ["report.html"], ["report.html"], "manifest.json"), ["notes.txt"]);
  // A listed entry verify did not check (a link out) is listed all the same; a link to a folder is layout.
  symlinkSync(join(folder, "elsewhere"), join(folder, "results", "more"));
  assert.deepEqual(unlistedFiles(folder, inside, [...inside, "./results/link.json"], "manifest.json"), [
    "notes.txt",
    "results/ice-extra.json",
  ]);
  // A listed folder that is gone is skipped (its files are already MISSING).
  assert.deepEqual(unlistedFiles(folder, ["gone/ice.json"], ["gone/ice.json"], "manifest.json"), []);
});

test("a listed file's folder that has become a link out of the report folder is not listed (race with verify)", () => {
  const folder = mkdtempSync(join(tmpdir(), "distillscope-unlisted-"));
  const outside = mkdtempSync(join(tmpdir(), "distillscope-outside-"));
  writeFileSync(join(outside, "private-name.txt"), "x");
  writeFileSync(join(folder, "report.html"), "x");
  symlinkSync(outside, join(folder, "results"));
  const inside = ["report.html", "results/ice.json"];
  assert.deepEqual(unlistedFiles(folder, inside, inside, "manifest.json"), []);
});
