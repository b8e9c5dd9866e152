import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../../testing/mock-provider-server.ts";
import { type CliRun, spawnCli } from "../../testing/spawn-cli.ts";

let server: MockProviderServer;
const folder = mkdtempSync(join(tmpdir(), "distillscope-ice-run-developers-"));

/** Half the prompts get the model's own identity, half another developer's (decided by the prompt). */
function respond(input: { messages: ReadonlyArray<{ role: string; content: string }> }): string {
  const user = [...input.messages].reverse().find((message) => message.role === "user")?.content ?? "";
  const own = createHash("sha256").update(user).digest()[0]! % 2 === 0;
  return own ? "I am AcmeBot, created by Acme AI." : "I am ChatGPT, created by OpenAI.";
}

before(async () => {
  server = await startMockProviderServer({ respond, apiKey: "cli-key" });
});

after(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

function cli(args: string[]): Promise<CliRun> {
  return spawnCli(args, { OPENAI_API_KEY: "cli-key", DISTILLSCOPE_HOME: join(folder, "home") });
}

const runArgs = (out: string) => [
  "ice",
  "run",
  "--target",
  "openai:acme-7b",
  "--base-url",
  server.openaiBaseUrl,
  "--budget",
  "20",
  "--questions",
  "5",
  "--policy",
  "random",
  "--out",
  out,
];

test("ice run with --developer-name: the model's own names never conflict, ChatGPT always does", async () => {
  const out = join(folder, "declared.json");
  const run = await cli([
    ...runArgs(out),
    "--identity",
    "acme",
    "--developer-name",
    "Acme AI",
    "--developer-model",
    "AcmeBot",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(result.identity, "acme");
  assert.equal(result.source.developer.key, "acme");
  const own = result.items.filter((item: { response: string }) => item.response.startsWith("I am AcmeBot"));
  const other = result.items.filter((item: { response: string }) => item.response.startsWith("I am ChatGPT"));
  assert.ok(own.length > 0 && other.length > 0, "the fixture answers both ways");
  for (const item of own) assert.deepEqual([item.loose, item.strict], [false, false]);
  for (const item of other) assert.deepEqual([item.loose, item.strict], [true, true]);
  assert.equal(result.scores.loose, other.length / result.n);
});

test("ice run without a declaration refuses the unknown key before asking the target (exit 2)", async () => {
  const before = server.stats().requests;
  const run = await cli([...runArgs(join(folder, "refused.json")), "--identity", "acme"]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /"acme" is not a known developer key/);
  assert.equal(server.stats().requests, before);
});
