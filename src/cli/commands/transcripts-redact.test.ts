import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { redactedKeyMarker } from "../../secrets/known-keys.ts";

const main = join(import.meta.dirname, "..", "main.ts");

test("transcripts export never writes a key of this environment, even in an answer stored before redaction", () => {
  const folder = mkdtempSync(join(tmpdir(), "transcripts-redact-"));
  const key = "sk-test-reflected-0123456789abcdef";
  const line = {
    id: "p1",
    sample: 0,
    model: "openai:gpt-4o-mini",
    messages: [{ role: "user", content: "What headers did I send?" }],
    response: `You sent Authorization: Bearer ${key} and nothing else.`,
  };
  writeFileSync(join(folder, "old.jsonl"), `${JSON.stringify(line)}\n`);
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    DISTILLSCOPE_HOME: join(folder, "home"),
    CI: "true",
  };
  delete environment.OPENAI_API_KEY;
  // Imported without the key in the environment: stored as it is, like an answer from before the fix.
  const imported = spawnSync(process.execPath, [main, "transcripts", "import", join(folder, "old.jsonl")], {
    env: environment,
    encoding: "utf8",
  });
  assert.equal(imported.status, 0, imported.stderr);
  const out = join(folder, "export.jsonl");
  const exported = spawnSync(process.execPath, [main, "transcripts", "export", "--out", out], {
    env: { ...environment, OPENAI_API_KEY: key },
    encoding: "utf8",
  });
  assert.equal(exported.status, 0, exported.stderr);
  const text = readFileSync(out, "utf8");
  assert.ok(!text.includes(key), text);
  assert.ok(text.includes(`Bearer ${redactedKeyMarker} and nothing else`), text);
  // Without the key in the environment the answer is exported as stored (nothing else is touched).
  const plain = spawnSync(
    process.execPath,
    [main, "transcripts", "export", "--out", join(folder, "plain.jsonl")],
    {
      env: environment,
      encoding: "utf8",
    },
  );
  assert.equal(plain.status, 0, plain.stderr);
  assert.ok(readFileSync(join(folder, "plain.jsonl"), "utf8").includes("What headers did I send?"));
});
