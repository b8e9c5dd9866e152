/**
 * `distillscope collect` and `transcripts` end to end: the CLI as a child process (node src/cli/main.ts)
 * against the loopback mock provider server, with a real store on disk.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { ChatMessage } from "../../models/types.ts";
import { openStore } from "../../store/store.ts";
import { closedPort } from "../../testing/closed-port.ts";
import {
  type MockProviderServer,
  promptKey,
  startMockProviderServer,
} from "../../testing/mock-provider-server.ts";

const cliPath = join(import.meta.dirname, "../main.ts");
const scratch = mkdtempSync(join(tmpdir(), "distillscope-collect-cli-"));
const apiKey = "sk-dscope-TESTKEY-7f3a9c1e5b2d4f60";
const wrongKey = "sk-dscope-WRONGKEY-0b1c2d3e4f5a6978";
let server: MockProviderServer;
let directory = 0;

function trueAnswer(messages: readonly ChatMessage[]): string {
  const text = messages.map((message) => `${message.role}:${message.content}`).join("\n");
  return `true answer ${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
}

before(async () => {
  server = await startMockProviderServer({ apiKey, respond: (input) => trueAnswer(input.messages) });
});
after(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

function freshDirectory(): string {
  directory++;
  return join(scratch, `case-${directory}`);
}

function writePrompts(path: string, count: number): void {
  const lines = Array.from({ length: count }, (_, index) =>
    JSON.stringify({ id: `p${index}`, prompt: `prompt ${index}` }),
  );
  writeFileSync(path, `${lines.join("\n")}\n`);
}

interface CliResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function startCli(
  args: readonly string[],
  environment: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: {
      PATH: process.env.PATH,
      CI: "true",
      ...(process.env.NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.NODE_OPTIONS }),
      ...environment,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

function runCli(args: readonly string[], environment: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, environment).done;
}

function collectArgs(home: string, prompts: string, out: string, extra: readonly string[] = []): string[] {
  return [
    "--home",
    home,
    "collect",
    "--target",
    "openai:test-model",
    "--base-url",
    server.openaiBaseUrl,
    "--prompts",
    prompts,
    "--out",
    out,
    ...extra,
  ];
}

function readLines(
  path: string,
): Array<{ id: string; sample: number; response: string; cached: boolean; messages: ChatMessage[] }> {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}

test("collect writes one line per prompt, then re-uses the store; the key is nowhere", async () => {
  const base = freshDirectory();
  const home = join(base, "home");
  const prompts = join(scratch, `prompts-${directory}.jsonl`);
  const out = join(scratch, `out-${directory}.jsonl`);
  writePrompts(prompts, 30);
  const first = await runCli(collectArgs(home, prompts, out, ["--concurrency", "4"]), {
    OPENAI_API_KEY: apiKey,
  });
  assert.equal(first.code, 0, first.stderr);
  const lines = readLines(out);
  assert.deepEqual(
    lines.map((line) => line.id),
    Array.from({ length: 30 }, (_, index) => `p${index}`),
  );
  assert.equal(lines[7]?.response, trueAnswer([{ role: "user", content: "prompt 7" }]));
  const requestsBefore = server.stats().requests;
  const second = await runCli(collectArgs(home, prompts, out), { OPENAI_API_KEY: apiKey });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(server.stats().requests, requestsBefore, "the second run asks the server nothing");
  assert.ok(readLines(out).every((line) => line.cached));

  const unauthorised = await runCli(collectArgs(join(base, "home-401"), prompts, join(base, "401.jsonl")), {
    OPENAI_API_KEY: wrongKey,
  });
  assert.equal(unauthorised.code, 2, unauthorised.stderr);
  assert.match(unauthorised.stderr, /OPENAI_API_KEY/);
  assert.doesNotMatch(unauthorised.stderr, /\n\s+at /, "no stack trace without --debug");

  const exported = join(base, "export.jsonl");
  const exportRun = await runCli(["--home", home, "transcripts", "export", "--out", exported]);
  assert.equal(exportRun.code, 0, exportRun.stderr);
  assert.equal(readLines(exported).length, 30);

  const places = [out, exported, join(home, "distillscope.sqlite"), join(home, "distillscope.sqlite-wal")];
  assert.ok(
    existsSync(join(home, "distillscope.sqlite")),
    "the store is among the files scanned for the key",
  );
  const haystacks = [
    ...places.filter((path) => existsSync(path)).map((path) => readFileSync(path).toString("latin1")),
    first.stdout,
    first.stderr,
    second.stdout,
    second.stderr,
    unauthorised.stdout,
    unauthorised.stderr,
    ...[join(base, "home-401", "distillscope.sqlite"), join(base, "home-401", "distillscope.sqlite-wal")]
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path).toString("latin1")),
  ];
  for (const haystack of haystacks) {
    assert.ok(!haystack.includes(apiKey), "the API key leaked");
    assert.ok(!haystack.includes(wrongKey), "the wrong API key leaked");
    assert.ok(!haystack.includes("TESTKEY") && !haystack.includes("WRONGKEY"), "part of a key leaked");
  }
});

test("bad prompt files: one line naming file and line, exit 2", async () => {
  const home = join(freshDirectory(), "home");
  const cases: Array<[string, RegExp]> = [
    ['{"id":"a","prompt":"x"}\n{"id":"b",\n', /^distillscope: prompts\.jsonl:2: bad JSON/],
    ['{"prompt":"x"}\n', /^distillscope: prompts\.jsonl:1: missing "id"/],
    [
      '{"id":"a","prompt":"x"}\n{"id":"a","prompt":"y"}\n',
      /^distillscope: prompts\.jsonl:2: duplicate id "a"/,
    ],
    ["", /^distillscope: prompts\.jsonl:1: the file has no prompts/],
  ];
  for (const [text, pattern] of cases) {
    const folder = freshDirectory();
    mkdirSync(folder, { recursive: true });
    const prompts = join(folder, "prompts.jsonl");
    writeFileSync(prompts, text);
    const result = await runCli(collectArgs(home, prompts, join(folder, "out.jsonl")), {
      OPENAI_API_KEY: apiKey,
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, pattern);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  }
});

test("unknown provider and missing key exit 2 with one line", async () => {
  const home = join(freshDirectory(), "home");
  const prompts = join(scratch, `prompts-${directory}.jsonl`);
  writePrompts(prompts, 2);
  const unknown = await runCli([
    "--home",
    home,
    "collect",
    "--target",
    "nosuch:model",
    "--prompts",
    prompts,
    "--out",
    join(scratch, "x.jsonl"),
  ]);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.equal(unknown.stderr.trim().split("\n").length, 1, unknown.stderr);
  const missing = await runCli(collectArgs(home, prompts, join(scratch, "y.jsonl")));
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /OPENAI_API_KEY/);
});

test("an unreachable base URL exits 3 quickly; an unwritable home exits 2 naming it", async () => {
  const base = freshDirectory();
  const prompts = join(scratch, `prompts-${directory}.jsonl`);
  writePrompts(prompts, 20);
  const unusedPort = await closedPort();
  const started = Date.now();
  const unreachable = await runCli(
    [
      "--home",
      join(base, "home"),
      "collect",
      "--target",
      "openai:test-model",
      "--base-url",
      `http://127.0.0.1:${unusedPort}/v1`,
      "--prompts",
      prompts,
      "--out",
      join(scratch, "z.jsonl"),
    ],
    { OPENAI_API_KEY: apiKey },
  );
  assert.equal(unreachable.code, 3, unreachable.stderr);
  assert.match(unreachable.stderr, new RegExp(`cannot reach 127\\.0\\.0\\.1:${unusedPort}`));
  // One line that says each thing once: the model id, the endpoint and the fix.
  const errorLine = unreachable.stderr.trim().split("\n").at(-1) ?? "";
  assert.equal(errorLine.split("openai:test-model").length - 1, 1, errorLine);
  assert.equal(errorLine.split("cannot reach").length - 1, 1, errorLine);
  // The base URL came from --base-url, which wins over OPENAI_BASE_URL: only the flag is the fix.
  assert.match(errorLine, /check --base-url \(and that the server is running\)$/);
  assert.ok(Date.now() - started < 20_000, "fails within seconds, not after every prompt's retries");

  const file = join(scratch, `not-a-directory-${directory}`);
  writeFileSync(file, "x");
  const readOnly = await runCli(collectArgs(join(file, "home"), prompts, join(scratch, "w.jsonl")), {
    OPENAI_API_KEY: apiKey,
  });
  assert.equal(readOnly.code, 2, readOnly.stderr);
  assert.ok(readOnly.stderr.includes(join(file, "home")), readOnly.stderr);
});

test("under 500s, 429s, hangs, truncated bodies and resets every prompt is answered once, truly", async () => {
  const faulty = await startMockProviderServer({
    apiKey,
    seed: 3,
    respond: (input) => trueAnswer(input.messages),
    faults: {
      serverErrorRate: 0.1,
      rateLimitRate: 0.1,
      rateLimitRetryAfterMs: 50,
      hangRate: 0.03,
      truncatedRate: 0.02,
      resetRate: 0.02,
    },
  });
  try {
    const base = freshDirectory();
    const prompts = join(scratch, `prompts-${directory}.jsonl`);
    const out = join(base, "out.jsonl");
    writePrompts(prompts, 150);
    const args = collectArgs(join(base, "home"), prompts, out, [
      "--concurrency",
      "16",
      "--timeout-ms",
      "1500",
    ]);
    args[args.indexOf(server.openaiBaseUrl)] = faulty.openaiBaseUrl;
    const result = await runCli(args, { OPENAI_API_KEY: apiKey });
    assert.equal(result.code, 0, result.stderr);
    const lines = readLines(out);
    assert.equal(lines.length, 150);
    assert.equal(new Set(lines.map((line) => line.id)).size, 150);
    for (const line of lines) assert.equal(line.response, trueAnswer(line.messages));
    assert.ok(faulty.stats().requests > 150, "faults were injected");
  } finally {
    await faulty.close();
  }
});

test("a 429 storm that outlasts the retries: exit 3, answers kept, and the fix is the pace", async () => {
  const limited = await startMockProviderServer({
    apiKey,
    respond: (input) => trueAnswer(input.messages),
    faults: { rateLimitRate: 1, rateLimitRetryAfterMs: 1, rateLimitHeader: "ms" },
  });
  try {
    const base = freshDirectory();
    const prompts = join(scratch, `prompts-${directory}.jsonl`);
    writePrompts(prompts, 2);
    const args = collectArgs(join(base, "home"), prompts, join(base, "out.jsonl"));
    args[args.indexOf(server.openaiBaseUrl)] = limited.openaiBaseUrl;
    const result = await runCli(args, { OPENAI_API_KEY: apiKey });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /failed: p0 sample 0: rate_limited: /);
    assert.match(
      result.stderr,
      /distillscope: 2 of 2 requests failed after retries; .*; all of them kept getting 429 \(rate limited\): lower --concurrency or set --rpm/,
    );
  } finally {
    await limited.close();
  }
});

test("SIGKILL mid-run, then the same command: nothing lost, nothing duplicated, nothing stored asked again", async () => {
  const slow = await startMockProviderServer({
    apiKey,
    latencyMs: 25,
    respond: (input) => trueAnswer(input.messages),
  });
  try {
    const base = freshDirectory();
    const home = join(base, "home");
    const prompts = join(scratch, `prompts-${directory}.jsonl`);
    const out = join(base, "out.jsonl");
    writePrompts(prompts, 300);
    const args = collectArgs(home, prompts, out, ["--concurrency", "8"]);
    args[args.indexOf(server.openaiBaseUrl)] = slow.openaiBaseUrl;
    const first = startCli(args, { OPENAI_API_KEY: apiKey });
    let exited = false;
    void first.done.then(() => {
      exited = true;
    });
    const deadline = Date.now() + 60_000;
    while (slow.stats().requests < 100 && !exited && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(exited, false, "the first run ended before it could be killed");
    first.child.kill("SIGKILL");
    assert.equal((await first.done).signal, "SIGKILL");
    const store = openStore(home);
    const stored = [...store.answers()].map((answer) => answer.messages);
    store.close();
    assert.ok(stored.length > 0);

    const second = await runCli(args, { OPENAI_API_KEY: apiKey });
    assert.equal(second.code, 0, second.stderr);
    const lines = readLines(out);
    assert.equal(lines.length, 300);
    assert.equal(new Set(lines.map((line) => line.id)).size, 300);
    for (const line of lines) assert.equal(line.response, trueAnswer(line.messages));
    const successes = slow.stats().successfulByPrompt;
    for (const messages of stored)
      assert.equal(
        successes.get(promptKey("test-model", messages)),
        1,
        `"${messages.at(-1)?.content}" was asked again`,
      );
    const after = openStore(home);
    assert.equal(after.counts().answers, 300);
    assert.equal(after.integrityCheck(), "ok");
    after.close();
  } finally {
    await slow.close();
  }
});

test("--out naming a folder exits 2 at the start, before any request", async () => {
  const base = freshDirectory();
  const prompts = join(scratch, `prompts-${directory}.jsonl`);
  writePrompts(prompts, 5);
  const folder = join(base, "outdir");
  mkdirSync(folder, { recursive: true });
  const requestsBefore = server.stats().requests;
  const result = await runCli(collectArgs(join(base, "home"), prompts, folder), { OPENAI_API_KEY: apiKey });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /^distillscope: --out .*outdir: is a folder/);
  assert.equal(server.stats().requests, requestsBefore, "no request was sent");
});

test("--out that is the prompt file or a replayed transcript exits 2 before any request, files untouched", async () => {
  const base = freshDirectory();
  mkdirSync(base, { recursive: true });
  const prompts = join(base, "prompts.jsonl");
  writePrompts(prompts, 3);
  const before = readFileSync(prompts, "utf8");
  const link = join(base, "link.jsonl");
  symlinkSync(prompts, link);
  const requestsBefore = server.stats().requests;
  for (const out of [prompts, join(base, "sub", "..", "prompts.jsonl"), link]) {
    const result = await runCli(collectArgs(join(base, "home"), prompts, out), { OPENAI_API_KEY: apiKey });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.match(
      result.stderr,
      /^distillscope: --out .*: is the same file as --prompts .*prompts\.jsonl, which writing --out would replace; give --out another file/,
    );
  }
  assert.equal(server.stats().requests, requestsBefore, "no request was sent");
  assert.equal(readFileSync(prompts, "utf8"), before, "the prompt file is unchanged");

  const transcript = join(base, "recorded.jsonl");
  writeFileSync(transcript, `${JSON.stringify({ model: "m", messages: [], response: "r" })}\n`);
  const recorded = readFileSync(transcript, "utf8");
  const replayed = await runCli([
    "--home",
    join(base, "home"),
    "collect",
    "--target",
    `replay:${transcript}#m`,
    "--prompts",
    prompts,
    "--out",
    transcript,
  ]);
  assert.equal(replayed.code, 2, replayed.stderr);
  assert.match(replayed.stderr, /--out .*recorded\.jsonl: is the same file as --target .*recorded\.jsonl/);
  assert.equal(readFileSync(transcript, "utf8"), recorded);
});

test("replay: of a file holding several models, without #model, exits 2 naming the models", async () => {
  const base = freshDirectory();
  mkdirSync(base, { recursive: true });
  const prompts = join(base, "prompts.jsonl");
  writePrompts(prompts, 2);
  const recorded = ["openai:gpt-4o-mini", "openai:qwen2.5-7b-instruct", "openai:my-model"].flatMap((model) =>
    [0, 1].map((index) =>
      JSON.stringify({
        id: `p${index}`,
        model,
        messages: [{ role: "user", content: `prompt ${index}` }],
        response: `${model} answer ${index}`,
      }),
    ),
  );
  const all = join(base, "all.jsonl");
  writeFileSync(all, `${recorded.join("\n")}\n`);
  const out = join(base, "r.jsonl");
  const result = await runCli([
    "--home",
    join(base, "home"),
    "collect",
    "--target",
    `replay:${all}`,
    "--prompts",
    prompts,
    "--out",
    out,
  ]);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  assert.match(
    result.stderr,
    /^distillscope: replay:.*all\.jsonl: the file holds 3 models \(openai:gpt-4o-mini, openai:my-model, openai:qwen2\.5-7b-instruct\); add #<model> to --target, e\.g\. replay:.*all\.jsonl#openai:gpt-4o-mini$/m,
  );
});
