/**
 * Two OpenAI-compatible gateways on one host and port, under different paths, answer differently: the
 * CLI (`collect`, `transcripts export|import`) as a child process against a loopback server, one store.
 * They must never share cached answers; transcripts keep their endpoint through an export and import;
 * a transcript exported before paths counted (endpoint = host and port) still answers the usual root.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

const cliPath = join(import.meta.dirname, "../main.ts");
const scratch = mkdtempSync(join(tmpdir(), "distillscope-endpoint-paths-"));
const apiKey = "sk-dscope-PATHS-5e1f0a9b3c7d2e84";
/** The routes the server answers, each with its own answers; requests counted per route. */
const routes = new Map([
  ["/team-a/v1/chat/completions", "team-a"],
  ["/team-b/v1/chat/completions", "team-b"],
  ["/v1/chat/completions", "root"],
]);
const requests = new Map<string, number>();
let server: Server;
let origin = "";

function answer(request: IncomingMessage, response: ServerResponse): void {
  let body = "";
  request.on("data", (chunk: Buffer) => {
    body += chunk.toString();
  });
  request.on("end", () => {
    const path = new URL(request.url ?? "/", "http://loopback").pathname;
    const team = routes.get(path);
    if (
      request.method !== "POST" ||
      team === undefined ||
      request.headers.authorization !== `Bearer ${apiKey}`
    ) {
      response.writeHead(team === undefined ? 404 : 401, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: `no route ${path}` } }));
      return;
    }
    requests.set(team, (requests.get(team) ?? 0) + 1);
    const parsed = JSON.parse(body) as { model: string; messages: Array<{ content: string }> };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion",
        model: parsed.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: `${team} answers ${parsed.messages.at(-1)?.content}` },
            finish_reason: "stop",
          },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
      }),
    );
  });
}

before(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a child process; asynchronous, since the server answers from this process. */
function runCli(args: readonly string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: {
      PATH: process.env.PATH,
      CI: "true",
      OPENAI_API_KEY: apiKey,
      ...(process.env.NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.NODE_OPTIONS }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

interface Line {
  id: string;
  response: string;
  cached: boolean;
  endpoint: string;
}

function readLines(path: string): Line[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Line);
}

const prompts = join(scratch, "prompts.jsonl");
writeFileSync(
  prompts,
  `${["one", "two", "three"].map((word) => JSON.stringify({ id: word, prompt: `say ${word}` })).join("\n")}\n`,
);

async function collect(home: string, baseUrl: string, out: string): Promise<Line[]> {
  const result = await runCli([
    "--home",
    home,
    "collect",
    "--target",
    "openai:shared-model",
    "--base-url",
    baseUrl,
    "--prompts",
    prompts,
    "--out",
    out,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return readLines(out);
}

test("two gateways on one host:port under different paths are cached apart, each re-used", async () => {
  const home = join(scratch, "home");
  const port = new URL(origin).port;
  const teamA = await collect(home, `${origin}/team-a/v1`, join(scratch, "a.jsonl"));
  assert.deepEqual(
    teamA.map((line) => [line.response, line.cached]),
    [
      ["team-a answers say one", false],
      ["team-a answers say two", false],
      ["team-a answers say three", false],
    ],
  );
  assert.ok(teamA.every((line) => line.endpoint === `127.0.0.1:${port}/team-a/v1`));

  // Same model name, same host and port, same store: team-b is asked, and its own answers come back.
  const teamB = await collect(home, `${origin}/team-b/v1`, join(scratch, "b.jsonl"));
  assert.deepEqual(
    teamB.map((line) => [line.response, line.cached]),
    [
      ["team-b answers say one", false],
      ["team-b answers say two", false],
      ["team-b answers say three", false],
    ],
  );
  assert.equal(requests.get("team-b"), 3);

  // Team-a again, spelt with a trailing slash and a query: all from the store, still team-a's answers.
  const again = await collect(home, `${origin}/team-a/v1/?api-version=2024-10-21`, join(scratch, "a2.jsonl"));
  assert.deepEqual(
    again.map((line) => [line.response, line.cached]),
    [
      ["team-a answers say one", true],
      ["team-a answers say two", true],
      ["team-a answers say three", true],
    ],
  );
  assert.equal(requests.get("team-a"), 3, "the second team-a run asks the server nothing");
  for (const file of ["distillscope.sqlite", "distillscope.sqlite-wal"].map((name) => join(home, name)))
    if (existsSync(file)) assert.ok(!readFileSync(file).toString("latin1").includes("api-version"), file);

  // Exported and imported into another store, team-b's answers still answer team-b only.
  const exported = join(scratch, "export.jsonl");
  const exportRun = await runCli(["--home", home, "transcripts", "export", "--out", exported]);
  assert.equal(exportRun.code, 0, exportRun.stderr);
  const otherHome = join(scratch, "other-home");
  const importRun = await runCli(["--home", otherHome, "transcripts", "import", exported]);
  assert.equal(importRun.code, 0, importRun.stderr);
  const imported = await collect(otherHome, `${origin}/team-b/v1`, join(scratch, "b2.jsonl"));
  assert.deepEqual(
    imported.map((line) => [line.response, line.cached]),
    [
      ["team-b answers say one", true],
      ["team-b answers say two", true],
      ["team-b answers say three", true],
    ],
  );
  assert.equal(requests.get("team-b"), 3);
});

test("a transcript exported before paths counted (endpoint = host and port) still answers the usual /v1", async () => {
  const port = new URL(origin).port;
  const old = join(scratch, "old.jsonl");
  // As `transcripts export` wrote it for --base-url http://127.0.0.1:<port>/v1 before this change.
  writeFileSync(
    old,
    `${JSON.stringify({
      id: "one",
      sample: 0,
      model: "openai:shared-model",
      messages: [{ role: "user", content: "say one" }],
      response: "recorded answer",
      usage: { inputTokens: 3, outputTokens: 4 },
      latencyMs: 5,
      cached: false,
      endpoint: `127.0.0.1:${port}`,
      parameters: { temperature: 0 },
    })}\n`,
  );
  const home = join(scratch, "old-home");
  const importRun = await runCli(["--home", home, "transcripts", "import", old]);
  assert.equal(importRun.code, 0, importRun.stderr);
  const lines = await collect(home, `${origin}/v1`, join(scratch, "root.jsonl"));
  assert.deepEqual(
    lines.map((line) => [line.id, line.response, line.cached, line.endpoint]),
    [
      ["one", "recorded answer", true, `127.0.0.1:${port}`],
      ["two", "root answers say two", false, `127.0.0.1:${port}`],
      ["three", "root answers say three", false, `127.0.0.1:${port}`],
    ],
  );
});
