import assert from "node:assert/strict";
import { test } from "node:test";
import type { EngineEvent, EngineStats } from "../engine/types.ts";
import { captureStream } from "../testing/capture-stream.ts";
import { interruptSignal } from "./common.ts";
import { createProgressReporter, progressLine } from "./progress.ts";

const stats: EngineStats = {
  total: 3,
  done: 0,
  answered: 0,
  cached: 0,
  failed: 0,
  retries: 0,
  rateLimited: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  elapsedMs: 0,
};

const events: EngineEvent[] = [
  {
    type: "answer",
    id: "a",
    sample: 0,
    cached: false,
    usage: { inputTokens: 100, outputTokens: 20 },
    costUsd: 0.5,
    stats,
  },
  {
    type: "retry",
    id: "b",
    sample: 0,
    attempt: 1,
    errorClass: "rate_limited",
    message: "429",
    delayMs: 10,
    stats,
  },
  { type: "answer", id: "b", sample: 0, cached: true, usage: { inputTokens: 1, outputTokens: 1 }, stats },
  { type: "failure", id: "c", sample: 0, error: { ok: false, errorClass: "refused", message: "no" }, stats },
];

/** Feeds every event to a plain (non-terminal) reporter printing at every event, then stops it. */
function plainRun(): { text: string; lines: string[] } {
  const capture = captureStream(false);
  const reporter = createProgressReporter({
    label: "collect",
    total: 3,
    quiet: false,
    stream: capture.stream,
    intervalSeconds: 0,
  });
  for (const event of events) reporter.onEvent(event);
  reporter.stop();
  return { text: capture.text(), lines: capture.text().trim().split("\n") };
}

test("plain lines off a terminal carry done/total, rate, ETA, tokens, cost, retries", () => {
  const { lines } = plainRun();
  const last = lines.at(-1) ?? "";
  assert.match(
    last,
    /^collect: 3\/3 \(100\.0%\) [\d.]+\/s eta 0s tokens 120 cost \$0\.5000 retries 1 cached 1 failed 1$/,
  );
});

test("the closing plain line is not a repeat of the last periodic one", () => {
  const { text, lines } = plainRun();
  // One periodic line per event (interval 0), and no closing line: nothing changed after the last one.
  assert.equal(lines.length, events.length, text);
  assert.match(lines.at(-1) ?? "", /^collect: 3\/3 /);
  assert.equal(lines.filter((line) => line.startsWith("collect: 3/3 ")).length, 1, text);
});

test("CI=true forces plain lines even on a terminal", () => {
  const capture = captureStream(true);
  const reporter = createProgressReporter({
    label: "collect",
    total: 3,
    quiet: false,
    stream: capture.stream,
    environment: { CI: "true" },
  });
  reporter.onEvent(events[0]!);
  reporter.stop();
  assert.match(capture.text(), /^collect: 1\/3/);
});

test("--quiet prints nothing", () => {
  const capture = captureStream(false);
  const reporter = createProgressReporter({
    label: "collect",
    total: 3,
    quiet: true,
    stream: capture.stream,
    intervalSeconds: 0,
  });
  for (const event of events) reporter.onEvent(event);
  reporter.stop();
  assert.equal(capture.text(), "");
});

test("the progress line estimates the time left from the rate", () => {
  const line = progressLine("x", {
    done: 50,
    total: 150,
    cached: 0,
    failed: 0,
    retries: 0,
    tokens: 12_345,
    costUsd: 0,
    elapsedSeconds: 10,
  });
  assert.match(line, /50\/150 \(33\.3%\) 5\.0\/s eta 20s tokens 12k/);
});

test("Ctrl-C on a terminal: the bar ends its line before the interrupt message and is not drawn again", () => {
  const capture = captureStream(true);
  const reporter = createProgressReporter({
    label: "collect",
    total: 3,
    quiet: false,
    stream: capture.stream,
    environment: {},
  });
  reporter.onEvent(events[0]!);
  const interrupt = interruptSignal();
  const writeToStderr = process.stderr.write;
  process.stderr.write = ((chunk: string) => capture.stream.write(chunk)) as typeof process.stderr.write;
  try {
    process.emit("SIGINT");
  } finally {
    process.stderr.write = writeToStderr;
    interrupt.dispose();
  }
  assert.equal(interrupt.signal.aborted, true);
  const afterMessage = capture.text().length;
  reporter.onEvent(events[2]!);
  reporter.stop();
  const text = capture.text();
  assert.match(text, /collect \[.*\n(?:.*)?distillscope: interrupted, stopping/s);
  const message = text.indexOf("distillscope: interrupted");
  assert.equal(text[message - 1], "\n", `message on its own line: ${JSON.stringify(text.slice(-200))}`);
  assert.equal(text.length, afterMessage, "nothing drawn after the message");
});

test("the cost of answers with no known price is shown as unknown, not as $0", () => {
  const unpriced = (id: string): EngineEvent => ({
    type: "answer",
    id,
    sample: 0,
    cached: false,
    usage: { inputTokens: 10, outputTokens: 5 },
    stats,
  });
  const lastLine = (feed: EngineEvent[]): string => {
    const capture = captureStream(false);
    const reporter = createProgressReporter({
      label: "answers",
      total: feed.length,
      quiet: false,
      stream: capture.stream,
      intervalSeconds: 0,
    });
    for (const event of feed) reporter.onEvent(event);
    reporter.stop();
    return capture.text().trim().split("\n").at(-1) ?? "";
  };
  assert.match(lastLine([unpriced("a"), unpriced("b")]), / tokens 30 cost \? retries 0 /);
  assert.match(lastLine([events[0]!, unpriced("b")]), / cost \$0\.5000\+\? retries /);
  // A cached answer costs nothing now, priced or not.
  assert.match(lastLine([events[0]!, events[2]!]), / cost \$0\.5000 retries /);
});

test("a finish event after the last periodic line does not make the closing line a repeat", () => {
  const capture = captureStream(false);
  const reporter = createProgressReporter({
    label: "collect",
    total: 3,
    quiet: false,
    stream: capture.stream,
    intervalSeconds: 0,
  });
  for (const event of events) reporter.onEvent(event);
  reporter.onEvent({ type: "finish", stats });
  reporter.stop();
  const lines = capture.text().trim().split("\n");
  assert.equal(lines.filter((line) => line.startsWith("collect: 3/3 ")).length, 1, capture.text());
});

test("the bar on a terminal says eta ? before the first answer, never cli-progress's NF or a false 0s", () => {
  const capture = captureStream(true);
  const reporter = createProgressReporter({
    label: "collect",
    total: 3,
    quiet: false,
    stream: capture.stream,
    environment: {},
  });
  reporter.onEvent({ type: "start", stats });
  reporter.stop();
  const text = capture.text();
  assert.match(text, /0\/3 0\.0\/s eta \? tokens/);
  assert.doesNotMatch(text, /NF|eta 0s/);
});
