import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { writeReport } from "./write-report.ts";

test("results that are not paths or objects are an InputError naming the entry, and nothing is written", async () => {
  const directory = join(mkdtempSync(join(tmpdir(), "distillscope-write-report-")), "out");
  const rejects = (results: unknown, message: RegExp) =>
    assert.rejects(
      writeReport({ results: results as never, outputDirectory: directory }),
      (error: unknown) => error instanceof InputError && message.test(error.message),
      String(message),
    );
  await rejects(undefined, /^report: results must be a list of result file paths or result objects$/);
  await rejects("ice.json", /^report: results must be a list/);
  await rejects(
    [null],
    /^result 1: expected a result file path or the object ice, rse or lineage returned, got null$/,
  );
  await rejects(["ice.json", 42], /^result 2: expected a result file path .*got 42$/);
  await rejects([undefined], /^result 1: .*got nothing$/);
  assert.equal(existsSync(directory), false);
});

test("options of the wrong shape are InputErrors naming the option, and nothing is written", async () => {
  const directory = join(mkdtempSync(join(tmpdir(), "distillscope-write-report-")), "out");
  // The options are checked before any result is read, so a path that does not exist is enough here.
  const result = join(directory, "ice.json");
  const rejects = (options: unknown, message: string) =>
    assert.rejects(writeReport(options as never), (error: unknown) => {
      return error instanceof InputError && error.message === message;
    });
  await rejects(
    undefined,
    "writeReport needs an options object { results, outputDirectory | htmlPath | markdownPath }, got nothing",
  );
  const base = { results: [result], outputDirectory: directory };
  await rejects({ ...base, title: 5 }, "title must be text when given, got 5");
  await rejects({ ...base, now: "yesterday" }, 'now must be a valid Date when given, got "yesterday"');
  await rejects(
    { ...base, now: new Date("not a date") },
    "now must be a valid Date when given, got an invalid Date",
  );
  await rejects(
    { ...base, transcripts: "answers.jsonl" },
    'transcripts (--transcript) must be a list, e.g. ["answers.jsonl"], got "answers.jsonl"',
  );
  await rejects({ results: [result], htmlPath: 7 }, "htmlPath (--html) must be a path, got 7");
  assert.equal(existsSync(directory), false);
});
