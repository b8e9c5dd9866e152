import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { runAudit } from "./run.ts";

test("a key pasted into api-key-env is reported at its line without echoing it", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-pasted-key-"));
  const pasted = "KEYINCONFIGABCDEF123456789XYZ";
  const configPath = join(directory, "distillscope.yaml");
  const lines = [
    "targets:",
    "  - id: openai:model",
    "    identity: alibaba",
    "    base-url: http://127.0.0.1:9/v1",
    `    api-key-env: ${pasted}`,
    "evaluations:",
    "  ice:",
    "    budget: 4",
  ];
  writeFileSync(configPath, `${lines.join("\n")}\n`);
  await assert.rejects(
    runAudit({ configPath, home: join(directory, "home"), environment: { PATH: process.env.PATH } }),
    (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(
        error.message,
        /^distillscope\.yaml:5: targets\[0\]\.api-key-env: this looks like an API key/,
      );
      assert.equal(error.message.includes(pasted.slice(0, 8)), false, error.message);
      return true;
    },
  );
});
