/**
 * An audit whose reference takes its base URL from ANTHROPIC_BASE_URL (the config names none): its
 * results record where every model was asked, and the manifest lists that endpoint, marked loopback,
 * with none of the base URL's user info, query or key.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { runAudit } from "./run.ts";

const apiKey = "audit-asked-key-8d2e61";
const secrets = ["audit-user-51", "audit-password-73", "audit-query-94", apiKey];
let server: MockProviderServer;
const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-asked-"));

before(async () => {
  server = await startMockProviderServer({
    apiKey,
    respond: ({ model }) => `An answer from ${model}: first a point, then another, then a summary.`,
  });
});

after(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

test("an audit records endpoints of models whose base URL came from the environment, in results and manifest", async () => {
  const configPath = join(directory, "distillscope.yaml");
  writeFileSync(
    configPath,
    `${[
      "targets:",
      "  - id: openai:my-model",
      "    identity: alibaba",
      `    base-url: ${server.openaiBaseUrl}`,
      "references:",
      "  - id: anthropic:claude-sonnet-4",
      "evaluations:",
      "  rse:",
      "    limit: 3",
      "report:",
      "  out: report",
    ].join("\n")}\n`,
  );
  const base = new URL(server.anthropicBaseUrl);
  base.username = secrets[0]!;
  base.password = secrets[1]!;
  base.searchParams.set("key", secrets[2]!);
  const outcome = await runAudit({
    configPath,
    home: join(directory, "home"),
    environment: {
      ...process.env,
      OPENAI_API_KEY: apiKey,
      ANTHROPIC_API_KEY: apiKey,
      ANTHROPIC_BASE_URL: base.toString(),
    },
  });
  const host = new URL(server.openaiBaseUrl).host;
  const rse = JSON.parse(readFileSync(outcome.results.find((file) => file.kind === "rse")!.path, "utf8"));
  assert.deepEqual(rse.models, [
    { role: "target", id: "openai:my-model", endpoint: host },
    { role: "reference", id: "anthropic:claude-sonnet-4", endpoint: host },
  ]);
  const manifest = JSON.parse(readFileSync(outcome.manifestPath!, "utf8"));
  assert.deepEqual(
    manifest.models.find((model: { role: string }) => model.role === "reference"),
    { id: "anthropic:claude-sonnet-4", role: "reference", endpoint: host, endpointPlace: "loopback" },
  );
  let markdownFiles = 0;
  for (const file of readdirSync(join(directory, "report"), { recursive: true })) {
    const path = join(directory, "report", String(file));
    if (!/\.(json|html|md)$/.test(path)) continue;
    const text = readFileSync(path, "utf8");
    for (const secret of secrets) assert.ok(!text.includes(secret), `${file} holds ${secret}`);
    if (path.endsWith(".md")) markdownFiles++;
    if (path.endsWith(".md"))
      assert.match(text, /\| reference \| anthropic:claude-sonnet-4 \| [^|]+ \| \*\*LOCAL: loopback/);
  }
  assert.ok(markdownFiles > 0, "the audit wrote a Markdown report");
});
