import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { hashInsideFolder } from "./hash-inside-folder.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A report folder beside an outside folder holding a file verify must never read. */
function folders() {
  const root = mkdtempSync(join(tmpdir(), "distillscope-inside-"));
  const outside = join(root, "outside");
  const folder = join(root, "report");
  mkdirSync(outside);
  mkdirSync(folder);
  writeFileSync(join(outside, "private.txt"), "outside secret");
  writeFileSync(join(folder, "result.json"), "inside result");
  return { root, outside, folder };
}

test("a regular file inside the folder is hashed from the handle that was checked", async () => {
  const { folder } = folders();
  assert.deepEqual(await hashInsideFolder(folder, "result.json"), { sha256: sha256("inside result") });
  assert.deepEqual(await hashInsideFolder(folder, "absent.json"), { missing: true });
  assert.deepEqual(await hashInsideFolder(folder, "result.json/below"), { missing: true });
});

test("a symbolic link in place of a listed file that leads out of the folder is not read", async () => {
  const { outside, folder } = folders();
  symlinkSync(join(outside, "private.txt"), join(folder, "swapped.json"));
  symlinkSync("../outside/private.txt", join(folder, "relative.json"));
  assert.deepEqual(await hashInsideFolder(folder, "swapped.json"), { outside: "link" });
  assert.deepEqual(await hashInsideFolder(folder, "relative.json"), { outside: "link" });
});

test("a symbolic link to a file inside the folder is read at its real path", async () => {
  const { folder } = folders();
  symlinkSync("result.json", join(folder, "latest.json"));
  assert.deepEqual(await hashInsideFolder(folder, "latest.json"), { sha256: sha256("inside result") });
});

test("a parent folder that is a symbolic link out of the report folder is not read through", async () => {
  const { outside, folder } = folders();
  symlinkSync(outside, join(folder, "results"));
  assert.deepEqual(await hashInsideFolder(folder, "results/private.txt"), { outside: "link" });
  // The report folder itself may be reached through a link: its real path is what counts.
  const { root, folder: real } = folders();
  symlinkSync(real, join(root, "alias"));
  assert.deepEqual(await hashInsideFolder(join(root, "alias"), "result.json"), {
    sha256: sha256("inside result"),
  });
});

test("a folder, a FIFO or a link loop in a file's place is missing, and the FIFO does not block", async () => {
  const { folder } = folders();
  mkdirSync(join(folder, "directory.json"));
  symlinkSync("loop.json", join(folder, "loop.json"));
  assert.deepEqual(await hashInsideFolder(folder, "directory.json"), { missing: true });
  assert.deepEqual(await hashInsideFolder(folder, "loop.json"), { missing: true });
  if (process.platform !== "win32") {
    execFileSync("mkfifo", [join(folder, "fifo.json")]);
    assert.deepEqual(await hashInsideFolder(folder, "fifo.json"), { missing: true });
  }
});
