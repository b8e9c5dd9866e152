import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { mainInProcess } from "../testing/main-in-process.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { runAudit } from "./run.ts";

const apiKey = "test-key-silent-model-4b1c";
let server: MockProviderServer;

/** `speaker` answers; `blank` always answers with nothing. */
before(async () => {
  server = await startMockProviderServer({
    apiKey,
    respond: ({ model }) => (model === "blank" ? "" : "A plain answer about the question, in two sentences."),
  });
});

after(async () => {
  await server.close();
});

async function audit(reference: string): Promise<{ code: number; stderr: string }> {
  const directory = mkdtempSync(join(tmpdir(), "audit-silent-"));
  const endpoint = [`    base-url: ${server.openaiBaseUrl}`, "    api-key-env: MOCK_SILENT_KEY"];
  const config = [
    "targets:",
    "  - id: openai:speaker",
    "    identity: alibaba",
    ...endpoint,
    "references:",
    `  - id: openai:${reference}`,
    ...endpoint,
    "evaluations:",
    "  rse:",
    "    limit: 3",
    "report:",
    "  out: report",
    "  html: false",
  ];
  const configPath = join(directory, "distillscope.yaml");
  writeFileSync(configPath, `${config.join("\n")}\n`);
  const previous = process.env.MOCK_SILENT_KEY;
  process.env.MOCK_SILENT_KEY = apiKey;
  try {
    const { status, stderr } = await mainInProcess([
      "audit",
      "-c",
      configPath,
      "--home",
      join(directory, "home"),
      "--quiet",
    ]);
    return { code: status, stderr };
  } finally {
    if (previous === undefined) delete process.env.MOCK_SILENT_KEY;
    else process.env.MOCK_SILENT_KEY = previous;
  }
}

test("an audit whose RSE reference gave no usable answer exits 3 naming it, even without fail-on", async () => {
  const silent = await audit("blank");
  assert.equal(silent.code, 3, silent.stderr);
  assert.match(silent.stderr, /rse: openai:blank gave no usable answer in \d+ turns \(for openai:speaker\)/);
  const healthy = await audit("other-speaker");
  assert.equal(healthy.code, 0, healthy.stderr);
});

test("an audit whose ICE target answered none of its queries exits 3 naming it, even without fail-on", async () => {
  // Every answer stopped by the content filter: refused, never retried, never an answer.
  const refusing = await startMockProviderServer({ apiKey, faults: { contentFilterRate: 1 } });
  const directory = mkdtempSync(join(tmpdir(), "audit-silent-ice-"));
  const config = [
    "targets:",
    "  - id: openai:refuser",
    "    identity: alibaba",
    `    base-url: ${refusing.openaiBaseUrl}`,
    "    api-key-env: MOCK_SILENT_KEY",
    "evaluations:",
    "  ice:",
    "    budget: 4",
    "report:",
    "  out: report",
    "  html: false",
  ];
  const configPath = join(directory, "distillscope.yaml");
  writeFileSync(configPath, `${config.join("\n")}\n`);
  process.env.MOCK_SILENT_KEY = apiKey;
  try {
    const { status, stderr } = await mainInProcess([
      "audit",
      "-c",
      configPath,
      "--home",
      join(directory, "home"),
      "--quiet",
    ]);
    assert.equal(status, 3, stderr);
    assert.match(
      stderr,
      /ice: openai:refuser answered none of its 4 queries; nothing was measured against it/,
    );
    // The library's runAudit returns the same finding for callers that do not go through the CLI.
    const outcome = await runAudit({ configPath, home: join(directory, "home") });
    assert.deepEqual(
      outcome.silentModels.map((entry) => [entry.kind, entry.model, entry.turns]),
      [["ice", "openai:refuser", 4]],
    );
  } finally {
    delete process.env.MOCK_SILENT_KEY;
    await refusing.close();
  }
});
