import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const main = join(import.meta.dirname, "main.ts");

test("a closed pipe on stdout (| head -1) ends the command quietly, not with an EPIPE stack trace", async () => {
  // `--help` of every command printed many times over into a pipe whose reader has gone: the first write
  // after the close fails with EPIPE.
  const child = spawn(process.execPath, [main, "lineage", "--help"], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", (exit) => resolve(exit)));
  assert.ok(!stderr.includes("EPIPE") && !stderr.includes("Unhandled"), stderr);
  assert.equal(code, 0, stderr);
});
