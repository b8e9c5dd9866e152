import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { runAudit } from "./run.ts";

const key = "acme-key-51c0";
let server: MockProviderServer;

before(async () => {
  server = await startMockProviderServer({ apiKey: key, respond: () => "I am AcmeBot, created by Acme AI." });
});

after(async () => {
  await server.close();
});

test("an audit of a model whose developer the config declares counts its own names as its identity", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-developers-"));
  const configPath = join(directory, "distillscope.yaml");
  writeFileSync(
    configPath,
    [
      "developers:",
      "  - key: acme",
      "    name: Acme AI",
      "    models: [AcmeBot]",
      "targets:",
      "  - id: openai:acme-7b",
      "    identity: ACME",
      `    base-url: ${server.openaiBaseUrl}`,
      "    api-key-env: ACME_KEY",
      "evaluations:",
      "  ice: { budget: 8, seed: 1 }",
      "report: { out: report, html: false }",
      "",
    ].join("\n"),
  );
  const outcome = await runAudit({
    configPath,
    home: join(directory, "home"),
    environment: { PATH: process.env.PATH, ACME_KEY: key },
  });
  const iceFile = outcome.results.find((file) => file.kind === "ice");
  assert.ok(iceFile);
  const result = JSON.parse(readFileSync(iceFile.path, "utf8"));
  assert.equal(result.identity, "acme");
  assert.equal(result.n, 8);
  assert.deepEqual(result.scores, { loose: 0, strict: 0, hard: 0 });
  assert.ok(
    result.items.every(
      (item: { claims: Array<{ developer: string }> }) => item.claims[0]?.developer === "acme",
    ),
  );
});
