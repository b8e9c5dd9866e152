/** Ctrl-C during `distillscope audit`: the message counts every answer the audit stored, not one batch's. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { interruptAfterRequests } from "../../testing/interrupt-cli.ts";
import { startMockProviderServer } from "../../testing/mock-provider-server.ts";

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
    // Several search iterations (50 questions each) in, so that one batch's count would be far too small.
    const { code, stderr } = await interruptAfterRequests(
      ["audit", "-c", config, "--home", join(directory, "home")],
      { ...process.env, OPENAI_API_KEY: "audit-int-key", CI: "true" },
      server,
      150,
    );
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
