import assert from "node:assert/strict";
import { linkSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import {
  modelInputFiles,
  parseModelOptions,
  prepareOutputFile,
  refuseOutputOverInput,
  resolveHome,
} from "./common.ts";

test("home: --home, then DISTILLSCOPE_HOME, then ./.distillscope", () => {
  assert.equal(resolveHome({ home: "/tmp/a" }, { DISTILLSCOPE_HOME: "/tmp/b" }), "/tmp/a");
  assert.equal(resolveHome({}, { DISTILLSCOPE_HOME: "/tmp/b" }), "/tmp/b");
  assert.equal(resolveHome({}, {}), resolve(".distillscope"));
});

test("model flags parse to numbers and reject nonsense naming the flag", () => {
  assert.deepEqual(parseModelOptions({ concurrency: "4", timeoutMs: "500", rpm: "60", tpm: "1000" }), {
    concurrency: 4,
    timeoutMs: 500,
    requestsPerMinute: 60,
    tokensPerMinute: 1000,
  });
  assert.throws(
    () => parseModelOptions({ concurrency: "0" }),
    (error: unknown) => error instanceof InputError && /--concurrency/.test(error.message),
  );
  assert.throws(() => parseModelOptions({ baseUrl: "not a url" }), /--base-url/);
  // Parses as a URL of scheme "localhost:", then fails every request: refused before any is sent.
  assert.throws(
    () => parseModelOptions({ baseUrl: "localhost:8000/v1" }),
    (error: unknown) => error instanceof InputError && /--base-url must be a URL/.test(error.message),
  );
  assert.equal(
    parseModelOptions({ baseUrl: "HTTP://127.0.0.1:8000/v1" }).baseUrl,
    "HTTP://127.0.0.1:8000/v1",
  );
});

test("an output that is an input file (same path, symlink, hard link) or another output is refused", () => {
  const folder = mkdtempSync(join(tmpdir(), "common-out-"));
  try {
    const input = join(folder, "in.jsonl");
    writeFileSync(input, "{}\n");
    symlinkSync(input, join(folder, "soft.jsonl"));
    linkSync(input, join(folder, "hard.jsonl"));
    const inputs = [{ flag: "--prompts", path: input }];
    for (const name of ["in.jsonl", "soft.jsonl", "hard.jsonl"])
      assert.throws(
        () => refuseOutputOverInput([{ flag: "--out", path: join(folder, name) }], inputs),
        (error: unknown) =>
          error instanceof InputError && error.message.includes("is the same file as --prompts"),
      );
    assert.doesNotThrow(() =>
      refuseOutputOverInput([{ flag: "--out", path: join(folder, "new.json") }], inputs),
    );
    assert.throws(
      () =>
        refuseOutputOverInput(
          [
            { flag: "--out", path: join(folder, "x.json") },
            { flag: "--md", path: join(folder, "x.json") },
          ],
          [],
        ),
      /--md .*x\.json: is the same file as --out/,
    );
    assert.deepEqual(modelInputFiles("--target", `replay:${input}#m`), [{ flag: "--target", path: input }]);
    assert.deepEqual(modelInputFiles("--target", "openai:gpt-4o"), []);
    assert.deepEqual(modelInputFiles("--target", `replay:${join(folder, "absent")}#m`), []);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("an --out below a file says that the file is a file, not a folder", () => {
  const folder = mkdtempSync(join(tmpdir(), "distillscope-common-"));
  try {
    const file = join(folder, "plain");
    writeFileSync(file, "x");
    assert.throws(() => prepareOutputFile(join(file, "y.json")), {
      name: "InputError",
      message: `--out ${join(file, "y.json")}: ${file} is a file, not a folder; check the path, and that its folder exists and is writable`,
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
