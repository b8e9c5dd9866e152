import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import test from "node:test";
import { closedPort } from "../../testing/closed-port.ts";

const mainPath = resolve(import.meta.dirname, "..", "main.ts");

const valid = `targets:
  - id: openai:my-model
    identity: alibaba
references:
  - id: openai:gpt-4o
evaluations:
  ice:
    budget: 20
  rse:
    limit: 5
fail-on:
  - ice.strict > 0.05
`;

/** Runs `distillscope audit -c <config>` in a fresh process on a config with one mistake. */
function auditWith(text: string) {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-cli-"));
  const config = join(directory, "distillscope.yaml");
  writeFileSync(config, text);
  const outcome = spawnSync(
    process.execPath,
    [mainPath, "audit", "-c", config, "--home", join(directory, "home")],
    { encoding: "utf8", timeout: 60_000, env: { ...process.env, OPENAI_API_KEY: "" } },
  );
  return { code: outcome.status, stderr: outcome.stderr, stdout: outcome.stdout };
}

const cases: Array<{ name: string; text: string; line: RegExp }> = [
  {
    name: "a typo in a key",
    text: valid.replace("budget: 20", "budgte: 20"),
    line: /^distillscope: distillscope\.yaml:8: evaluations\.ice\.budgte: unknown key \(did you mean "budget"\?\)\n$/,
  },
  {
    name: "a wrong type",
    text: valid.replace("limit: 5", "limit: five"),
    line: /^distillscope: distillscope\.yaml:10: evaluations\.rse\.limit: expected a number, got the text "five"\n$/,
  },
  {
    name: "an unknown provider",
    text: valid.replace("openai:gpt-4o", "opnai:gpt-4o"),
    line: /^distillscope: distillscope\.yaml:5: references\[0\]\.id: unknown provider "opnai" \(did you mean "openai"\?\)\n$/,
  },
  {
    name: "a threshold on a metric that does not exist",
    text: valid.replace("ice.strict > 0.05", "ice.strictest > 0.05"),
    line: /^distillscope: distillscope\.yaml:12: fail-on\[0\]: unknown metric "ice\.strictest"/,
  },
];

for (const { name, text, line } of cases) {
  test(`audit with ${name}: one line naming the line and field, exit 2, nothing run`, () => {
    const outcome = auditWith(text);
    assert.equal(outcome.code, 2, outcome.stderr);
    assert.match(outcome.stderr, line);
    assert.equal(outcome.stderr.trim().split("\n").length, 1, "exactly one line");
    assert.doesNotMatch(outcome.stderr, /\n\s+at /, "no stack trace");
    assert.equal(outcome.stdout, "");
  });
}

test("audit with an unreachable target: exit 3, and the fix names the config's base-url, not a flag", async () => {
  const port = await closedPort();
  const outcome = auditWith(`targets:
  - id: openai:my-model
    identity: alibaba
    base-url: http://127.0.0.1:${port}/v1
evaluations:
  ice:
    budget: 2
`);
  assert.equal(outcome.code, 3, outcome.stderr);
  const errorLines = outcome.stderr.split("\n").filter((line) => line.startsWith("distillscope:"));
  assert.equal(errorLines.length, 1, outcome.stderr);
  assert.match(errorLines[0]!, new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}`));
  assert.match(errorLines[0]!, /check the config's targets\[0\]\.base-url/);
  assert.doesNotMatch(outcome.stderr, /--base-url/);
});
