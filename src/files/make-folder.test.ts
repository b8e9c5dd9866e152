import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { makeFolder } from "./make-folder.ts";

test("makes every missing folder, and a folder already there is fine", () => {
  const root = mkdtempSync(join(tmpdir(), "distillscope-make-folder-"));
  const deep = join(root, "a", "b", "c");
  makeFolder(deep);
  assert.ok(statSync(deep).isDirectory());
  makeFolder(deep);
  makeFolder(root);
  assert.ok(statSync(deep).isDirectory());
});

test("a file in the way is an error, as with mkdir -p", () => {
  const root = mkdtempSync(join(tmpdir(), "distillscope-make-folder-"));
  const file = join(root, "file");
  writeFileSync(file, "x");
  assert.throws(() => makeFolder(file), { code: "EEXIST" });
  assert.throws(() => makeFolder(join(file, "below")), { code: "ENOTDIR" });
  assert.equal(existsSync(join(file, "below")), false);
});

test("a folder the kernel will not make (/proc/x) is an error at once, not an endless loop", {
  skip: existsSync("/proc/self") ? false : "no /proc on this system",
}, () => {
  // In a child with a time limit: Node's own recursive mkdir spins for ever on this path.
  const module = pathToFileURL(resolve(import.meta.dirname, "make-folder.ts")).href;
  const script = `import { makeFolder } from "${module}";
try { makeFolder("/proc/distillscope-x/y"); console.log("made"); } catch (error) { console.log(error.code); }`;
  const started = Date.now();
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(child.signal, null, "finished within the time limit");
  assert.match(child.stdout.trim(), /^(ENOENT|EACCES|EPERM|EROFS)$/);
  assert.ok(Date.now() - started < 20_000);
});

test("a file in the way is named: '<path> is a file, not a folder'", () => {
  const root = mkdtempSync(join(tmpdir(), "distillscope-make-folder-"));
  const file = join(root, "prompts.jsonl");
  writeFileSync(file, "x");
  assert.throws(() => makeFolder(file), { message: `${file} is a file, not a folder`, path: file });
  assert.throws(() => makeFolder(join(file, "below", "deeper")), {
    message: `${file} is a file, not a folder`,
    path: file,
  });
});
