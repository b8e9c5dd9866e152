import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { exampleConfigText } from "./example.ts";
import { loadConfig, parseConfigText } from "./load.ts";

const base = `targets:
  - id: openai:qwen-max
    identity: alibaba
  - id: openai:impostor
    identity: deepseek
references:
  - id: openai:gpt-4o
evaluations:
  ice:
    budget: 20
    seed: 3
  rse:
    limit: 5
fail-on:
  - ice.strict > 0.05
`;

function errorFor(text: string): string {
  try {
    parseConfigText(text, "distillscope.yaml");
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.equal(error.message.includes("\n"), false, "one line");
    return error.message;
  }
  assert.fail("expected the config to be rejected");
}

test("a valid config loads with defaults filled in and thresholds parsed", () => {
  const { config, thresholds } = parseConfigText(base, "distillscope.yaml");
  assert.equal(config.targets.length, 2);
  assert.equal(config.evaluations.ice?.budget, 20);
  assert.equal(config.evaluations.ice?.judge, "embedded");
  assert.deepEqual(config.evaluations.ice?.languages, ["en", "zh"]);
  assert.equal(config.engine.concurrency, 4);
  assert.equal(config.report.out, "distillscope-report");
  assert.equal(config.evaluations.rse?.seed, 0, "the RSE seed defaults to rse run's");
  assert.equal(
    parseConfigText(base.replace("    seed: 3\n", ""), "distillscope.yaml").config.evaluations.ice?.seed,
    0,
    "the ICE seed defaults to ice run's",
  );
  assert.deepEqual(thresholds, [
    { source: "ice.strict > 0.05", metric: "ice.strict", operator: ">", value: 0.05 },
  ]);
});

test("a misspelt key names the line, the field and the closest key", () => {
  assert.equal(
    errorFor(base.replace("budget: 20", "budgte: 20")),
    'distillscope.yaml:10: evaluations.ice.budgte: unknown key (did you mean "budget"?)',
  );
});

test("a wrong type names the field, the expected type and the value", () => {
  assert.equal(
    errorFor(base.replace("seed: 3", "seed: three")),
    'distillscope.yaml:11: evaluations.ice.seed: expected a number, got the text "three"',
  );
});

test("an unknown provider is rejected with a suggestion", () => {
  assert.equal(
    errorFor(base.replace("openai:impostor", "opneai:impostor")),
    'distillscope.yaml:4: targets[1].id: unknown provider "opneai" (did you mean "openai"?)',
  );
});

test("a threshold on a metric that does not exist is an error at its line", () => {
  assert.equal(
    errorFor(base.replace("ice.strict > 0.05", "ice.strictness > 0.05")),
    'distillscope.yaml:15: fail-on[0]: unknown metric "ice.strictness" (did you mean "ice.strict"?)',
  );
});

test("a threshold on an evaluation that is not configured is an error", () => {
  assert.match(
    errorFor(base.replace("ice.strict > 0.05", "lineage.teacher != null")),
    /^distillscope.yaml:15: .*lineage/,
  );
});

test("an unknown developer key, a missing field and a key in a value are reported", () => {
  assert.match(
    errorFor(base.replace("identity: deepseek", "identity: deepsek")),
    /:5: targets\[1\]\.identity: .*"deepseek"/,
  );
  // With no close key, the line lists the keys (as --identity does), so the fix is in the message.
  assert.match(
    errorFor(base.replace("identity: deepseek", "identity: acme")),
    /:5: targets\[1\]\.identity: unknown developer key "acme"; known keys: openai, anthropic, google, .*upstage/,
  );
  // Without identity the target id decides (qwen-max is alibaba's); an id that names no one is refused.
  assert.equal(
    parseConfigText(base.replace("    identity: alibaba\n", ""), "d.yaml").config.targets[0]?.identity,
    undefined,
  );
  assert.match(
    errorFor(base.replace("    identity: deepseek\n", "")),
    /:4: targets\[1\]\.identity: identity is missing and the developer of "openai:impostor" is not clear from its id: add identity: <developer key>/,
  );
  assert.match(
    errorFor(base.replace("identity: alibaba", "identity: alibaba\n    api-key-env: sk-live-123")),
    /:4: targets\[0\]\.api-key-env: the NAME of an environment variable/,
  );
});

test("RSE without references and a judge that does not exist are errors", () => {
  assert.match(
    errorFor(base.replace("references:\n  - id: openai:gpt-4o\n", "")),
    /evaluations\.rse: RSE compares/,
  );
  assert.match(
    errorFor(base.replace("limit: 5", "limit: 5\n    judge: mini")),
    /:14: evaluations\.rse\.judge: unknown judge "mini"/,
  );
});

test("YAML syntax errors and empty files are one line too; several problems report the first", () => {
  assert.match(errorFor("targets: [\n  - id"), /^distillscope\.yaml:\d+: YAML syntax error: /);
  assert.match(errorFor(""), /^distillscope\.yaml:1: the file is empty/);
  assert.match(
    errorFor("targets:\n  - id: openai:x\n    identity: openai\nevaluations: {}\nfoo: 1\nbar: 2\n"),
    /:5: foo: unknown key .*\[1 more problem/,
  );
});

test("a YAML syntax error names the line it is on, not line 1", () => {
  const text = "targets:\n  - id: openai:x\n    identity: alibaba\n  bad: [\n";
  assert.match(
    errorFor(text),
    /^distillscope\.yaml:4: YAML syntax error: All mapping items must start at the same column/,
  );
});

test("the example config written by init loads cleanly", () => {
  const { config, thresholds } = parseConfigText(exampleConfigText(), "distillscope.yaml");
  assert.ok(config.targets.length >= 1);
  assert.ok(thresholds.length >= 1);
});

test("loadConfig reads a file and resolves its directory; a missing file is an InputError", () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-config-"));
  const path = join(directory, "distillscope.yaml");
  writeFileSync(path, base);
  const loaded = loadConfig(path);
  assert.equal(loaded.directory, directory);
  assert.throws(() => loadConfig(join(directory, "absent.yaml")), InputError);
});

test("a folder given as the config names the file to give instead, not init", () => {
  const folder = mkdtempSync(join(tmpdir(), "distillscope-config-folder-"));
  assert.throws(
    () => loadConfig(folder),
    (error: unknown) =>
      error instanceof InputError &&
      error.message ===
        `${folder}: is a folder; give the config file in it, e.g. -c ${join(folder, "distillscope.yaml")}`,
  );
});

test("zod's own wording is replaced by what the field must be and what it was", () => {
  const cases: Array<[string, string]> = [
    [
      base.replace("budget: 20", "budget: -3"),
      "distillscope.yaml:10: evaluations.ice.budget: must be more than 0, got -3",
    ],
    [
      base.replace("budget: 20", "budget: 2.5"),
      "distillscope.yaml:10: evaluations.ice.budget: expected a whole number, got 2.5",
    ],
    [
      base.replace("seed: 3", "seed: -1"),
      "distillscope.yaml:11: evaluations.ice.seed: must be 0 or more, got -1",
    ],
    [
      base.replace(
        "targets:\n  - id: openai:qwen-max\n    identity: alibaba\n  - id: openai:impostor\n    identity: deepseek\n",
        "targets: []\n",
      ),
      "distillscope.yaml:1: targets: must list at least 1 entry, got an empty list",
    ],
    [
      base.replace("identity: alibaba", "identity: alibaba\n    base-url: not a url"),
      'distillscope.yaml:4: targets[0].base-url: expected an http:// or https:// URL such as http://127.0.0.1:8000/v1, got the text "not a url"',
    ],
    [`version: 2\n${base}`, "distillscope.yaml:1: version: must be 1 (the only value allowed), got 2"],
    [
      base.replace("identity: alibaba", "identity: alibaba\n    label: ''"),
      "distillscope.yaml:4: targets[0].label: must not be empty",
    ],
    [`${base}report:\n  html: 3\n`, "distillscope.yaml:17: report.html: expected true or false, got 3"],
  ];
  for (const [text, expected] of cases) {
    const message = errorFor(text);
    assert.equal(message, expected);
    assert.doesNotMatch(message, /Too small|Too big|Invalid (URL|input)/);
  }
});

test("a misspelt required top-level key gets its 'did you mean', not 'targets is missing'", () => {
  assert.equal(
    errorFor(base.replace("targets:", "target:")),
    'distillscope.yaml:1: target: unknown key (did you mean "targets"?)',
  );
  assert.equal(
    errorFor(base.replace("evaluations:", "evaluation:")),
    'distillscope.yaml:8: evaluation: unknown key (did you mean "evaluations"?)',
  );
});

test("evaluations naming no evaluation is an error at its line, not a report error later", () => {
  const text = "targets:\n  - id: openai:x\n    identity: alibaba\nevaluations: {}\n";
  assert.equal(
    errorFor(text),
    "distillscope.yaml:4: evaluations: names no evaluation: add at least one of ice, rse, lineage (e.g. ice: { budget: 200 })",
  );
});

test("a config path that is not a path is an InputError, not a TypeError from node:fs", () => {
  assert.throws(
    () => loadConfig(undefined as unknown as string),
    (error: unknown) =>
      error instanceof InputError && /^the config path must be a path, got nothing$/.test(error.message),
  );
});

test("a key pasted into the config (api-key, apiKey, token) is refused with the api-key-env fix, never echoed", () => {
  for (const field of ["api-key", "apiKey", "api_key", "token"]) {
    const message = errorFor(
      base.replace("identity: alibaba", `identity: alibaba\n    ${field}: sk-live-SECRET123456`),
    );
    assert.match(
      message,
      new RegExp(
        `:4: targets\\[0\\]\\.${field}: API keys never go in this file.*api-key-env: MY_PROVIDER_KEY`,
      ),
    );
    assert.doesNotMatch(message, /SECRET/);
  }
  const reference = errorFor(
    base.replace("  - id: openai:gpt-4o\n", "  - id: openai:gpt-4o\n    api-key: sk-x\n"),
  );
  assert.match(reference, /references\[0\]\.api-key: API keys never go in this file/);
});
