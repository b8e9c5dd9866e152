/** Ctrl-C during `distillscope audit`: the message counts every answer the audit stored, not one batch's. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { startMockProviderServer } from "../../testing/mock-provider-server.ts";

const mainPath = resolve(import.meta.dirname, "..", "main.ts");

test("Ctrl-C mid-audit: exit 3 and the number of answers the whole audit stored", async () => {
  const server = await startMockProviderServer({
    apiKey: "audit-int-key",
    latencyMs: 20,
    respond: () => "I am Qwen, a model developed by Alibaba Cloud.",
  });
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-interrupt-"));
  try {
    const config = join(directory, "distillscope.yaml");
    writeFileSync(
      config,
      `targets:\n  - id: openai:slow-model\n    identity: alibaba\n    base-url: ${server.openaiBaseUrl}\nevaluations:\n  ice:\n    budget: 600\n`,
    );
    const child = spawn(
      process.execPath,
      [mainPath, "audit", "-c", config, "--home", join(directory, "home")],
      {
        env: { ...process.env, OPENAI_API_KEY: "audit-int-key", CI: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const closed = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    const deadline = Date.now() + 30_000;
    // Several search iterations (50 questions each) in, so that one batch's count would be far too small.
    while (server.stats().requests < 150 && Date.now() < deadline)
      await new Promise((wait) => setTimeout(wait, 20));
    child.kill("SIGINT");
    const code = await closed;
    assert.equal(code, 3, stderr);
    assert.match(stderr, /distillscope: interrupted, stopping \(stored answers are kept\)/);
    const counted =
      /interrupted: this audit stored (\d+) new answer\(s\)[^\n]*run the same command again/.exec(stderr);
    assert.ok(counted, stderr);
    const stored = Number(counted[1]);
    assert.ok(stored >= 140, `the whole audit's answers are counted, got ${stored}`);
    assert.ok(stored <= server.stats().requests, `no more than the server answered: ${stored}`);
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
