import assert from "node:assert/strict";
import { test } from "node:test";
import { captureStream } from "../testing/capture-stream.ts";
import { countLine, createCountProgress } from "./count-progress.ts";

test("plain lines name the label, count, unit and share", () => {
  assert.equal(
    countLine("similarity", "prompts", 201, 804, 3.26),
    "similarity: 201/804 prompts (25.0%) 3.3 s",
  );
});

test("without a terminal: one line per interval, none for a computation shorter than one", () => {
  const slow = captureStream(false);
  const progress = createCountProgress({
    label: "similarity",
    unit: "prompts",
    total: 10,
    quiet: false,
    stream: slow.stream,
    intervalSeconds: 0,
    environment: {},
  });
  progress.update(4);
  progress.update(10);
  progress.stop();
  const lines = slow.text().trim().split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^similarity: 4\/10 prompts \(40\.0%\)/);
  assert.match(lines[2]!, /^similarity: 10\/10 prompts \(100\.0%\)/);

  const fast = captureStream(false);
  const quick = createCountProgress({
    label: "similarity",
    unit: "prompts",
    total: 10,
    quiet: false,
    stream: fast.stream,
    environment: {},
  });
  quick.update(10);
  quick.stop();
  assert.equal(fast.text(), "");
});

test("on a terminal a bar is drawn and ends its line; quiet draws nothing", () => {
  const terminal = captureStream(true);
  const progress = createCountProgress({
    label: "similarity",
    unit: "prompts",
    total: 8,
    quiet: false,
    stream: terminal.stream,
    environment: {},
  });
  progress.update(8);
  progress.stop();
  assert.match(terminal.text(), /similarity \[.*\] 8\/8 prompts/);
  assert.ok(terminal.text().endsWith("\n"));

  const silent = captureStream(true);
  const quiet = createCountProgress({ label: "x", unit: "y", total: 2, quiet: true, stream: silent.stream });
  quiet.update(2);
  quiet.stop();
  assert.equal(silent.text(), "");
});
