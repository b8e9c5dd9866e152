import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loopbackAnswerFor, respondWithKnownMix } from "../../ice/run-loopback-fixture.ts";
import { interruptAfterRequests } from "../../testing/interrupt-cli.ts";
import { type MockProviderServer, startMockProviderServer } from "../../testing/mock-provider-server.ts";
import { type CliRun, spawnCli } from "../../testing/spawn-cli.ts";
import { summaryTable } from "./ice-summary.ts";

let server: MockProviderServer;
const folder = mkdtempSync(join(tmpdir(), "distillscope-ice-run-cli-"));

before(async () => {
  server = await startMockProviderServer({ respond: respondWithKnownMix, apiKey: "cli-key" });
});

after(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

function cli(args: string[]): Promise<CliRun> {
  return spawnCli(args, { OPENAI_API_KEY: "cli-key", DISTILLSCOPE_HOME: join(folder, "home") });
}

test("ice run writes an ICE result with the contract's fields and keeps the budget", async () => {
  const out = join(folder, "result.json");
  const before = server.stats().requests;
  const run = await cli([
    "ice",
    "run",
    "--target",
    "openai:deepseek-chat",
    "--base-url",
    server.openaiBaseUrl,
    "--budget",
    "45",
    "--questions",
    "10",
    "--seed",
    "4",
    "--out",
    out,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(server.stats().requests - before <= 45);
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(result.kind, "ice");
  assert.equal(typeof result.schemaVersion, "number");
  assert.equal(result.identity, "deepseek");
  assert.equal(result.n, 45);
  for (const metric of ["loose", "strict", "hard"]) {
    assert.equal(typeof result.scores[metric], "number");
    assert.ok(result.intervals[metric] !== undefined);
  }
  result.items.forEach((item: Record<string, unknown>, position: number) => {
    assert.equal(item.index, position);
    for (const field of ["template", "query", "response"]) assert.equal(typeof item[field], "string");
    for (const field of ["loose", "strict", "hard"]) assert.equal(typeof item[field], "boolean");
    assert.ok(Array.isArray(item.claims));
    assert.ok(loopbackAnswerFor(item.response as string) !== undefined);
  });
  assert.equal(result.search.queriesUsed, 45);
  assert.ok(result.search.steps.length >= 3);
  // The same table as `ice judge`, intervals included (a written NaN reads back as null: "n/a" either way).
  // The identity it was not given comes first, with where it came from.
  assert.match(
    run.stdout,
    /^identity: deepseek \(from the target id: "deepseek", a registry developer\)\nice run openai:deepseek-chat: 45 target queries, \d+ helper calls\n\n/,
  );
  assert.ok(run.stdout.endsWith(summaryTable(result, out)), run.stdout);
  assert.match(run.stdout, /score {3}rate {5}95% CI \(templates resampled\)/);
});

test("ice run prints n/a, not NaN, and exits 3 when the LLM judge fails on every answer", async () => {
  // The loopback server answers the judge with identity text and never with a verdict tag.
  const run = await cli([
    "ice",
    "run",
    "--target",
    "openai:deepseek-chat",
    "--base-url",
    server.openaiBaseUrl,
    "--judge",
    "openai:judge-model",
    "--judge-base-url",
    server.openaiBaseUrl,
    "--budget",
    "6",
    "--questions",
    "3",
    "--out",
    join(folder, "judge-failed.json"),
  ]);
  assert.equal(run.code, 3, run.stderr);
  assert.doesNotMatch(run.stdout, /NaN/);
  assert.match(run.stdout, /: 0 answers judged, 6 judge errors \(not scored\)/);
  for (const metric of ["loose", "strict", "hard"])
    assert.match(run.stdout, new RegExp(`\\n  ${metric} +n/a `));
  // Progress lines (stderr off a terminal) come first; the error is one line, the last.
  const errorLines = run.stderr.split("\n").filter((line) => line.startsWith("distillscope:"));
  assert.equal(errorLines.length, 1, run.stderr);
  assert.match(errorLines[0]!, /judge openai:judge-model gave no usable verdict for any of 6 answers/);
  const written = JSON.parse(readFileSync(join(folder, "judge-failed.json"), "utf8")) as {
    judgeErrors: number;
  };
  assert.equal(written.judgeErrors, 6, "the result with every judge error is kept");
});

test("ice run exits 3 naming the target when it answered none of its queries; the result is kept", async () => {
  // Every answer stopped by the content filter: recorded as refused, never retried, never an answer.
  const refusing = await startMockProviderServer({ apiKey: "cli-key", faults: { contentFilterRate: 1 } });
  const out = join(folder, "target-silent.json");
  try {
    const run = await cli([
      "ice",
      "run",
      "--target",
      "openai:deepseek-chat",
      "--base-url",
      refusing.openaiBaseUrl,
      "--budget",
      "4",
      "--questions",
      "2",
      "--out",
      out,
    ]);
    assert.equal(run.code, 3, run.stderr);
    const errorLines = run.stderr.split("\n").filter((line) => line.startsWith("distillscope:"));
    assert.equal(errorLines.length, 1, run.stderr);
    assert.match(
      errorLines[0]!,
      /target openai:deepseek-chat answered none of its 4 queries \(first: refused: .*\), so nothing was measured/,
    );
    const written = JSON.parse(readFileSync(out, "utf8")) as { n: number; failures: unknown[] };
    assert.equal(written.n, 0);
    assert.equal(written.failures.length, 4, "the result with every failure is kept");
  } finally {
    await refusing.close();
  }
});

test("ice run against an unreachable server exits 3 with one line on stderr (no progress line)", async () => {
  const run = await cli([
    "ice",
    "run",
    "--target",
    "openai:deepseek-chat",
    "--base-url",
    "http://127.0.0.1:1/v1",
    "--budget",
    "5",
    "--out",
    join(folder, "unreachable.json"),
  ]);
  assert.equal(run.code, 3);
  assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
  assert.match(run.stderr, /^distillscope: openai:deepseek-chat: cannot reach 127\.0\.0\.1:1/);
});

test("ice run exits 2 on an unknown identity, an unclear target or a bad flag", async () => {
  const out = join(folder, "never.json");
  const base = ["ice", "run", "--base-url", server.openaiBaseUrl, "--out", out];
  const unknown = await cli([...base, "--target", "openai:deepseek-chat", "--identity", "nobody-ai"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /identity \(--identity\) "nobody-ai"/);
  const unclear = await cli([...base, "--target", "openai:my-finetune"]);
  assert.equal(unclear.code, 2);
  assert.match(unclear.stderr, /--identity is needed/);
  const budget = await cli([...base, "--target", "openai:deepseek-chat", "--budget", "-5"]);
  assert.equal(budget.code, 2);
  assert.match(budget.stderr, /--budget/);
  const languages = await cli([...base, "--target", "openai:deepseek-chat", "--languages", "en,fr"]);
  assert.equal(languages.code, 2);
  assert.match(languages.stderr, /--languages/);
  const templates = await cli([...base, "--target", "openai:deepseek-chat", "--template-languages", "fr"]);
  assert.equal(templates.code, 2);
  assert.match(templates.stderr, /--template-languages: "fr" has no templates/);
});

test("Ctrl-C on ice run: a message, the count of stored answers of the whole run, exit 3", async () => {
  const slow = await startMockProviderServer({
    respond: respondWithKnownMix,
    apiKey: "cli-key",
    latencyMs: 20,
  });
  try {
    // Past the first search iterations (50 questions each), so that the count must span several.
    const { code, stderr } = await interruptAfterRequests(
      [
        "ice",
        "run",
        "--target",
        "openai:deepseek-chat",
        "--base-url",
        slow.openaiBaseUrl,
        "--budget",
        "1000",
        "--concurrency",
        "4",
        "--out",
        join(folder, "interrupted.json"),
      ],
      { ...process.env, OPENAI_API_KEY: "cli-key", DISTILLSCOPE_HOME: join(folder, "home-int"), CI: "true" },
      slow,
      120,
    );
    assert.equal(code, 3, stderr);
    assert.match(stderr, /distillscope: interrupted, stopping \(stored answers are kept\)/);
    const counted =
      /interrupted: (\d+) of at most 1000 target answers are stored; run the same command again/.exec(stderr);
    assert.ok(counted, stderr);
    assert.ok(Number(counted[1]) >= 100, `counts the whole run, not one iteration: ${counted[1]}`);
    assert.throws(() => readFileSync(join(folder, "interrupted.json")), /ENOENT/, "no result on Ctrl-C");
  } finally {
    await slow.close();
  }
});
