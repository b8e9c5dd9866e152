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
